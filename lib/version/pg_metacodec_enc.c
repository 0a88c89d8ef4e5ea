/*
 * pg_metacodec_enc.c - struct pg_meta to its facts record (pg_metacodec.h).
 *
 * Most of a packument's bytes repeat from version to version: the tarball
 * URL is "<prefix><version>.tgz", the repository is one string, and
 * consecutive releases declare the same dependencies. The writer states
 * each of those once (tarball_prefix, the repos and depsets tables) and
 * lets a version refer to it. It writes exactly one spelling per meta (the
 * reader refuses any other), so a record encodes back to its own bytes.
 *
 * Encoding runs once per fetched document: clear beats fast here, as long
 * as nothing is quadratic in the number of versions.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pg_metacodec.h"
#include "pg_metacodec_int.h"
#include "pg_strmap.h"
#include "banned.h"

static void put_u(struct pg_sb *sb, uint64_t v)
{
    char b[10];
    size_t n = 0;

    do {
        b[n] = (char)(v & 0x7f);
        v >>= 7;
        if (v)
            b[n] |= (char)0x80;
        n++;
    } while (v);
    pg_sb_add(sb, b, n);
}

static void put_i(struct pg_sb *sb, int64_t v)
{
    put_u(sb, ((uint64_t)v << 1) ^ (uint64_t)(v >> 63));
}

static void put_s(struct pg_sb *sb, const char *s)
{
    size_t n;

    if (!s) {
        put_u(sb, 0);
        return;
    }
    n = strlen(s);
    put_u(sb, (uint64_t)n + 1);
    pg_sb_add(sb, s, n);
}

size_t pg_metacodec_tgz_prefix(const char *s, size_t n, const char *version)
{
    size_t vlen = strlen(version), suffix = vlen + 4;

    if (n <= suffix || memcmp(s + n - suffix, version, vlen) != 0 ||
        memcmp(s + n - 4, ".tgz", 4) != 0)
        return SIZE_MAX;
    return n - suffix;
}

/* What versions refer to instead of repeating it. */
struct tables {
    const char *prefix; /* tarball_prefix (borrowed), or NULL */
    size_t prefix_len;
    struct pg_strmap repo_ix, dep_ix; /* string / hex of bytes -> index */
    const char **repos;               /* borrowed from the meta */
    size_t nrepos;
    struct pg_sb depbytes; /* every distinct depset's bytes, one after another */
    size_t *dep_end;       /* where each ends in depbytes */
    size_t ndepsets;
    size_t *repo_ref, *dep_ref; /* per version: 0 none, k entry k-1 */
};

static void find_prefix(const struct pg_meta *m, struct tables *t)
{
    for (size_t i = 0; i < m->nversions; i++) {
        const struct pg_meta_version *v = &m->versions[i];
        size_t pl;

        if (!v->tarball)
            continue;
        pl = pg_metacodec_tgz_prefix(v->tarball, strlen(v->tarball), v->version);
        if (pl != SIZE_MAX) {
            t->prefix = v->tarball;
            t->prefix_len = pl;
            return;
        }
    }
}

static void put_deps(struct pg_sb *sb, const struct pg_meta_version *v)
{
    put_u(sb, v->ndeps);
    for (size_t i = 0; i < v->ndeps; i++) {
        put_s(sb, v->deps[i].name);
        put_s(sb, v->deps[i].spec);
        put_u(sb, (uint64_t)v->deps[i].kind);
        put_u(sb, v->deps[i].bundled != 0);
    }
}

static size_t repo_ref(struct tables *t, const char *repo)
{
    size_t *at;

    if (!repo)
        return 0;
    at = pg_strmap_get(&t->repo_ix, repo);
    if (at)
        return *at + 1;
    pg_strmap_put(&t->repo_ix, repo, t->nrepos);
    t->repos[t->nrepos++] = repo;
    return t->nrepos;
}

/* Depsets are told apart by their bytes, spelled in hex as the map's key. */
static size_t dep_ref(struct tables *t, const struct pg_meta_version *v, struct pg_sb *scratch,
                      struct pg_sb *key)
{
    static const char hex[] = "0123456789abcdef";
    size_t *at;

    if (!v->ndeps)
        return 0;
    pg_sb_reset(scratch);
    put_deps(scratch, v);
    pg_sb_reset(key);
    for (size_t i = 0; i < scratch->len; i++) {
        pg_sb_addc(key, hex[(unsigned char)scratch->buf[i] >> 4]);
        pg_sb_addc(key, hex[(unsigned char)scratch->buf[i] & 0xf]);
    }
    at = pg_strmap_get(&t->dep_ix, pg_sb_str(key));
    if (at)
        return *at + 1;
    pg_strmap_put(&t->dep_ix, pg_sb_str(key), t->ndepsets);
    pg_sb_add(&t->depbytes, scratch->buf, scratch->len);
    t->dep_end[t->ndepsets++] = t->depbytes.len;
    return t->ndepsets;
}

static void tables_build(const struct pg_meta *m, struct tables *t)
{
    struct pg_sb scratch = PG_SB_INIT, key = PG_SB_INIT;
    size_t n = m->nversions ? m->nversions : 1;

    memset(t, 0, sizeof(*t));
    t->repos = pg_xcalloc(n, sizeof(*t->repos));
    t->dep_end = pg_xcalloc(n, sizeof(*t->dep_end));
    t->repo_ref = pg_xcalloc(n, sizeof(*t->repo_ref));
    t->dep_ref = pg_xcalloc(n, sizeof(*t->dep_ref));
    find_prefix(m, t);
    for (size_t i = 0; i < m->nversions; i++) {
        t->repo_ref[i] = repo_ref(t, m->versions[i].repository);
        t->dep_ref[i] = dep_ref(t, &m->versions[i], &scratch, &key);
    }
    pg_sb_release(&scratch);
    pg_sb_release(&key);
}

