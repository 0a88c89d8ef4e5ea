#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "pg_once.h"
#include "pg_util.h"
#include "banned.h"

static char *once_dir(void)
{
    const char *state = getenv("XDG_STATE_HOME");
    const char *home = getenv("HOME");

    if (state && *state == '/')
        return pg_xasprintf("%s/pkggate/once", state);
    if (home && *home == '/')
        return pg_xasprintf("%s/.local/state/pkggate/once", home);
    return NULL;
}

/* mkdir -p, each new level 0700. */
static int make_dirs(char *path)
{
    for (char *p = path + 1;; p++) {
        if (*p != '/' && *p)
            continue;
        char c = *p;

        *p = '\0';
        if (mkdir(path, 0700) != 0 && errno != EEXIST) {
            *p = c;
            return -1;
        }
        *p = c;
        if (!c)
            return 0;
    }
}

static char *marker(const char *dir, const char *kind, const char *key)
{
    unsigned char h[crypto_hash_sha256_BYTES];
    char hex[2 * crypto_hash_sha256_BYTES + 1];

    crypto_hash_sha256(h, (const unsigned char *)key, strlen(key));
    sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
    return pg_xasprintf("%s/%s-%.40s", dir, kind, hex);
}

int pg_once(const char *kind, const char *key, int64_t period)
{
    char *dir = once_dir(), *path = NULL;
    struct stat st;
    time_t now = time(NULL);
    int show = 1, fd;

    if (!dir)
        goto out;
    path = marker(dir, kind, key);
    /* A marker from the future (a clock set back) is not trusted to be recent. */
    if (stat(path, &st) == 0 && st.st_mtime <= now &&
        (period == PG_ONCE_FOREVER || now - st.st_mtime < period)) {
        show = 0;
        goto out;
    }
    /* Only now: a lockfile's thousands of warnings cost a stat each, not six mkdirs. */
    if (make_dirs(dir) < 0)
        goto out;
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd >= 0) {
        futimens(fd, NULL); /* O_TRUNC on an empty file need not touch mtime */
        close(fd);
    }
out:
    free(path);
    free(dir);
    return show;
}

int pg_once_notes_wanted(int policy_notes)
{
    const char *q = getenv("PKGGATE_QUIET");

    return policy_notes && !(q && *q && strcmp(q, "0") != 0);
}
