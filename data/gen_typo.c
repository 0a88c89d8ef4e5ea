/*
 * gen_typo - build-time generator of the typosquat index.
 *
 *     gen_typo popular-pypi.txt popular-npm.txt established-npm.txt out.c
 *
 * Reads the committed popular lists (name TAB downloads TAB target ...) and
 * writes a C source holding pg_typo_builtin_index: sorted entries, their
 * key skeletons and the hash indexes described in lib/pg_typo_int.h, all
 * const, so pkggate parses nothing at start-up. The established list
 * (front-coded names) becomes sorted fingerprints and its "# snapshot"
 * line the index's snapshot date. It is compiled with
 * lib/pg_typo_skel.c, the same code that computes skeletons and hashes at
 * run time, so the two cannot disagree.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pg_typo_int.h"
#include "banned.h"

struct row {
    char *name;
    char *skel;
    unsigned long pop;
    unsigned flags;
    unsigned long first, count; /* scopes */
};

struct set {
    struct row *v;
    size_t n, alloc;
};

struct pair {
    uint32_t bucket, id;
};

struct csr {
    struct pair *v;
    size_t n, alloc;
};

static void die(const char *msg, const char *arg)
{
    fprintf(stderr, "gen_typo: %s%s%s\n", msg, arg ? ": " : "", arg ? arg : "");
    exit(1);
}

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        die("out of memory", NULL);
    return p;
}

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = xrealloc(NULL, n);

    memcpy(d, s, n);
    return d;
}

static struct row *set_add(struct set *s)
{
    if (s->n == s->alloc) {
        s->alloc = s->alloc ? 2 * s->alloc : 1024;
        s->v = xrealloc(s->v, s->alloc * sizeof(*s->v));
    }
    memset(&s->v[s->n], 0, sizeof(s->v[0]));
    return &s->v[s->n++];
}

static int cmp_row(const void *a, const void *b)
{
    return strcmp(((const struct row *)a)->name, ((const struct row *)b)->name);
}

static char *make_skel(enum pg_eco eco, const char *name)
{
    char buf[PG_TYPO_NAME_MAX + 1];

    pg_typo_skel(eco, name, strlen(name), PG_SKEL_KEY, buf, sizeof(buf));
    return xstrdup(buf);
}

static void read_list(const char *path, enum pg_eco eco, struct set *s)
{
    char line[4096];
    FILE *f = fopen(path, "r");

    if (!f)
        die(strerror(errno), path);
    while (fgets(line, sizeof(line), f)) {
        char *name = line, *pop, *target, *end;
        struct row *r;

        if (line[0] == '#' || line[0] == '\n')
            continue;
        pop = strchr(name, '\t');
        target = pop ? strchr(pop + 1, '\t') : NULL;
        if (!target)
            die("malformed line", line);
        *pop++ = '\0';
        *target++ = '\0';
        if (!*name || strlen(name) > PG_TYPO_NAME_MAX)
            die("bad name", name);
        r = set_add(s);
        r->name = xstrdup(name);
        errno = 0;
        r->pop = strtoul(pop, &end, 10);
        if (errno || end == pop || r->pop > 0xFFFFFFFFul)
            die("bad download count", name);
        r->flags = target[0] == '1' ? PG_TYPO_F_TARGET : 0;
        r->skel = make_skel(eco, name);
    }
    fclose(f);
    qsort(s->v, s->n, sizeof(s->v[0]), cmp_row);
    for (size_t i = 1; i < s->n; i++)
        if (!strcmp(s->v[i - 1].name, s->v[i].name))
            die("duplicate name", s->v[i].name);
    if (s->n >= (size_t)1 << PG_TYPO_SEG_LEN_SHIFT)
        die("too many names for the segment index", path);
}

/* npm scopes that hold a listed package, with the range of their packages. */
static void make_scopes(const struct set *npm, struct set *scopes)
{
    for (size_t i = 0; i < npm->n; i++) {
        const char *name = npm->v[i].name, *slash = strchr(name, '/');
        struct row *r;
        char *scope;

        if (name[0] != '@' || !slash)
            continue;
        scope = xrealloc(NULL, (size_t)(slash - name));
        memcpy(scope, name + 1, (size_t)(slash - name - 1));
        scope[slash - name - 1] = '\0';
        if (scopes->n && !strcmp(scopes->v[scopes->n - 1].name, scope)) {
            r = &scopes->v[scopes->n - 1];
            free(scope);
            r->count++;
        } else {
            r = set_add(scopes);
            r->name = scope;
            r->skel = make_skel(PG_ECO_NPM, scope);
            r->first = i;
            r->count = 1;
        }
        if (npm->v[i].pop > r->pop)
            r->pop = npm->v[i].pop;
        r->flags |= npm->v[i].flags;
    }
}

