#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pg_audit.h"
#include "pg_syslog.h"
#include "banned.h"

/* mkdir -p, each new level 0700. */
static int make_dirs(char *path)
{
    for (char *p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(path, 0700) != 0 && errno != EEXIST) {
            *p = '/';
            return -1;
        }
        *p = '/';
    }
    return 0;
}

int pg_audit_path(char *out, size_t outsz)
{
    const char *env = getenv("PKGGATE_AUDIT_LOG");
    const char *state = getenv("XDG_STATE_HOME");
    const char *home = getenv("HOME");
    int n;

    if (env && *env)
        n = snprintf(out, outsz, "%s", env);
    else if (state && *state == '/')
        n = snprintf(out, outsz, "%s/pkggate/audit.jsonl", state);
    else if (home && *home)
        n = snprintf(out, outsz, "%s/.local/state/pkggate/audit.jsonl", home);
    else
        return -1;
    return n > 0 && (size_t)n < outsz ? 0 : -1;
}

static int to_syslog_too(const char *text, size_t len)
{
    struct pg_err err = PG_ERR_INIT;

    if (pg_syslog_send(text, len, &err) == 0)
        return 0;
    fprintf(stderr, "pkggate: warning: decisions not sent to syslog: %s\n", err.msg);
    return -1;
}

int pg_audit_append(const char *text, size_t len, int to_syslog)
{
    char path[PATH_MAX];
    int fd, rc = to_syslog ? to_syslog_too(text, len) : 0;
    ssize_t n;

    if (pg_audit_path(path, sizeof(path)) < 0)
        return rc;
    if (strcmp(path, "off") == 0)
        return rc;
    if (make_dirs(path) < 0)
        goto fail;
    fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        goto fail;
    n = write(fd, text, len);
    close(fd);
    if (n == (ssize_t)len)
        return rc;
fail:
    fprintf(stderr, "pkggate: warning: cannot write the audit log %s: %s\n", path,
            strerror(errno));
    return -1;
}
