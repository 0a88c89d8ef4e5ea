/*
 * fuzz_npmargs.c - npm and npx command lines: the full parser and the
 * shim's router on the same argv.
 *
 * Input: the first byte picks the tool (odd: npx, even: npm); the rest are
 * words separated by '\n' or NUL after an implied argv[0]. '/' becomes '_'
 * so --prefix values, file specs and the manifest search stay inside
 * tests/unit/data/npm/app (the working directory given to the parser): the
 * fuzzer reads real fixtures but cannot reach the rest of the disk.
 *
 * Oracles: the router is conservative (when the full parser says a command
 * installs, the router said 1); an error always has a message; an
 * installing command names its subcommand.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pg_npmargs.h"
#include "pg_route_npm.h"
#include "pg_util.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_WORDS 64

/* tests/unit/data/npm/app, found from this file's path in the source tree. */
static char *data_dir(void)
{
    const char *self = __FILE__;
    const char *slash = strrchr(self, '/');

    if (!slash)
        return pg_xstrdup("tests/unit/data/npm/app");
    return pg_xasprintf("%.*s/../tests/unit/data/npm/app", (int)(slash - self), self);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf, *argv[MAX_WORDS + 1], *dir, *cwd;
    int argc = 0, rc, route, npx;
    struct pg_cmd cmd;
    struct pg_err err = PG_ERR_INIT;

    if (size < 1 || size > 4096)
        return 0;
    npx = data[0] & 1;
    buf = pg_xmalloc(size);
    memcpy(buf, data + 1, size - 1);
    buf[size - 1] = '\0';
    argv[argc++] = npx ? "npx" : "npm";
    if (size > 1)
        argv[argc++] = buf;
    for (size_t i = 0; i + 1 < size; i++) {
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
    cwd = realpath(dir, NULL);
    pg_cmd_init(&cmd, npx ? PG_TOOL_NPX : PG_TOOL_NPM);
    rc = pg_npmargs_parse(&cmd, argc, argv, cwd ? cwd : dir, &err);
    route = npx ? pg_route_npx(argc, argv) : pg_route_npm(argc, argv);
    if (rc < 0 && !err.msg[0])
        abort();
    if (rc == 0 && cmd.installs && !route)
        abort(); /* the shim would have skipped a command that installs */
    if (rc == 0 && cmd.installs && !cmd.subcmd)
        abort();
    for (size_t i = 0; rc == 0 && i < cmd.reqs.n; i++)
        if (!cmd.reqs.v[i].spec || !cmd.reqs.v[i].origin)
            abort();
    pg_cmd_release(&cmd);
    free(cwd);
    free(dir);
    free(buf);
    return 0;
}
