/*
 * fuzz_typo.c - the typosquat checker on untrusted names.
 *
 * Input: one byte choosing the ecosystem, then lines: the name to check,
 * then extra protected names (as policy's extra_popular would give). Names
 * come from argv, requirements files and lockfiles, so any bytes: invalid
 * UTF-8, control characters, over-long names. Checks the invariants the
 * rule relies on, and that the two edit-distance routines agree.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pg_typo.h"
#include "pg_typo_int.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_INPUT 2048
#define MAX_EXTRA 8

static void check_distances(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    struct pg_typo_peq pe;

    if (la == 0 || la > 64 || lb >= PG_TYPO_BUF)
        return;
    pg_typo_peq_init(&pe, a, la);
    for (int max = 1; max <= 2; max++)
        if (pg_typo_osa(a, la, b, lb, max) != pg_typo_osa_bits(&pe, b, lb, max))
            abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const struct pg_typo *idx = pg_typo_builtin();
    const char *extra[MAX_EXTRA];
    struct pg_typo_opts opts = PG_TYPO_OPTS_INIT;
    struct pg_typo_match m;
    const char *sug[5];
    char *buf, *line, *next;
    enum pg_eco eco;
    size_t n = 0, ns;

    if (size < 1 || size > MAX_INPUT)
        return 0;
    eco = data[0] & 1 ? PG_ECO_PYPI : PG_ECO_NPM;
    opts.popularity_ratio = (data[0] >> 1) + 1;
    buf = malloc(size);
    if (!buf)
        return 0;
    memcpy(buf, data + 1, size - 1);
    buf[size - 1] = '\0';
    line = buf;
    next = strchr(line, '\n');
    if (next)
        *next++ = '\0';
    while (next && n < MAX_EXTRA) {
        extra[n++] = next;
        next = strchr(next, '\n');
        if (next)
            *next++ = '\0';
    }
    opts.extra = extra;
    opts.nextra = n;
    if (pg_typo_check(idx, eco, line, &opts, &m)) {
        if (!m.target || m.kind == PG_TYPO_NONE || !(m.score > 0.0 && m.score <= 1.0) ||
            !strcmp(pg_typo_kind_name(m.kind), "none") || strlen(m.detail) >= sizeof(m.detail))
            abort();
    }
    ns = pg_typo_suggest(idx, eco, line, sug, 5);
    if (ns > 5)
        abort();
    for (size_t i = 0; i < ns; i++)
        if (!sug[i] || !*sug[i])
            abort();
    (void)pg_typo_popularity(idx, eco, line);
    for (size_t i = 0; i < n; i++)
        check_distances(line, extra[i]);
    free(buf);
    return 0;
}
