/*
 * typo_bench - measure the typosquat checker (lib/pg_typo.h), apart from
 * pkggate itself.
 *
 *   typo_bench check pypi|npm NAME...     what the checker says, one line each
 *   typo_bench quality DEV.tsv [all|tune|holdout] [-v]
 *       DEV.tsv: ecosystem name target kind label (typosquat|legit).
 *       Typosquats caught with the right target; legit names flagged.
 *       tune/holdout: a fixed 70/30 split by a hash of the name.
 *   typo_bench popular [-v]               every known name against the rest
 *   typo_bench names FILE eco [-v]        flag rate over a list of names
 *   typo_bench speed [N]                  names per second over N names
 *   typo_bench one eco NAME               one check, for timing a cold start
 *   typo_bench none                       start and exit, the baseline
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pg_typo.h"
#include "banned.h"

static int parse_eco(const char *s, enum pg_eco *eco)
{
    if (!strcmp(s, "pypi"))
        *eco = PG_ECO_PYPI;
    else if (!strcmp(s, "npm"))
        *eco = PG_ECO_NPM;
    else
        return -1;
    return 0;
}

static void show(enum pg_eco eco, const char *name, int hit, const struct pg_typo_match *m)
{
    if (hit)
        printf("%s\t%s\t-> %s\t%s\t%.2f\t%s\n", pg_eco_name(eco), name, m->target,
               pg_typo_kind_name(m->kind), m->score, m->detail);
    else
        printf("%s\t%s\t-\n", pg_eco_name(eco), name);
}

static int cmd_check(int argc, char **argv)
{
    const struct pg_typo *idx = pg_typo_builtin();
    enum pg_eco eco;

    if (argc < 3 || parse_eco(argv[2], &eco) < 0)
        return 2;
    for (int i = 3; i < argc; i++) {
        struct pg_typo_match m;
        const char *sug[5];
        size_t n = pg_typo_suggest(idx, eco, argv[i], sug, 5);

        show(eco, argv[i], pg_typo_check(idx, eco, argv[i], NULL, &m), &m);
        printf("\tknown pop %u; suggest:", pg_typo_popularity(idx, eco, argv[i]));
        for (size_t k = 0; k < n; k++)
            printf(" %s", sug[k]);
        printf("\n");
    }
    return 0;
}

static unsigned split_of(const char *name)
{
    unsigned h = 2166136261u;

    for (const char *p = name; *p; p++)
        h = (h ^ (unsigned char)*p) * 16777619u;
    return h % 10 < 3; /* 1: holdout */
}

