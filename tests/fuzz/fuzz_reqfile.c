/*
 * fuzz_reqfile.c - requirements-file text on untrusted bytes: encodings,
 * line breaks, continuations, comments, ${VAR}, shlex quoting, options.
 *
 * Nested -r/-c files are not opened (no_nested): the fuzzer must not wander
 * the filesystem. ${VAR} comes from a fixed table, not the environment.
 * Every requirement line then goes through pip's line classification, as
 * pg_pipargs does for real files.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pg_pipargs.h"
#include "pg_reqfile.h"
#include "pg_util.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *fake_env(const char *name, void *ctx)
{
    (void)ctx;
    if (strcmp(name, "PKG") == 0)
        return "requests";
    if (strcmp(name, "LONG") == 0)
        return "--index-url https://example.org/simple ${PKG} # not a comment";
    return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const struct pg_reqfile_opts opts = {"/nonexistent-pkggate-fuzz", fake_env, NULL, 1};
    struct pg_reqfile rf = PG_REQFILE_INIT;
    struct pg_reqlist reqs = PG_REQLIST_INIT;
    struct pg_err err = PG_ERR_INIT;

    if (pg_reqfile_parse_buf(&rf, "fuzz.txt", (const char *)data, size, size & 1, &opts, &err) <
            0 &&
        !err.msg[0])
        abort();
    for (size_t i = 0; i < rf.n; i++) {
        const struct pg_reqfile_entry *e = &rf.v[i];

        if (!e->text[0] || e->line == 0 || strcmp(e->file, "fuzz.txt") != 0)
            abort();
        (void)pg_pipargs_add_req(&reqs, e->text, e->editable, "fuzz.txt:1", opts.cwd, &err);
    }
    pg_reqlist_release(&reqs);
    pg_reqfile_release(&rf);
    return 0;
}
