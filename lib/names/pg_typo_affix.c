/*
 * Affixes: the words squatters add to a popular name ("-js", "python-",
 * "-latest") and what is left of a name once they are taken away.
 * pg_typo_match.c relates those remainders to popular names.
 */
#include <string.h>

#include "pg_typo_int.h"
#include "pg_util.h"
#include "banned.h"

/*
 * Words squatters add to a popular name. Plain skeleton form (no
 * separators), so "-js", ".js", "_js" and "js" are all "js". min: the
 * shortest remainder this may leave, so "py" + a 2-letter name is not read
 * as an affix.
 */
struct affix {
    const char *s;
    unsigned char min;
    unsigned char len;
};

#define AFFIX(s, min) {s, min, sizeof(s) - 1}

static const struct affix prefixes[] = {
    AFFIX("python3", 3), AFFIX("python", 3), AFFIX("py", 4),  AFFIX("nodejs", 3), AFFIX("node", 3),
    AFFIX("js", 3),      AFFIX("npm", 3),    AFFIX("api", 4), AFFIX("lib", 4),
};

static const struct affix suffixes[] = {
    AFFIX("python3", 3), AFFIX("python", 3), AFFIX("py", 3),       AFFIX("nodejs", 3), AFFIX("node", 3),
    AFFIX("js", 2),      AFFIX("ts", 3),     AFFIX("cli", 3),      AFFIX("dev", 3),    AFFIX("lib", 3),
    AFFIX("sdk", 3),     AFFIX("api", 3),    AFFIX("npm", 3),      AFFIX("pkg", 3),    AFFIX("package", 3),
    AFFIX("pack", 3),    AFFIX("bundle", 3), AFFIX("latest", 3),   AFFIX("next", 3),   AFFIX("new", 3),
    AFFIX("beta", 3),    AFFIX("alpha", 3),  AFFIX("official", 3), AFFIX("util", 3),   AFFIX("utils", 3),
    AFFIX("tool", 3),    AFFIX("tools", 3),  AFFIX("plus", 3),     AFFIX("pro", 3),    AFFIX("lite", 3),
    AFFIX("fix", 3),     AFFIX("fixed", 3),  AFFIX("patch", 3),    AFFIX("secure", 3), AFFIX("win", 3),
    AFFIX("windows", 3), AFFIX("linux", 3),  AFFIX("darwin", 3),   AFFIX("mac", 3),    AFFIX("macos", 3),
};

/* A trailing version number: "2", "11", "v4". */
static size_t digit_suffix(const char *s, size_t n)
{
    size_t k = 0;

    while (k < n && s[n - 1 - k] >= '0' && s[n - 1 - k] <= '9')
        k++;
    if (k && k < n && s[n - 1 - k] == 'v')
        k++;
    return k;
}

static void add_rem(struct pg_typo_query *q, const char *s, size_t n, const char *a1,
                    const char *a2)
{
    struct pg_typo_rem *r;
    size_t len;

    if (q->nrem == PG_TYPO_MAX_REM || n > PG_TYPO_SKEL_MAX)
        return;
    r = &q->rem[q->nrem];
    r->swap = 0;
    memcpy(r->key, s, n);
    len = pg_typo_rekey(r->key, n);
    if (len < 2 || !strcmp(r->key, q->key))
        return;
    /* "a1" or "a1+a2", cut to fit: the text only decorates the message. */
    len = strnlen(a1, sizeof(r->affix) - 1);
    memcpy(r->affix, a1, len);
    if (a2 && len + 1 < sizeof(r->affix)) {
        size_t l2 = strnlen(a2, sizeof(r->affix) - len - 2);

        r->affix[len++] = '+';
        memcpy(r->affix + len, a2, l2);
        len += l2;
    }
    r->affix[len] = '\0';
    q->nrem++;
}

/* Strip one suffix from s[0..n); calls add_rem for each; a1 is an earlier
 * strip (prefix or suffix) or NULL. */