static int same_target(enum pg_eco eco, const char *a, const char *b)
{
    if (eco == PG_ECO_NPM)
        return !strcmp(a, b);
    /* PyPI names compare PEP 503-normalised. */
    for (; *a && *b; a++, b++) {
        char x = *a == '_' || *a == '.' ? '-' : *a, y = *b == '_' || *b == '.' ? '-' : *b;

        if (x >= 'A' && x <= 'Z')
            x = (char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z')
            y = (char)(y - 'A' + 'a');
        if (x != y)
            return 0;
    }
    return *a == *b;
}

/* Counts for one kind of the labelled file ("all" is kept too). */
struct tally {
    char kind[32];
    unsigned sq[2], caught[2], blocked[2], wrong[2], legit[2], fa[2], fablock[2];
};

static struct tally *tally_for(struct tally *t, size_t *n, size_t cap, const char *kind)
{
    for (size_t i = 0; i < *n; i++)
        if (!strcmp(t[i].kind, kind))
            return &t[i];
    if (*n == cap)
        return &t[cap - 1];
    memset(&t[*n], 0, sizeof(t[0]));
    snprintf(t[*n].kind, sizeof(t[0].kind), "%s", kind);
    return &t[(*n)++];
}

/* One labelled row into the tallies; verbose lists misses and false alarms. */
static void judge_row(char **col, enum pg_eco eco, struct tally *all, struct tally *k,
                      int verbose)
{
    const struct pg_typo *idx = pg_typo_builtin();
    struct pg_typo_match m;
    int hit = pg_typo_check(idx, eco, col[1], NULL, &m), right;

    right = hit && same_target(eco, m.target, col[2]);
    for (struct tally *t = all; t; t = t == all ? k : NULL) {
        if (!strcmp(col[4], "typosquat")) {
            t->sq[eco]++;
            t->caught[eco] += right;
            t->blocked[eco] += right && !m.established;
            t->wrong[eco] += hit && !right;
        } else {
            t->legit[eco]++;
            t->fa[eco] += hit;
            t->fablock[eco] += hit && !m.established;
        }
    }
    if (verbose && !strcmp(col[4], "typosquat") && (!right || m.established)) {
        printf("MISS want %s (%s)%s\t", col[2], col[3], right ? " warned only" : "");
        show(eco, col[1], hit, &m);
    } else if (verbose && strcmp(col[4], "typosquat") && hit) {
        printf("FALSE near %s%s\t", col[2], m.established ? " (warn)" : "");
        show(eco, col[1], hit, &m);
    }
}

static double pct(unsigned a, unsigned b)
{
    return b ? 100.0 * a / b : 0.0;
}

static void print_tallies(const struct tally *t, size_t n, const char *split)
{
    for (int e = 0; e < 2; e++)
        printf("%-4s split=%s typosquats %u: caught with the right target %u (%.1f%%), "
               "blocked %u (%.1f%%), wrong target %u; legit %u: flagged %u (%.2f%%), "
               "blocked %u (%.2f%%)\n",
               pg_eco_name((enum pg_eco)e), split, t->sq[e], t->caught[e],
               pct(t->caught[e], t->sq[e]), t->blocked[e], pct(t->blocked[e], t->sq[e]),
               t->wrong[e], t->legit[e], t->fa[e], pct(t->fa[e], t->legit[e]), t->fablock[e],
               pct(t->fablock[e], t->legit[e]));
    printf("all  split=%s typosquats %u: caught %.1f%%, blocked %.1f%%; legit %u: flagged "
           "%.2f%%, blocked %.2f%%\n",
           split, t->sq[0] + t->sq[1], pct(t->caught[0] + t->caught[1], t->sq[0] + t->sq[1]),
           pct(t->blocked[0] + t->blocked[1], t->sq[0] + t->sq[1]), t->legit[0] + t->legit[1],
           pct(t->fa[0] + t->fa[1], t->legit[0] + t->legit[1]),
           pct(t->fablock[0] + t->fablock[1], t->legit[0] + t->legit[1]));
    if (strcmp(split, "all"))
        return;
    for (size_t i = 1; i < n; i++)
        printf("  kind %-16s squats %4u caught %5.1f%% blocked %5.1f%%; legit %4u "
               "flagged %5.2f%% blocked %5.2f%%\n",
               t[i].kind, t[i].sq[0] + t[i].sq[1],
               pct(t[i].caught[0] + t[i].caught[1], t[i].sq[0] + t[i].sq[1]),
               pct(t[i].blocked[0] + t[i].blocked[1], t[i].sq[0] + t[i].sq[1]),
               t[i].legit[0] + t[i].legit[1], pct(t[i].fa[0] + t[i].fa[1], t[i].legit[0] + t[i].legit[1]),
               pct(t[i].fablock[0] + t[i].fablock[1], t[i].legit[0] + t[i].legit[1]));
}

static int cmd_quality(int argc, char **argv)
{
    int verbose = argc > 4 && !strcmp(argv[argc - 1], "-v");
    const char *split = argc > 3 && strcmp(argv[3], "-v") ? argv[3] : "all";
    struct tally t[32];
    size_t nt = 0;
    char line[2048];
    FILE *f;

    if (argc < 3 || !(f = fopen(argv[2], "r")))
        return 2;
    tally_for(t, &nt, 32, "all");
    while (fgets(line, sizeof(line), f)) {
        char *col[5], *p = line;
        enum pg_eco eco;
        int n = 0;

        line[strcspn(line, "\n")] = '\0';
        if (line[0] == '#')
            continue;
        while (n < 5) {
            col[n++] = p;
            p = strchr(p, '\t');
            if (!p)
                break;
            *p++ = '\0';
        }
        if (n < 5 || parse_eco(col[0], &eco) < 0)
            continue;
        if ((!strcmp(split, "tune") && split_of(col[1])) ||
            (!strcmp(split, "holdout") && !split_of(col[1])))
            continue;
        judge_row(col, eco, &t[0], tally_for(t, &nt, 32, col[3]), verbose);
    }
    fclose(f);
    print_tallies(t, nt, split);
    return 0;
}

static int cmd_popular(int argc, char **argv)
{
    const struct pg_typo *idx = pg_typo_builtin();
    int verbose = argc > 2 && !strcmp(argv[2], "-v");

    for (int e = 0; e < 2; e++) {
        size_t n = pg_typo_count(idx, (enum pg_eco)e), flagged = 0, blocked = 0;

        for (size_t i = 0; i < n; i++) {
            const char *name = pg_typo_name_at(idx, (enum pg_eco)e, i);
            struct pg_typo_match m;

            if (pg_typo_check(idx, (enum pg_eco)e, name, NULL, &m)) {
                flagged++;
                blocked += !m.established;
                if (verbose)
                    show((enum pg_eco)e, name, 1, &m);
            }
        }
        printf("%-4s popular names %zu: flagged against another %zu (%.2f%%), blocked %zu "
               "(%.2f%%)\n",
               pg_eco_name((enum pg_eco)e), n, flagged, n ? 100.0 * flagged / n : 0.0,
               blocked, n ? 100.0 * blocked / n : 0.0);
    }
    return 0;
}

static int cmd_names(int argc, char **argv)
{
    const struct pg_typo *idx = pg_typo_builtin();
    int verbose = argc > 4 && !strcmp(argv[4], "-v");
    size_t n = 0, flagged = 0, blocked = 0;
    enum pg_eco eco;
    char line[1024];
    FILE *f;

    if (argc < 4 || parse_eco(argv[3], &eco) < 0 || !(f = fopen(argv[2], "r")))
        return 2;
    while (fgets(line, sizeof(line), f)) {
        struct pg_typo_match m;

        line[strcspn(line, "\t\n")] = '\0';
        if (!line[0])
            continue;
        n++;
        if (pg_typo_check(idx, eco, line, NULL, &m)) {
            flagged++;
            blocked += !m.established;
            if (verbose)
                show(eco, line, 1, &m);
        }
    }
    fclose(f);
    printf("%s names %zu: flagged %zu (%.2f%%), blocked (not established) %zu (%.2f%%)\n",
           pg_eco_name(eco), n, flagged, n ? 100.0 * flagged / n : 0.0, blocked,
           n ? 100.0 * blocked / n : 0.0);
    return 0;
}

static unsigned long long lcg(unsigned long long *s)
{
    *s = *s * 6364136223846793005ull + 1442695040888963407ull;
    return *s >> 33;
}

/* A realistic mix: known names, one-edit typos, added affixes, random words. */
static void make_name(unsigned long long *s, char *out, size_t cap, enum pg_eco *eco)
{
    const struct pg_typo *idx = pg_typo_builtin();
    static const char *const affixes[] = {"-js", "python-", "-dev", "2", "node-", "-cli"};
    unsigned r = (unsigned)(lcg(s) % 100);
    size_t n;

    *eco = lcg(s) % 2 ? PG_ECO_NPM : PG_ECO_PYPI;
    snprintf(out, cap, "%s",
             pg_typo_name_at(idx, *eco, (size_t)(lcg(s) % pg_typo_count(idx, *eco))));
    n = strlen(out);
    if (r < 40 || n < 3 || n + 2 >= cap)
        return;
    if (r < 70) {
        size_t at = (size_t)(lcg(s) % (n - 1));
        char c = (char)('a' + lcg(s) % 26);

        switch (lcg(s) % 4) {
        case 0:
            out[at] = c;
            break;
        case 1:
            memmove(out + at, out + at + 1, n - at);
            break;
        case 2:
            memmove(out + at + 1, out + at, n - at + 1);
            out[at] = c;
            break;
        default:
            c = out[at];
            out[at] = out[at + 1];
            out[at + 1] = c;
        }
    } else if (r < 80) {
        const char *a = affixes[lcg(s) % 6];

        if (a[strlen(a) - 1] == '-') {
            size_t al = strlen(a);

            if (n + al < cap) {
                memmove(out + al, out, n + 1);
                memcpy(out, a, al);
            }
        } else if (n + strlen(a) < cap) {
            memcpy(out + n, a, strlen(a) + 1);
        }
    } else {
        size_t len = 5 + (size_t)(lcg(s) % 11);

        for (size_t i = 0; i < len; i++)
            out[i] = (char)('a' + lcg(s) % 26);
        out[len] = '\0';
    }
}

/* CPU time of this process: other work on a busy machine does not count. */
static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmd_speed(int argc, char **argv)
{
    const struct pg_typo *idx = pg_typo_builtin();
    size_t n = argc > 2 ? strtoul(argv[2], NULL, 10) : 100000, flagged = 0;
    unsigned long long seed = 42;
    char(*names)[256];
    enum pg_eco *ecos;
    double t0, t1;

    if (n == 0)
        return 2;
    names = malloc(n * sizeof(*names));
    ecos = malloc(n * sizeof(*ecos));
    if (!names || !ecos)
        return 2;
    for (size_t i = 0; i < n; i++)
        make_name(&seed, names[i], sizeof(names[i]), &ecos[i]);
    t0 = now_s();
    for (size_t i = 0; i < n; i++) {
        struct pg_typo_match m;

        flagged += (size_t)pg_typo_check(idx, ecos[i], names[i], NULL, &m);
    }
    t1 = now_s();
    printf("checked %zu names in %.3f s of CPU: %.0f names/s, %.2f us/name (%zu flagged)\n", n,
           t1 - t0, (double)n / (t1 - t0), 1e6 * (t1 - t0) / (double)n, flagged);
    free(names);
    free(ecos);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && !strcmp(argv[1], "check"))
        return cmd_check(argc, argv);
    if (argc >= 3 && !strcmp(argv[1], "quality"))
        return cmd_quality(argc, argv);
    if (argc >= 2 && !strcmp(argv[1], "popular"))
        return cmd_popular(argc, argv);
    if (argc >= 4 && !strcmp(argv[1], "names"))
        return cmd_names(argc, argv);
    if (argc >= 2 && !strcmp(argv[1], "speed"))
        return cmd_speed(argc, argv);
    if (argc == 4 && !strcmp(argv[1], "one")) {
        struct pg_typo_match m;
        enum pg_eco eco;

        if (parse_eco(argv[2], &eco) < 0)
            return 2;
        show(eco, argv[3], pg_typo_check(pg_typo_builtin(), eco, argv[3], NULL, &m), &m);
        return 0;
    }
    if (argc == 2 && !strcmp(argv[1], "none"))
        return 0;
    fprintf(stderr, "usage: typo_bench check|quality|popular|names|speed ...\n");
    return 2;
}
