/*
 * fuzz_pipargs.c - pip command lines: the full parser and the shim's
 * router on the same argv.
 *
 * Input: words separated by '\n' or NUL, after an implied argv[0] "pip".
 * '/' becomes '_' so -r/-c and paths stay inside tests/unit/data/req (the
 * working directory given to the parser): the fuzzer reads real fixture
 * files but cannot reach /proc, devices or the rest of the disk.
 *
 * Oracle: when the router says a command cannot install (0), the full
 * parser must agree (installs == 0) or refuse the command.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pg_pipargs.h"
#include "pg_route_pip.h"
#include "pg_util.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_WORDS 64

/* tests/unit/data/req, found from this file's path in the source tree. */
static char *data_dir(void)
{
    const char *self = __FILE__;
    const char *slash = strrchr(self, '/');

    if (!slash)
        return pg_xstrdup("tests/unit/data/req");
    return pg_xasprintf("%.*s/../tests/unit/data/req", (int)(slash - self), self);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf, *argv[MAX_WORDS + 1], *dir;
    int argc = 0, rc, route;
    struct pg_cmd cmd;
    struct pg_err err = PG_ERR_INIT;

    if (size > 4096)
        return 0;
    buf = pg_xmalloc(size + 1);
    memcpy(buf, data, size);
    buf[size] = '\0';
    argv[argc++] = "pip";
    argv[argc++] = buf;
    for (size_t i = 0; i < size; i++) {
        if (buf[i] == '/')
            buf[i] = '_';
        if (buf[i] == '\n' || buf[i] == '\0') {
            buf[i] = '\0';
            if (argc == MAX_WORDS)
                break;
            argv[argc++] = buf + i + 1;
        }
    }
    argv[argc] = NULL;
    dir = data_dir();
    pg_cmd_init(&cmd, PG_TOOL_PIP);
    rc = pg_pipargs_parse(&cmd, argc, argv, dir, &err);
    route = pg_route_pip(argc, argv);
    if (rc < 0 && !err.msg[0])
        abort();
    if (rc == 0 && route == 0 && cmd.installs)
        abort();
    if (rc == 0 && cmd.installs && !cmd.subcmd)
        abort();
    pg_cmd_release(&cmd);
    free(dir);
    free(buf);
    return 0;
}
