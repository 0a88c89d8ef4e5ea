/*
 * fuzz_tuf.c - TUF metadata on untrusted bytes: parse (each role's type),
 * canonical JSON, and every role's threshold against sigstore's real root.
 *
 * Canonical JSON must be stable: the canonical form of the canonical form
 * (when jansson can read it back, i.e. no raw control character) is the
 * same bytes. A failed check must say why.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "pg_tuf.h"
#include "pg_util.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

extern const unsigned char pg_tuf_sigstore_root_json[];
extern const size_t pg_tuf_sigstore_root_json_len;

static void check_canonical(const json_t *v)
{
    struct pg_sb a = PG_SB_INIT, b = PG_SB_INIT;
    json_t *again;

    if (pg_tuf_canonical(v, &a, NULL) < 0)
        goto out;
    again = json_loadb(pg_sb_str(&a), a.len, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
    if (again) {
        if (pg_tuf_canonical(again, &b, NULL) < 0 || a.len != b.len ||
            memcmp(pg_sb_str(&a), pg_sb_str(&b), a.len) != 0)
            abort();
        json_decref(again);
    }
out:
    pg_sb_release(&a);
    pg_sb_release(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *types[] = {"root", "timestamp", "snapshot", "targets"};
    json_t *root = NULL, *doc = NULL, *any;
    struct pg_err err = PG_ERR_INIT;

    if (sodium_init() < 0)
        abort();
    any = json_loadb((const char *)data, size, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
    if (any)
        check_canonical(any);
    json_decref(any);
    if (pg_tuf_parse((const char *)pg_tuf_sigstore_root_json, pg_tuf_sigstore_root_json_len,
                     "root", &root, NULL) < 0)
        abort();
    for (size_t t = 0; t < PG_ARRAY_SIZE(types); t++) {
        if (pg_tuf_parse((const char *)data, size, types[t], &doc, &err) < 0) {
            if (!err.msg[0])
                abort();
            continue;
        }
        err.msg[0] = '\0';
        if (pg_tuf_verify_role(root, types[t], doc, &err) < 0 && !err.msg[0])
            abort();
        /* A document that is the root itself may verify as root; nothing
         * else can name the other roles' keys' signatures. */
        if (pg_tuf_verify_role(doc, "root", doc, &err) < 0 && !err.msg[0])
            abort();
        json_decref(doc);
        doc = NULL;
    }
    json_decref(root);
    return 0;
}
