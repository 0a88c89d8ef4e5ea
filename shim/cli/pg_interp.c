/*
 * pg_interp.c - the interpreter behind a tool when its script does not
 * name it (pg_interp.h).
 */
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "pg_interp.h"
#include "pg_realtool.h"
#include "pg_util.h"
#include "banned.h"

char *pg_interp_on_path(const char *name)
{
    struct pg_selfset skip;
    char out[PATH_MAX];
    int saw = 0;

    memset(&skip, 0, sizeof(skip));
    pg_selfset_add_program(&skip);
    if (pg_realtool_on_path(name, &skip, out, sizeof(out), &saw) < 0)
        return NULL;
    return pg_xstrdup(out);
}

int pg_interp_ours(const char *path)
{
    struct pg_selfset self;
    struct stat st;

    memset(&self, 0, sizeof(self));
    pg_selfset_add_program(&self);
    return stat(path, &st) == 0 && pg_selfset_has(&self, st.st_dev, st.st_ino);
}

int pg_interp_is_script(const char *path)
{
    char head[2];
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    ssize_t n = fd >= 0 ? read(fd, head, sizeof(head)) : -1;

    if (fd >= 0)
        close(fd);
    return n == 2 && head[0] == '#' && head[1] == '!';
}

int pg_interp_named(const char *path, const char *const *prefixes)
{
    const char *base = strrchr(path, '/');

    base = base ? base + 1 : path;
    for (; *prefixes; prefixes++)
        if (pg_starts_with(base, *prefixes))
            return 1;
    return 0;
}