static void csr_add(struct csr *c, uint32_t hash, size_t id)
{
    if (c->n == c->alloc) {
        c->alloc = c->alloc ? 2 * c->alloc : 4096;
        c->v = xrealloc(c->v, c->alloc * sizeof(*c->v));
    }
    c->v[c->n].bucket = hash; /* reduced to a bucket when the size is known */
    c->v[c->n++].id = (uint32_t)id;
}

static int cmp_pair(const void *a, const void *b)
{
    const struct pair *x = a, *y = b;

    if (x->bucket != y->bucket)
        return x->bucket < y->bucket ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

static void emit_u32(FILE *o, const char *name, const uint32_t *v, size_t n)
{
    fprintf(o, "static const uint32_t %s[%zu] = {", name, n ? n : 1);
    for (size_t i = 0; i < n; i++)
        fprintf(o, "%s%u,", i % 16 ? "" : "\n", v[i]);
    fprintf(o, "%s};\n", n ? "" : "0");
}

/* Emit one hash index; returns its mask. */
static uint32_t emit_csr(FILE *o, const char *prefix, const char *what, struct csr *c)
{
    char name[128];
    size_t nb = 1, k = 0;
    uint32_t *start, *ids;

    while (nb < c->n)
        nb <<= 1;
    for (size_t i = 0; i < c->n; i++)
        c->v[i].bucket &= (uint32_t)(nb - 1);
    qsort(c->v, c->n, sizeof(c->v[0]), cmp_pair);
    start = xrealloc(NULL, (nb + 1) * sizeof(*start));
    ids = xrealloc(NULL, (c->n ? c->n : 1) * sizeof(*ids));
    for (size_t b = 0, i = 0; b <= nb; b++) {
        start[b] = (uint32_t)k;
        for (; b < nb && i < c->n && c->v[i].bucket == b; i++)
            if (!k || i == 0 || c->v[i - 1].bucket != b || c->v[i - 1].id != c->v[i].id)
                ids[k++] = c->v[i].id;
    }
    snprintf(name, sizeof(name), "%s_%s_start", prefix, what);
    emit_u32(o, name, start, nb + 1);
    snprintf(name, sizeof(name), "%s_%s_ids", prefix, what);
    emit_u32(o, name, ids, k);
    free(start);
    free(ids);
    return (uint32_t)(nb - 1);
}

static void emit_blob(FILE *o, const char *name, const struct set *s, int skel)
{
    fprintf(o, "static const char %s[] =", name);
    for (size_t i = 0; i < s->n; i++) {
        const char *p = skel ? s->v[i].skel : s->v[i].name;

        fputs(i % 8 ? "" : "\n", o);
        fputc('"', o);
        for (; *p; p++) {
            unsigned char ch = (unsigned char)*p;

            /* '?' too: -std=c11 reads trigraphs. */
            if (ch < 0x20 || ch >= 0x7F || ch == '"' || ch == '\\' || ch == '?')
                fprintf(o, "\\%03o", ch);
            else
                fputc(ch, o);
        }
        fputs("\\0\"", o);
    }
    fputs(s->n ? ";\n" : "\"\";\n", o);
}

static void emit_arrays(FILE *o, const char *p, const struct set *s, int scopes)
{
    char name[128];
    uint32_t *u = xrealloc(NULL, (s->n ? s->n : 1) * sizeof(*u));
    size_t off;

    snprintf(name, sizeof(name), "%s_names", p);
    emit_blob(o, name, s, 0);
    snprintf(name, sizeof(name), "%s_skels", p);
    emit_blob(o, name, s, 1);
    off = 0;
    for (size_t i = 0; i < s->n; i++) {
        u[i] = (uint32_t)off;
        off += strlen(s->v[i].name) + 1;
    }
    snprintf(name, sizeof(name), "%s_name_off", p);
    emit_u32(o, name, u, s->n);
    off = 0;
    for (size_t i = 0; i < s->n; i++) {
        u[i] = (uint32_t)off;
        off += strlen(s->v[i].skel) + 1;
    }
    snprintf(name, sizeof(name), "%s_skel_off", p);
    emit_u32(o, name, u, s->n);
    for (size_t i = 0; i < s->n; i++)
        u[i] = pg_typo_letters(s->v[i].skel, strlen(s->v[i].skel));
    snprintf(name, sizeof(name), "%s_letters", p);
    emit_u32(o, name, u, s->n);
    for (size_t i = 0; i < s->n; i++)
        u[i] = (uint32_t)s->v[i].pop;
    snprintf(name, sizeof(name), "%s_pop", p);
    emit_u32(o, name, u, s->n);
    /* Package sets have no scope ranges: NULL there (see emit_set). */
    for (size_t i = 0; scopes && i < s->n; i++)
        u[i] = (uint32_t)s->v[i].first;
    snprintf(name, sizeof(name), "%s_first", p);
    if (scopes)
        emit_u32(o, name, u, s->n);
    for (size_t i = 0; scopes && i < s->n; i++)
        u[i] = (uint32_t)s->v[i].count;
    snprintf(name, sizeof(name), "%s_count", p);
    if (scopes)
        emit_u32(o, name, u, s->n);
    free(u);
    fprintf(o, "static const uint8_t %s_skel_len[%zu] = {", p, s->n ? s->n : 1);
    for (size_t i = 0; i < s->n; i++) {
        size_t l = strlen(s->v[i].skel);

        fprintf(o, "%s%zu,", i % 24 ? "" : "\n", l > 255 ? (size_t)255 : l);
    }
    fprintf(o, "%s};\n", s->n ? "" : "0");
    fprintf(o, "static const uint8_t %s_flags[%zu] = {", p, s->n ? s->n : 1);
    for (size_t i = 0; i < s->n; i++)
        fprintf(o, "%s%u,", i % 24 ? "" : "\n", s->v[i].flags);
    fprintf(o, "%s};\n", s->n ? "" : "0");
}

static void index_set(const struct set *s, struct csr c[4])
{
    char words[PG_TYPO_NAME_MAX + 1];

    for (size_t id = 0; id < s->n; id++) {
        const char *name = s->v[id].name, *sk = s->v[id].skel;
        size_t len = strlen(sk);
        int kf = pg_typo_kf(len);

        csr_add(&c[0], pg_typo_hash(pg_typo_seed(PG_TYPO_H_NAME, 0, 0), name, strlen(name)),
                id);
        csr_add(&c[1], pg_typo_hash(pg_typo_seed(PG_TYPO_H_SKEL, 0, 0), sk, len), id);
        for (int i = 0; kf > 0 && i <= kf; i++) {
            size_t st, sl;

            pg_typo_segment(len, kf, i, &st, &sl);
            /* The skeleton length rides along so that other keys sharing
             * the bucket are dropped without touching the entry. */
            csr_add(&c[2],
                    pg_typo_hash(pg_typo_seed(PG_TYPO_H_SEG, (unsigned)len, (unsigned)i),
                                 sk + st, sl),
                    id | len << PG_TYPO_SEG_LEN_SHIFT);
        }
        if (pg_typo_words(name, words, sizeof(words)) >= 2)
            csr_add(&c[3], pg_typo_hash(pg_typo_seed(PG_TYPO_H_TOK, 0, 0), words,
                                        strlen(words)),
                    id);
    }
}

static void emit_set(FILE *o, const char *p, const struct set *s, int scopes)
{
    static const char *const what[4] = {"name", "skel", "seg", "tok"};
    struct csr c[4];
    uint32_t mask[4];

    memset(c, 0, sizeof(c));
    emit_arrays(o, p, s, scopes);
    index_set(s, c);
    for (int i = 0; i < 4; i++) {
        mask[i] = emit_csr(o, p, what[i], &c[i]);
        free(c[i].v);
    }
    fprintf(o, "#define SET_%s {%zu, %s_names, %s_name_off, %s_skels, %s_skel_off, "
               "%s_skel_len, %s_letters, %s_pop, %s_flags, ",
            p, s->n, p, p, p, p, p, p, p, p);
    if (scopes)
        fprintf(o, "%s_first, %s_count, \\\n", p, p);
    else
        fprintf(o, "NULL, NULL, \\\n");
    for (int i = 0; i < 4; i++)
        fprintf(o, "    {%uu, %s_%s_start, %s_%s_ids}%s\n", mask[i], p, what[i], p, what[i],
                i < 3 ? ", \\" : "}");
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

    return x < y ? -1 : x > y;
}

/* Where each bucket of the top PG_TYPO_FP_BITS starts in sorted v. */
static void emit_buckets(FILE *o, const char *name, const uint32_t *v, size_t n)
{
    size_t nb = (size_t)1 << PG_TYPO_FP_BITS;
    uint32_t *start = xrealloc(NULL, (nb + 1) * sizeof(*start));
    size_t i = 0;

    for (size_t b = 0; b <= nb; b++) {
        while (i < n && (v[i] >> (32 - PG_TYPO_FP_BITS)) < b)
            i++;
        start[b] = (uint32_t)i;
    }
    emit_u32(o, name, start, nb + 1);
    free(start);
}

/* One front-coded row ("shared prefix length TAB rest") onto prev. */
static void decode_row(char *line, char *prev)
{
    char *tab = strchr(line, '\t'), *end;
    unsigned long k;

    if (!tab)
        die("malformed established line", line);
    *tab = '\0';
    errno = 0;
    k = strtoul(line, &end, 10);
    if (errno || end == line || k > strlen(prev) ||
        k + strlen(tab + 1) > PG_TYPO_NAME_MAX)
        die("bad established row", line);
    memmove(prev + k, tab + 1, strlen(tab + 1) + 1);
}

/* Emit the fingerprints of the established list; *snap gets its date. */
static size_t emit_established(FILE *o, const char *path, char *snap, size_t cap)
{
    char line[PG_TYPO_NAME_MAX + 64], name[PG_TYPO_NAME_MAX + 1] = "";
    uint32_t seed = pg_typo_seed(PG_TYPO_H_EST, 0, 0), *v = NULL;
    size_t n = 0, alloc = 0, k = 0;
    FILE *f = fopen(path, "r");

    if (!f)
        die(strerror(errno), path);
    while (fgets(line, sizeof(line), f)) {
        line[strcspn(line, "\n")] = '\0';
        if (!strncmp(line, "# snapshot ", 11)) {
            if (strlen(line + 11) >= cap)
                die("bad snapshot date", line);
            memcpy(snap, line + 11, strlen(line + 11) + 1);
        }
        if (line[0] == '#' || !line[0])
            continue;
        decode_row(line, name);
        if (n == alloc)
            v = xrealloc(v, (alloc = alloc ? 2 * alloc : 4096) * sizeof(*v));
        v[n++] = pg_typo_hash(seed, name, strlen(name));
    }
    fclose(f);
    /* It lands in a C string literal. */
    if (strspn(snap, "0123456789-") != strlen(snap))
        die("bad snapshot date", snap);
    qsort(v, n, sizeof(*v), cmp_u32);
    for (size_t i = 0; i < n; i++)
        if (k == 0 || v[k - 1] != v[i])
            v[k++] = v[i];
    emit_u32(o, "est_npm", v, k);
    emit_buckets(o, "est_npm_start", v, k);
    free(v);
    return k;
}

static void free_set(struct set *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->v[i].name);
        free(s->v[i].skel);
    }
    free(s->v);
}