static void tables_release(struct tables *t)
{
    pg_strmap_release(&t->repo_ix);
    pg_strmap_release(&t->dep_ix);
    pg_sb_release(&t->depbytes);
    free(t->repos);
    free(t->dep_end);
    free(t->repo_ref);
    free(t->dep_ref);
}

static void put_tables(struct pg_sb *sb, const struct tables *t)
{
    size_t start = 0;

    if (t->prefix) {
        put_u(sb, (uint64_t)t->prefix_len + 1);
        pg_sb_add(sb, t->prefix, t->prefix_len);
    } else {
        put_u(sb, 0);
    }
    put_u(sb, t->nrepos);
    for (size_t i = 0; i < t->nrepos; i++)
        put_s(sb, t->repos[i]);
    put_u(sb, t->ndepsets);
    for (size_t i = 0; i < t->ndepsets; i++) {
        put_u(sb, t->dep_end[i] - start);
        pg_sb_add(sb, t->depbytes.buf + start, t->dep_end[i] - start);
        start = t->dep_end[i];
    }
}

/* What every decode reads of every version (pg_metacodec.h: HEAD). */
static void put_head(struct pg_sb *sb, const struct pg_meta_version *v)
{
    put_s(sb, v->version);
    put_i(sb, v->published);
    put_i(sb, v->deprecated);
    put_i(sb, v->yanked);
    put_i(sb, v->install_scripts);
    put_s(sb, v->publisher);
    put_s(sb, v->publisher_workflow);
    put_s(sb, v->provenance_url);
    put_i(sb, v->evidence);
    put_i(sb, v->elsewhere);
    put_s(sb, v->engines_node);
    put_s(sb, v->engines_npm);
    put_u(sb, v->nfiles);
    for (size_t i = 0; i < v->nfiles; i++) {
        put_u(sb, v->files[i].kind);
        put_s(sb, v->files[i].requires_python);
        put_s(sb, v->files[i].url);
        put_s(sb, v->files[i].core_metadata);
        put_s(sb, v->files[i].filename);
        put_s(sb, v->files[i].sha256);
        put_s(sb, v->files[i].provenance_url);
    }
    put_s(sb, v->local_file);
    put_u(sb, (uint64_t)v->deps_state);
    put_u(sb, v->has_shrinkwrap != 0);
    put_s(sb, v->attestations_url);
}

static void put_tarball(struct pg_sb *sb, const struct pg_meta_version *v, const struct tables *t)
{
    size_t n;

    if (!v->tarball) {
        put_u(sb, PG_METACODEC_TGZ_NONE);
        return;
    }
    n = strlen(v->tarball);
    if (t->prefix && pg_metacodec_tgz_prefix(v->tarball, n, v->version) == t->prefix_len &&
        memcmp(v->tarball, t->prefix, t->prefix_len) == 0) {
        put_u(sb, PG_METACODEC_TGZ_PREFIX);
        return;
    }
    put_u(sb, (uint64_t)n + PG_METACODEC_TGZ_LITERAL);
    pg_sb_add(sb, v->tarball, n);
}

/* What a skim jumps over (pg_metacodec.h: TAIL). */
static void put_tail(struct pg_sb *sb, const struct pg_meta_version *v, const struct tables *t)
{
    put_s(sb, v->deprecated_msg);
    put_s(sb, v->yanked_reason);
    put_s(sb, v->integrity);
    put_tarball(sb, v, t);
    put_s(sb, v->shasum);
    put_s(sb, v->signatures_json);
}

static void put_versions(struct pg_sb *out, const struct pg_meta *m, const struct tables *t)
{
    struct pg_sb tail = PG_SB_INIT;

    put_u(out, m->nversions);
    for (size_t i = 0; i < m->nversions; i++) {
        put_head(out, &m->versions[i]);
        put_u(out, t->repo_ref[i]);
        put_u(out, t->dep_ref[i]);
        pg_sb_reset(&tail);
        put_tail(&tail, &m->versions[i], t);
        put_u(out, tail.len);
        pg_sb_add(out, tail.buf, tail.len);
    }
    pg_sb_release(&tail);
}

void pg_metacodec_encode(const struct pg_meta *m, struct pg_sb *out)
{
    struct tables t;

    tables_build(m, &t);
    pg_sb_add(out, PG_METACODEC_MAGIC, PG_METACODEC_MARK);
    pg_sb_addc(out, (char)PG_METACODEC_VERSION);
    put_u(out, (uint64_t)m->eco);
    put_s(out, m->name);
    put_u(out, m->exists != 0);
    put_i(out, m->created);
    put_i(out, m->modified);
    put_s(out, m->status);
    put_u(out, m->primary_has != 0);
    put_u(out, m->ntags);
    for (size_t i = 0; i < m->ntags; i++) {
        put_s(out, m->tag_names[i]);
        put_s(out, m->tag_versions[i]);
    }
    put_u(out, m->nmaintainers);
    for (size_t i = 0; i < m->nmaintainers; i++)
        put_s(out, m->maintainers[i]);
    put_tables(out, &t);
    put_versions(out, m, &t);
    pg_sb_add(out, PG_METACODEC_END, PG_METACODEC_MARK);
    tables_release(&t);
}
