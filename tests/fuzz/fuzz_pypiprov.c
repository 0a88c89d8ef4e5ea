/*
 * fuzz_pypiprov.c - the PEP 740 provenance parser on untrusted bytes, and
 * the same bytes as a PEP 691 page whose provenance links are resolved
 * against a base URL.
 *
 * A parsed publisher always has a kind and an identity, and none of its
 * strings is over the field cap or holds a control byte; a resolved
 * provenance URL is never empty.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pg_pypimeta.h"
#include "pg_pypiprov.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_field(const char *s)
{
    if (!s)
        return;
    /* identity is "<kind>:" plus a capped field, so allow twice the cap */
    if (strlen(s) > 2 * PG_PYPIPROV_MAX_FIELD + 1)
        abort();
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct pg_pypiprov p = PG_PYPIPROV_INIT;
    struct pg_meta *m;

    if (pg_pypiprov_parse(&p, (const char *)data, size, NULL) == 0) {
        if (!p.kind || !p.identity)
            abort();
        check_field(p.kind);
        check_field(p.repository);
        check_field(p.workflow);
        check_field(p.environment);
        check_field(p.email);
        check_field(p.identity);
    } else if (p.kind || p.identity) {
        abort(); /* a refusal leaves nothing behind */
    }
    pg_pypiprov_release(&p);
    m = pg_pypimeta_parse_simple("x", "https://idx.example/simple/x/", (const char *)data, size,
                                 NULL);
    for (size_t i = 0; m && i < m->nversions; i++)
        if (m->versions[i].provenance_url && !m->versions[i].provenance_url[0])
            abort();
    pg_meta_free(m);
    return 0;
}