static void strip_suffixes(struct pg_typo_query *q, const char *s, size_t n, const char *a1)
{
    char digits[16];
    size_t k;

    for (size_t i = 0; i < PG_ARRAY_SIZE(suffixes); i++) {
        size_t l = suffixes[i].len;

        if (n >= l + suffixes[i].min && s[n - 1] == suffixes[i].s[l - 1] &&
            !memcmp(s + n - l, suffixes[i].s, l))
            add_rem(q, s, n - l, a1 ? a1 : suffixes[i].s, a1 ? suffixes[i].s : NULL);
    }
    k = digit_suffix(s, n);
    if (k && k < sizeof(digits) && n >= k + 3) {
        memcpy(digits, s + n - k, k);
        digits[k] = '\0';
        add_rem(q, s, n - k, a1 ? a1 : digits, a1 ? digits : NULL);
    }
}

/*
 * Words that name the same thing, swapped by squatters to build a name
 * that reads as the real one ("py-dateutil" for python-dateutil, "discord
 * javascript" for discord.js): the semantic substitutions of Neupane et
 * al., "Beyond Typosquatting" (USENIX Security 2023). Long form first.
 */
struct synonym {
    const char *lng, *sht;
    unsigned char ll, sl;
};

#define SYNONYM(l, s) {l, s, sizeof(l) - 1, sizeof(s) - 1}

static const struct synonym synonyms[] = {
    SYNONYM("python", "py"), SYNONYM("javascript", "js"), SYNONYM("nodejs", "node"),
};

/* s[0..n) with word (wl letters) at its start (suffix 0) or end replaced
 * by with (nl letters). */
static void add_swap(struct pg_typo_query *q, const char *s, size_t n, const char *word,
                     size_t wl, const char *with, size_t nl, int suffix)
{
    char buf[PG_TYPO_BUF], tag[24];

    if (n < wl + 3 || n - wl + nl >= sizeof(buf) || wl + nl + 2 > sizeof(tag) ||
        memcmp(suffix ? s + n - wl : s, word, wl))
        return;
    if (suffix) {
        memcpy(buf, s, n - wl);
        memcpy(buf + n - wl, with, nl);
    } else {
        memcpy(buf, with, nl);
        memcpy(buf + nl, s + wl, n - wl);
    }
    /* "py>python": what q wrote, then what the target has */
    memcpy(tag, word, wl);
    tag[wl] = '>';
    memcpy(tag + wl + 1, with, nl);
    tag[wl + 1 + nl] = '\0';
    add_rem(q, buf, n - wl + nl, tag, NULL);
    if (q->nrem && !strcmp(q->rem[q->nrem - 1].affix, tag))
        q->rem[q->nrem - 1].swap = 1;
}

static void make_swaps(struct pg_typo_query *q, const char *s, size_t n)
{
    for (size_t i = 0; i < PG_ARRAY_SIZE(synonyms); i++) {
        const char *lng = synonyms[i].lng, *sht = synonyms[i].sht;
        size_t ll = synonyms[i].ll, sl = synonyms[i].sl;

        /* The long form also starts with the short one: only a short form
         * that is not part of the long one swaps. The first or last letter
         * rules most names out at once. */
        if (s[0] == sht[0]) {
            if (n >= ll && !memcmp(s, lng, ll))
                add_swap(q, s, n, lng, ll, sht, sl, 0);
            else
                add_swap(q, s, n, sht, sl, lng, ll, 0);
        }
        if (s[n - 1] == sht[sl - 1] || s[n - 1] == lng[ll - 1]) {
            if (n >= ll && !memcmp(s + n - ll, lng, ll))
                add_swap(q, s, n, lng, ll, sht, sl, 1);
            else
                add_swap(q, s, n, sht, sl, lng, ll, 1);
        }
    }
}

void pg_typo_make_remainders(struct pg_typo_query *q)
{
    const char *s = q->plain;
    size_t n = strlen(s), first;

    strip_suffixes(q, s, n, NULL);
    first = q->nrem;
    /* A second suffix after the first: "requests-darwin-lite". */
    for (size_t i = 0; i < first; i++) {
        char buf[PG_TYPO_BUF];
        size_t l = strlen(q->rem[i].affix);

        if (strchr(q->rem[i].affix, '+') || l >= n)
            continue;
        memcpy(buf, s, n - l);
        buf[n - l] = '\0';
        /* Only when the affix was removed literally (rekey may have changed
         * the remainder, so check against the plain text). */
        if (memcmp(s + n - l, q->rem[i].affix, l))
            continue;
        strip_suffixes(q, buf, n - l, q->rem[i].affix);
    }
    for (size_t i = 0; i < PG_ARRAY_SIZE(prefixes); i++) {
        size_t l = prefixes[i].len;

        if (n < l + prefixes[i].min || s[0] != prefixes[i].s[0] || memcmp(s, prefixes[i].s, l))
            continue;
        add_rem(q, s + l, n - l, prefixes[i].s, NULL);
        strip_suffixes(q, s + l, n - l, prefixes[i].s);
    }
    make_swaps(q, s, n);
}


