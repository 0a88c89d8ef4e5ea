/*
 * fuzz_pep440.c - PEP 440 versions, specifier sets and pip's pick on
 * untrusted bytes.
 *
 * The input is lines: the last is a specifier set, the others are versions
 * of a made-up index (every third one yanked). Every version is parsed,
 * normalised and compared with the others; the set is tested against them
 * with and without prereleases and used to filter them; then pip's pick
 * runs. Checked properties: compare is antisymmetric; the normalised form
 * parses back to an equal version and normalises to itself.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pg_meta.h"
#include "pg_pep440.h"
#include "pg_util.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_INPUT 4096
#define MAX_LINES 12

static void round_trip(const struct pg_pep440 *v)
{
    struct pg_sb a = PG_SB_INIT, b = PG_SB_INIT;
    struct pg_pep440 *back = pg_xmalloc(sizeof(*back));

    pg_pep440_format(v, 0, &a);
    if (pg_pep440_parse(pg_sb_str(&a), back, NULL) < 0 || pg_pep440_cmp(back, v) != 0)
        abort();
    pg_pep440_format(back, 0, &b);
    if (strcmp(pg_sb_str(&a), pg_sb_str(&b)) != 0)
        abort();
    pg_sb_reset(&a);
    pg_pep440_format(v, PG_PEP440_FMT_PUBLIC | PG_PEP440_FMT_CANONICAL, &a);
    free(back);
    pg_sb_release(&a);
    pg_sb_release(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text, *lines[MAX_LINES];
    struct pg_pep440 *vs = NULL;
    const struct pg_pep440 *pv[MAX_LINES];
    struct pg_pep440_specset *set;
    int keep[MAX_LINES];
    struct pg_meta *m;
    size_t nl = 0, nv = 0;

    if (size > MAX_INPUT)
        return 0;
    text = pg_xstrndup((const char *)data, size); /* stops at a NUL byte */
    lines[nl++] = text;
    for (char *p = strchr(text, '\n'); p && nl < MAX_LINES; p = strchr(p, '\n')) {
        *p++ = '\0';
        lines[nl++] = p;
    }
    vs = pg_xcalloc(MAX_LINES, sizeof(*vs));
    m = pg_meta_new(PG_ECO_PYPI, "fuzz");
    for (size_t i = 0; i + 1 < nl; i++) {
        struct pg_meta_version *mv = pg_meta_add_version(m, lines[i]);

        mv->published = (int64_t)i;
        mv->yanked = i % 3 == 2;
        if (pg_pep440_parse(lines[i], &vs[nv], NULL) < 0)
            continue;
        round_trip(&vs[nv]);
        for (size_t k = 0; k < nv; k++)
            if (pg_pep440_cmp(&vs[k], &vs[nv]) != -pg_pep440_cmp(&vs[nv], &vs[k]))
                abort();
        pv[nv] = &vs[nv];
        nv++;
    }
    set = pg_pep440_specset_parse(lines[nl - 1], NULL);
    if (set) {
        for (size_t i = 0; i < nv; i++) {
            pg_pep440_specset_contains(set, &vs[i], 0);
            pg_pep440_specset_contains(set, &vs[i], 1);
        }
        pg_pep440_specset_filter(set, pv, nv, 0, keep);
        pg_pep440_specset_filter(set, pv, nv, 1, keep);
        pg_pep440_specset_pinned(set);
        pg_pep440_specset_free(set);
    }
    pg_pep440_pick(m, lines[nl - 1], 0, 0, NULL);
    pg_pep440_pick(m, lines[nl - 1], 1, 3, NULL);
    pg_meta_free(m);
    free(vs);
    free(text);
    return 0;
}
