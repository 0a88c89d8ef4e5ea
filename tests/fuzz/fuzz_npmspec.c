/*
 * fuzz_npmspec.c - npm package specs on untrusted bytes.
 *
 * Input: a spec for pg_npmspec_parse(); if it holds a '\n', the part
 * before it is also tried as a package.json key with the part after as its
 * value (pg_npmspec_resolve), and both parts as names.
 *
 * Oracles: an error has a message and leaves nothing behind; a registry or
 * alias spec always names a package npm would accept; a git spec flagged
 * hosted has a project or a user.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pg_npmspec.h"
#include "pg_util.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int rc, const struct pg_npmspec *s, const struct pg_err *err)
{
    if (rc < 0) {
        if (!err->msg[0] || s->name || s->spec || s->raw_spec)
            abort();
        return;
    }
    if (!s->spec)
        abort();
    if ((s->type == PG_NPMSPEC_REGISTRY || s->type == PG_NPMSPEC_ALIAS) &&
        (!s->name || !pg_npmspec_name_ok(s->name)))
        abort();
}

static void one(const char *name, const char *spec)
{
    struct pg_npmspec s = PG_NPMSPEC_INIT;
    struct pg_err err = PG_ERR_INIT;
    struct pg_reqlist l = PG_REQLIST_INIT;
    int rc = name ? pg_npmspec_resolve(name, spec, &s, &err) : pg_npmspec_parse(spec, &s, &err);

    check(rc, &s, &err);
    if (rc == 0) {
        pg_npmspec_add_req(&s, &l, "fuzz");
        pg_reqlist_release(&l);
    }
    pg_npmspec_release(&s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf, *nl;

    if (size > 4096)
        return 0;
    buf = pg_xstrndup((const char *)data, size);
    one(NULL, buf);
    nl = strchr(buf, '\n');
    if (nl) {
        *nl = '\0';
        one(buf, nl + 1);
        (void)pg_npmspec_name_ok(buf);
        (void)pg_npmspec_name_ok(nl + 1);
    }
    free(buf);
    return 0;
}
