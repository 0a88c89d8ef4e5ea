/*
 * Decisions to the local syslog socket; the contract, wire format and
 * rate limit are in pg_syslog.h. The datagrams are written here rather
 * than through syslog(3) so that a test can point them at its own socket
 * and a stuck daemon costs a bounded wait.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "pg_syslog.h"
#include "pg_util.h"
#include "banned.h"

/* The audit context every decision line starts with (pg_report_audit_context). */
static const char *const context_keys[] = {"time", "tool", "command", "pid", "project"};

struct run {
    int fd;
    int failed;       /* the socket stopped taking messages: send no more */
    struct pg_err *err;
    json_t *ctx;      /* context of the first decision, for the summary */
    size_t decisions, allowed, warned, blocked, sent, summarised;
};

static int open_socket(struct run *r)
{
    const char *path = getenv("PKGGATE_SYSLOG_SOCKET");
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    struct timeval tv = {0, PG_SYSLOG_SEND_TIMEOUT_MS * 1000};

    if (!path || !*path)
        path = PG_SYSLOG_SOCKET;
    if (strlen(path) >= sizeof(sa.sun_path))
        return pg_err_set(r->err, "syslog socket path too long");
    memcpy(sa.sun_path, path, strlen(path) + 1);
    r->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (r->fd < 0)
        return pg_err_set(r->err, "syslog: %s", strerror(errno));
    /* A daemon that stopped reading blocks the sender: bound the wait. */
    (void)setsockopt(r->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    if (connect(r->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
        return pg_err_set(r->err, "syslog socket %s: %s", path, strerror(errno));
    return 0;
}

static int severity(const char *decision)
{
    if (pg_streq(decision, "block"))
        return LOG_WARNING;
    return pg_streq(decision, "warn") ? LOG_NOTICE : LOG_INFO;
}

/* Drop what makes a decision long: reason texts and evidence first. */
static void shrink(json_t *o, int hard)
{
    json_t *reasons = json_object_get(o, "reasons"), *x, *slim = json_array();
    size_t i;

    json_array_foreach(reasons, i, x)
    {
        json_array_append_new(slim, json_pack("{s:O?,s:O?}", "rule", json_object_get(x, "rule"),
                                              "action", json_object_get(x, "action")));
    }
    json_object_set_new(o, "reasons", slim);
    json_object_set_new(o, "truncated", json_true());
    if (!hard)
        return;
    /* Still too long: a name or path from argv. Keep what a collector keys on. */
    json_object_del(o, "reasons");
    json_object_del(o, "path");
    json_object_del(o, "spec");
    json_object_del(o, "name");
    json_object_del(o, "project");
}

/*
 * One object as printable ASCII JSON: escapes cover control and non-ASCII
 * characters, and URL secrets are hidden once more, whatever the line held.
 */
static char *payload(json_t *o)
{
    char *text = NULL, *clean;

    for (int pass = 0; pass < 3; pass++) {
        if (pass)
            shrink(o, pass == 2);
        free(text);
        text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
        if (!text || strlen(text) < PG_SYSLOG_MSG_MAX - 64)
            break;
    }
    if (!text)
        return NULL;
    clean = pg_redact_urls(text);
    free(text);
    for (char *p = clean; *p; p++)
        if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
            *p = '?';
    return clean;
}

static void emit(struct run *r, json_t *o, int sev)
{
    char stamp[32], *text;
    struct pg_sb msg = PG_SB_INIT;
    time_t now = time(NULL);
    struct tm tm;

    if (r->failed)
        return;
    text = payload(o);
    if (!text)
        return;
    /* RFC 3164 stamp in local time, as syslog(3) writes it. */
    strftime(stamp, sizeof(stamp), "%b %e %H:%M:%S", localtime_r(&now, &tm));
    pg_sb_addf(&msg, "<%d>%s pkggate[%ld]: @cee:%s", LOG_USER | sev, stamp, (long)getpid(),
               text);
    if (send(r->fd, msg.buf, msg.len, MSG_NOSIGNAL) != (ssize_t)msg.len) {
        pg_err_set(r->err, "syslog: %s", strerror(errno));
        r->failed = 1;
    } else {
        r->sent++;
    }
    pg_sb_release(&msg);
    free(text);
}

/* A plain allow: nothing silenced, so the summary may stand in for it. */
static int plain_allow(json_t *o)
{
    json_t *reasons = json_object_get(o, "reasons"), *x;
    size_t i;

    if (!pg_streq(json_string_value(json_object_get(o, "decision")), "allow"))
        return 0;
    json_array_foreach(reasons, i, x)
    {
        if (json_object_get(x, "exempted"))
            return 0;
    }
    return 1;
}

static void keep_context(struct run *r, json_t *o)
{
    r->ctx = json_object();
    for (size_t i = 0; i < PG_ARRAY_SIZE(context_keys); i++) {
        json_t *v = json_object_get(o, context_keys[i]);

        if (v)
            json_object_set(r->ctx, context_keys[i], v);
    }
}

static void one_line(struct run *r, json_t *o, int small)
{
    const char *d = json_string_value(json_object_get(o, "decision"));

    if (!d) {
        emit(r, o, LOG_INFO); /* a record of another kind: `pkggate allow` */
        return;
    }
    if (!r->ctx)
        keep_context(r, o);
    r->decisions++;
    r->allowed += pg_streq(d, "allow");
    r->warned += pg_streq(d, "warn");
    r->blocked += pg_streq(d, "block");
    if ((!small && plain_allow(o)) || r->sent >= PG_SYSLOG_RUN_MAX) {
        r->summarised++;
        return;
    }
    json_object_set_new(o, "event", json_string("decision"));
    emit(r, o, severity(d));
}

static void summary(struct run *r)
{
    json_t *o;

    if (!r->summarised || !r->ctx)
        return;
    o = json_deep_copy(r->ctx);
    json_object_set_new(o, "event", json_string("summary"));
    json_object_set_new(o, "decisions", json_integer((json_int_t)r->decisions));
    json_object_set_new(o, "allowed", json_integer((json_int_t)r->allowed));
    json_object_set_new(o, "warned", json_integer((json_int_t)r->warned));
    json_object_set_new(o, "blocked", json_integer((json_int_t)r->blocked));
    json_object_set_new(o, "sent", json_integer((json_int_t)r->sent));
    json_object_set_new(o, "summarised", json_integer((json_int_t)r->summarised));
    emit(r, o, r->blocked ? LOG_WARNING : r->warned ? LOG_NOTICE : LOG_INFO);
    json_decref(o);
}

static size_t count_lines(const char *p, size_t len)
{
    size_t n = 0;

    for (const char *e = p + len; p < e && (p = memchr(p, '\n', (size_t)(e - p))); p++)
        n++;
    return n;
}

int pg_syslog_send(const char *lines, size_t len, struct pg_err *err)
{
    struct run r = {.fd = -1, .err = err};
    int small = count_lines(lines, len) <= PG_SYSLOG_SMALL_RUN, rc = -1;
    const char *p = lines, *end = lines + len;

    if (!len)
        return 0;
    if (open_socket(&r) < 0)
        goto out;
    while (p < end && !r.failed) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        json_t *o = json_loadb(p, n, 0, NULL);

        if (json_is_object(o))
            one_line(&r, o, small);
        json_decref(o);
        p += n + 1;
    }
    summary(&r);
    rc = r.failed ? -1 : 0;
out:
    if (r.fd >= 0)
        close(r.fd);
    json_decref(r.ctx);
    return rc;
}
