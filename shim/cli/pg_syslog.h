/*
 * pg_syslog.h - decisions to the local syslog socket, where journald or
 * rsyslog take them into an organisation's log pipeline (policy key
 * "syslog": "on"; design.md "Scale").
 *
 * Input is the audit lines of one run (pg_audit.h): each is already a
 * decision with its context and with the secrets of URLs hidden
 * (pg_verdict.c), so syslog carries exactly what the audit file carries.
 *
 * Wire format, one datagram per message, RFC 3164 framing as libc's
 * syslog(3) writes it, so every daemon on /dev/log parses it:
 *
 *     <PRI>Mmm dd hh:mm:ss pkggate[PID]: @cee:{"time":...,"decision":...}
 *
 * The payload after the fixed tag "@cee:" is one JSON object (rsyslog's
 * mmjsonparse reads that cookie; journald keeps it as MESSAGE with
 * SYSLOG_IDENTIFIER=pkggate). It is pure printable ASCII: JSON escapes
 * every control and non-ASCII character. Facility user; severity warning
 * for a block, notice for a warning, info otherwise. At most
 * PG_SYSLOG_MSG_MAX bytes: a longer decision loses its reasons' messages
 * and evidence first ("truncated": true), then all but its context.
 *
 * Rate limit, per run: every decision that is not a plain allow (a block,
 * a warning, or an allow that an exception or allow entry made) is one
 * message, up to PG_SYSLOG_RUN_MAX; a run of at most PG_SYSLOG_SMALL_RUN
 * lines sends its plain allows too. Otherwise plain allows, and what the
 * cap cut off, are counted in one summary message at the end:
 *   {"event":"summary",...context...,"decisions":N,"allowed":N,"warned":N,
 *    "blocked":N,"sent":N,"summarised":N}
 * Lines that are no decision (`pkggate allow` records) are sent as they are.
 *
 * The socket is /dev/log, or $PKGGATE_SYSLOG_SOCKET (for tests: a socket
 * the test made). A daemon that does not read within
 * PG_SYSLOG_SEND_TIMEOUT_MS ends sending for the run, so a stuck log
 * daemon never stalls an install.
 */
#ifndef PG_SYSLOG_H
#define PG_SYSLOG_H

#include <stddef.h>

#include "pg_err.h"

#define PG_SYSLOG_SOCKET          "/dev/log"
#define PG_SYSLOG_MSG_MAX         4096
#define PG_SYSLOG_SMALL_RUN       10
#define PG_SYSLOG_RUN_MAX         200
#define PG_SYSLOG_SEND_TIMEOUT_MS 250

/*
 * Send the audit lines of one run (whole '\n'-terminated JSON lines).
 * 0, or -1 with err when the socket cannot be reached or stopped taking
 * messages; what was sent before stays sent.
 */
int pg_syslog_send(const char *lines, size_t len, struct pg_err *err);

#endif
