/*
 * fuzz_pep508.c - PEP 508 requirement strings and markers on untrusted
 * bytes (requirement files and argv are attacker-controlled in CI).
 *
 * Checks beyond "no crash": a parsed name is a valid PyPI name, the spec
 * has no whitespace, a pin is only reported for a single ==/=== spec, and a
 * marker that parsed inside a requirement parses again on its own.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pg_name.h"
#include "pg_pep508.h"
#include "pg_util.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const struct pg_pep508 *r)
{
    char *pin;

    if (!r->name || !pg_name_valid(PG_ECO_PYPI, r->name) || !r->spec)
        abort();
    if (strpbrk(r->spec, " \t") || (r->url && r->spec[0]))
        abort();
    if (r->extras && (strpbrk(r->extras, " \t[]") || !r->extras[0]))
        abort();
    pin = pg_pep508_pinned(r->spec);
    if (pin && (strchr(r->spec, ',') || strncmp(r->spec, "==", 2) != 0))
        abort();
    free(pin);
    if (r->marker && pg_pep508_check_marker(r->marker, NULL) < 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct pg_pep508 r = PG_PEP508_INIT;
    struct pg_err err = PG_ERR_INIT;
    char *s;

    if (size > 4096)
        return 0;
    s = pg_xstrndup((const char *)data, size); /* stops at an embedded NUL */
    if (pg_pep508_parse(&r, s, &err) == 0)
        check(&r);
    else if (!err.msg[0])
        abort(); /* every refusal says why */
    pg_pep508_release(&r);
    (void)pg_pep508_check_marker(s, NULL);
    free(s);
    return 0;
}