int main(int argc, char **argv)
{
    struct set pypi = {0}, npm = {0}, scopes = {0};
    char snap[32] = "unknown";
    size_t nest;
    FILE *o;

    if (argc != 5)
        die("usage: gen_typo popular-pypi.txt popular-npm.txt established-npm.txt out.c",
            NULL);
    read_list(argv[1], PG_ECO_PYPI, &pypi);
    read_list(argv[2], PG_ECO_NPM, &npm);
    make_scopes(&npm, &scopes);
    o = fopen(argv[4], "w");
    if (!o)
        die(strerror(errno), argv[4]);
    fputs("/* Generated by data/gen_typo.c from data/popular-*.txt. Do not edit. */\n"
          "#include <stddef.h>\n\n#include \"pg_typo_int.h\"\n\n",
          o);
    emit_set(o, "pypi", &pypi, 0);
    emit_set(o, "npm", &npm, 0);
    emit_set(o, "scopes", &scopes, 1);
    nest = emit_established(o, argv[3], snap, sizeof(snap));
    fprintf(o, "\nconst struct pg_typo pg_typo_builtin_index = {SET_pypi, SET_npm, SET_scopes, "
               "{0, NULL, NULL}, {%zuu, est_npm, est_npm_start}, \"%s\"};\n", nest, snap);
    if (ferror(o) | fclose(o))
        die("write failed", argv[4]);
    free_set(&pypi);
    free_set(&npm);
    free_set(&scopes);
    return 0;
}