/*
 * s[0..n) is one of the affixes tab[0..count), compared as key skeletons
 * (so "official" is "oficial", as a key skeleton writes it). seam: the
 * letter of the stem next to the affix, or 0; collapsing runs merges it
 * with an affix that starts (suffix) or ends (prefix) with it, so
 * "crypto" + "oficial" is "cryptoficial": the affix less that letter
 * counts too.
 */
static int is_affix(const struct affix *tab, size_t count, const char *s, size_t n, char seam,
                    int suffix)
{
    char buf[16];

    for (size_t i = 0; i < count; i++) {
        size_t l = tab[i].len;

        /* Cheap test first: the affix starts s, or is the seam letter
         * (no affix starts with a letter that folding changes). */
        if (l >= sizeof(buf) || l < n ||
            (tab[i].s[0] != s[0] && !(suffix && seam && tab[i].s[0] == seam)))
            continue;
        memcpy(buf, tab[i].s, l);
        l = pg_typo_rekey(buf, l);
        if (l == n && !memcmp(buf, s, n))
            return 1;
        if (seam && l == n + 1 && suffix && buf[0] == seam && !memcmp(buf + 1, s, n))
            return 1;
        if (seam && l == n + 1 && !suffix && buf[n] == seam && !memcmp(buf, s, n))
            return 1;
    }
    return 0;
}

int pg_typo_affixed(const char *s, size_t n, const char *whole, size_t wn)
{
    if (wn < 3 || n <= wn)
        return 0;
    if (!memcmp(s, whole, wn) &&
        is_affix(suffixes, PG_ARRAY_SIZE(suffixes), s + wn, n - wn, whole[wn - 1], 1))
        return 1;
    return !memcmp(s + n - wn, whole, wn) &&
           is_affix(prefixes, PG_ARRAY_SIZE(prefixes), s, n - wn, whole[0], 0);
}

/* Copy stem s[0..n) into out[*k] when there is room. */
static void emit(char (*out)[PG_TYPO_SKEL_MAX + 1], size_t *k, size_t max, const char *s,
                 size_t n)
{
    if (*k < max && n >= 3 && n <= PG_TYPO_SKEL_MAX) {
        memcpy(out[*k], s, n);
        out[(*k)++][n] = '\0';
    }
}

size_t pg_typo_unaffix(const char *s, size_t n, char (*out)[PG_TYPO_SKEL_MAX + 1], size_t max)
{
    char buf[16];
    size_t k = 0;

    /* One pass over each table; an affix's last (suffix) or first
     * (prefix) letter survives rekeying, so it rules most out unkeyed. */
    for (size_t i = 0; i < PG_ARRAY_SIZE(suffixes) && n; i++) {
        const struct affix *a = &suffixes[i];
        size_t l;

        if (a->len >= sizeof(buf) || a->s[a->len - 1] != s[n - 1])
            continue;
        memcpy(buf, a->s, a->len);
        l = pg_typo_rekey(buf, a->len);
        if (l < n && !memcmp(s + n - l, buf, l))
            emit(out, &k, max, s, n - l);
        /* both may hold: "awscryptoficial" is "awscrypt" or "awscrypto" */
        if (l >= 2 && l <= n && s[n - l] == buf[0] && !memcmp(s + n - l + 1, buf + 1, l - 1))
            emit(out, &k, max, s, n - l + 1); /* the seam letter stays with the stem */
    }
    for (size_t i = 0; i < PG_ARRAY_SIZE(prefixes) && n; i++) {
        const struct affix *a = &prefixes[i];
        size_t l;

        if (a->len >= sizeof(buf) || a->s[0] != s[0])
            continue;
        memcpy(buf, a->s, a->len);
        l = pg_typo_rekey(buf, a->len);
        if (l < n && !memcmp(s, buf, l))
            emit(out, &k, max, s + l, n - l);
        if (l >= 2 && l <= n && s[l - 1] == buf[l - 1] && !memcmp(s, buf, l - 1))
            emit(out, &k, max, s + l - 1, n - l + 1);
    }
    return k;
}
