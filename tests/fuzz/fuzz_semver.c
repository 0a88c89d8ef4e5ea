/*
 * fuzz_semver.c - node-semver versions, ranges and npm's pick on untrusted bytes.
 *
 * The input is lines: the last is a range or spec, the others are versions
 * of a made-up packument (the first also becomes its `latest` tag). Every
 * version is parsed, cleaned and compared with the others; the range is
 * compiled both ways and tested against them; then npm's pick runs.
 * Checked properties: compare is antisymmetric; a canonical version parses
 * back to an equal one; a desugared range compiles again.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pg_meta.h"
#include "pg_semver.h"
#include "pg_util.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_INPUT 4096
#define MAX_LINES 16

static void check_range(const char *range, unsigned flags, const struct pg_semver *vs, size_t n)
{
    struct pg_semver_range *r = pg_semver_range_parse(range, flags, NULL), *again;
    char *fmt;

    if (!r)
        return;
    fmt = pg_semver_range_format(r);
    again = pg_semver_range_parse(fmt, flags, NULL);
    if (!again)
        abort(); /* a desugared range must compile */
    for (size_t i = 0; i < n; i++)
        pg_semver_range_test(r, &vs[i]);
    pg_semver_range_free(again);
    pg_semver_range_free(r);
    free(fmt);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text, *lines[MAX_LINES], buf[PG_SEMVER_MAX_LEN + 1];
    struct pg_semver vs[MAX_LINES], back;
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
    m = pg_meta_new(PG_ECO_NPM, "fuzz");
    for (size_t i = 0; i + 1 < nl; i++) {
        pg_meta_add_version(m, lines[i])->published = (int64_t)i;
        pg_semver_clean(lines[i], buf, sizeof(buf));
        if (pg_semver_parse(lines[i], &vs[nv], NULL) < 0)
            continue;
        pg_semver_format(&vs[nv], buf, sizeof(buf));
        if (pg_semver_parse(buf, &back, NULL) < 0 || pg_semver_cmp(&back, &vs[nv]) != 0)
            abort();
        for (size_t k = 0; k < nv; k++)
            if (pg_semver_cmp(&vs[k], &vs[nv]) != -pg_semver_cmp(&vs[nv], &vs[k]))
                abort();
        nv++;
    }
    if (nl > 1)
        pg_meta_add_tag(m, "latest", lines[0]);
    check_range(lines[nl - 1], 0, vs, nv);
    check_range(lines[nl - 1], PG_SEMVER_INCLUDE_PRERELEASE, vs, nv);
    pg_semver_pick(m, lines[nl - 1], 0, NULL);
    pg_semver_pick(m, lines[nl - 1], 2, NULL);
    pg_meta_free(m);
    free(text);
    return 0;
}
