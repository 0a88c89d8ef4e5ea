/*
 * Skeletons, hashing and segmenting for the typosquat index (see
 * pg_typo_int.h). This file is also compiled into the build-time generator,
 * so it must stay free of anything but libc.
 */
#include <string.h>

#include "pg_typo_int.h"
#include "banned.h"

/* Unicode code points that look like an ASCII letter or digit. */
struct confusable {
    uint32_t lo, hi;
    char c; /* '-' : acts as a separator; '\0': invisible, dropped */
};

static const struct confusable confusables[] = {
    {0x00AD, 0x00AD, '\0'}, /* soft hyphen */
    {0x00C0, 0x00C5, 'a'}, {0x00C7, 0x00C7, 'c'}, {0x00C8, 0x00CB, 'e'},
    {0x00CC, 0x00CF, 'i'}, {0x00D0, 0x00D0, 'd'}, {0x00D1, 0x00D1, 'n'},
    {0x00D2, 0x00D6, 'o'}, {0x00D8, 0x00D8, 'o'}, {0x00D9, 0x00DC, 'u'},
    {0x00DD, 0x00DD, 'y'}, {0x00E0, 0x00E5, 'a'}, {0x00E7, 0x00E7, 'c'},
    {0x00E8, 0x00EB, 'e'}, {0x00EC, 0x00EF, 'i'}, {0x00F1, 0x00F1, 'n'},
    {0x00F2, 0x00F6, 'o'}, {0x00F8, 0x00F8, 'o'}, {0x00F9, 0x00FC, 'u'},
    {0x00FD, 0x00FD, 'y'}, {0x00FF, 0x00FF, 'y'},
    /* Latin Extended-A: letters with diacritics, in alphabetical runs */
    {0x0100, 0x0105, 'a'}, {0x0106, 0x010D, 'c'}, {0x010E, 0x0111, 'd'},
    {0x0112, 0x011B, 'e'}, {0x011C, 0x0123, 'g'}, {0x0124, 0x0127, 'h'},
    {0x0128, 0x0131, 'i'}, {0x0134, 0x0135, 'j'}, {0x0136, 0x0138, 'k'},
    {0x0139, 0x0142, 'l'}, {0x0143, 0x014B, 'n'}, {0x014C, 0x0151, 'o'},
    {0x0154, 0x0159, 'r'}, {0x015A, 0x0161, 's'}, {0x0162, 0x0167, 't'},
    {0x0168, 0x0173, 'u'}, {0x0174, 0x0175, 'w'}, {0x0176, 0x0178, 'y'},
    {0x0179, 0x017E, 'z'},
    {0x0251, 0x0251, 'a'}, {0x0261, 0x0261, 'g'}, {0x0269, 0x026A, 'i'},
    {0x029F, 0x029F, 'l'},
    /* Greek */
    {0x0391, 0x0391, 'a'}, {0x0392, 0x0392, 'b'}, {0x0395, 0x0395, 'e'},
    {0x0396, 0x0396, 'z'}, {0x0397, 0x0397, 'h'}, {0x0399, 0x0399, 'i'},
    {0x039A, 0x039A, 'k'}, {0x039C, 0x039C, 'm'}, {0x039D, 0x039D, 'n'},
    {0x039F, 0x039F, 'o'}, {0x03A1, 0x03A1, 'p'}, {0x03A4, 0x03A4, 't'},
    {0x03A5, 0x03A5, 'y'}, {0x03A7, 0x03A7, 'x'}, {0x03B1, 0x03B1, 'a'},
    {0x03B5, 0x03B5, 'e'}, {0x03B9, 0x03B9, 'i'}, {0x03BA, 0x03BA, 'k'},
    {0x03BD, 0x03BD, 'v'}, {0x03BF, 0x03BF, 'o'}, {0x03C1, 0x03C1, 'p'},
    {0x03C4, 0x03C4, 't'}, {0x03C5, 0x03C5, 'u'}, {0x03C7, 0x03C7, 'x'},
    /* Cyrillic */
    {0x0405, 0x0405, 's'}, {0x0406, 0x0406, 'i'}, {0x0408, 0x0408, 'j'},
    {0x0410, 0x0410, 'a'}, {0x0412, 0x0412, 'b'}, {0x0415, 0x0415, 'e'},
    {0x041A, 0x041A, 'k'}, {0x041C, 0x041C, 'm'}, {0x041D, 0x041D, 'h'},
    {0x041E, 0x041E, 'o'}, {0x0420, 0x0420, 'p'}, {0x0421, 0x0421, 'c'},
    {0x0422, 0x0422, 't'}, {0x0425, 0x0425, 'x'}, {0x0430, 0x0430, 'a'},
    {0x0435, 0x0435, 'e'}, {0x043A, 0x043A, 'k'}, {0x043E, 0x043E, 'o'},
    {0x0440, 0x0440, 'p'}, {0x0441, 0x0441, 'c'}, {0x0443, 0x0443, 'y'},
    {0x0445, 0x0445, 'x'}, {0x0451, 0x0451, 'e'}, {0x0455, 0x0455, 's'},
    {0x0456, 0x0456, 'i'}, {0x0458, 0x0458, 'j'}, {0x04BB, 0x04BB, 'h'},
    {0x04CF, 0x04CF, 'l'}, {0x0501, 0x0501, 'd'}, {0x051B, 0x051B, 'q'},
    {0x051D, 0x051D, 'w'},
    /* Armenian */
    {0x0578, 0x0578, 'n'}, {0x057D, 0x057D, 'u'}, {0x0585, 0x0585, 'o'},
    /* invisible, dashes */
    {0x200B, 0x200F, '\0'}, {0x2010, 0x2015, '-'}, {0x2060, 0x2060, '\0'},
    {0x2113, 0x2113, 'l'}, {0x2160, 0x2160, 'i'}, {0x216C, 0x216C, 'l'},
    {0x2170, 0x2170, 'i'}, {0x217C, 0x217C, 'l'}, {0x217D, 0x217D, 'c'},
    {0x217E, 0x217E, 'd'}, {0x217F, 0x217F, 'm'}, {0x2212, 0x2212, '-'},
    {0xFEFF, 0xFEFF, '\0'},
    {0xFF0D, 0xFF0E, '-'}, {0xFF3F, 0xFF3F, '-'},
};

/* Decode one UTF-8 sequence at s (n bytes left); returns its length, or 1
 * with *cp = 0xFFFD when it is malformed. */
static size_t utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
    size_t len, i;
    uint32_t c = s[0];

    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        c &= 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        c &= 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        c &= 0x07;
    } else {
        *cp = 0xFFFD;
        return 1;
    }
    if (len > n)
        goto bad;
    for (i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            goto bad;
        c = (c << 6) | (s[i] & 0x3F);
    }
    /* Overlong forms and surrogates are malformed too. */
    if ((len == 3 && c < 0x800) || (len == 4 && (c < 0x10000 || c > 0x10FFFF)) ||
        (c >= 0xD800 && c <= 0xDFFF))
        goto bad;
    *cp = c;
    return len;
bad:
    *cp = 0xFFFD;
    return 1;
}

/* The ASCII character a non-ASCII code point looks like; '~' if none. */
static char fold_cp(uint32_t cp)
{
    size_t lo = 0, hi = sizeof(confusables) / sizeof(confusables[0]);

    if (cp >= 0xFF10 && cp <= 0xFF19) /* fullwidth digits */
        return (char)('0' + (cp - 0xFF10));
    if (cp >= 0xFF21 && cp <= 0xFF3A)
        return (char)('a' + (cp - 0xFF21));
    if (cp >= 0xFF41 && cp <= 0xFF5A)
        return (char)('a' + (cp - 0xFF41));
    if (cp >= 0x1D400 && cp <= 0x1D6A3) /* mathematical alphanumerics */
        return (char)('a' + (cp - 0x1D400) % 52 % 26);
    if (cp >= 0x1D7CE && cp <= 0x1D7FF)
        return (char)('0' + (cp - 0x1D7CE) % 10);
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (cp < confusables[mid].lo)
            hi = mid;
        else if (cp > confusables[mid].hi)
            lo = mid + 1;
        else
            return confusables[mid].c;
    }
    return '~';
}

static int is_sep(enum pg_eco eco, char c)
{
    return c == '-' || c == '_' || c == '.' || (eco == PG_ECO_NPM && (c == '@' || c == '/'));
}

/* Map one input character to its skeleton character: 0 to drop it. */
static char skel_char(enum pg_eco eco, uint32_t cp, unsigned flags)
{
    char c;

    if (cp >= 0x80) {
        if (!(flags & PG_SKEL_FOLD))
            return '~';
        c = fold_cp(cp);
        return c == '-' ? 0 : c;
    }
    c = (char)cp;
    if (is_sep(eco, c))
        return 0;
    if (c >= 'A' && c <= 'Z')
        c = (char)(c - 'A' + 'a');
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
        return '~';
    if (flags & PG_SKEL_FOLD) {
        if (c == '0')
            c = 'o';
        else if (c == '1')
            c = 'l';
    }
    return c;
}

/* rn -> m, vv -> w, in place: letter pairs that read as one letter. */
static size_t fold_pairs(char *s, size_t n)
{
    size_t i, j = 0;

    for (i = 0; i < n; i++) {
        if (i + 1 < n && s[i] == 'r' && s[i + 1] == 'n') {
            s[j++] = 'm';
            i++;
        } else if (i + 1 < n && s[i] == 'v' && s[i + 1] == 'v') {
            s[j++] = 'w';
            i++;
        } else {
            s[j++] = s[i];
        }
    }
    s[j] = '\0';
    return j;
}

size_t pg_typo_collapse(char *s, size_t n)
{
    size_t i, j = 0;

    for (i = 0; i < n; i++)
        if (j == 0 || s[j - 1] != s[i])
            s[j++] = s[i];
    s[j] = '\0';
    return j;
}

size_t pg_typo_rekey(char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '0')
            s[i] = 'o';
        else if (s[i] == '1')
            s[i] = 'l';
    }
    s[n] = '\0';
    n = fold_pairs(s, n);
    return pg_typo_collapse(s, n);
}

size_t pg_typo_skel(enum pg_eco eco, const char *name, size_t n, unsigned flags, char *out,
                    size_t cap)
{
    const unsigned char *s = (const unsigned char *)name;
    size_t i = 0, len = 0;

    if (cap == 0)
        return 0;
    while (i < n) {
        uint32_t cp;
        char c;

        i += utf8_next(s + i, n - i, &cp);
        c = skel_char(eco, cp, flags);
        if (!c)
            continue;
        if (len + 1 >= cap) {
            out[len] = '\0';
            return cap;
        }
        out[len++] = c;
    }
    out[len] = '\0';
    if (flags & PG_SKEL_FOLD)
        len = fold_pairs(out, len);
    if (flags & PG_SKEL_COLLAPSE)
        len = pg_typo_collapse(out, len);
    return len;
}

uint32_t pg_typo_seed(enum pg_typo_hkind kind, unsigned len, unsigned seg)
{
    return 2166136261u ^ (((uint32_t)kind << 24 | (uint32_t)len << 8 | seg) * 0x9E3779B1u);
}

uint32_t pg_typo_hash(uint32_t seed, const char *s, size_t n)
{
    uint32_t h = seed;

    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    /* FNV's low bits are weak and the buckets are picked by low bits. */
    h ^= h >> 16;
    h *= 0x85EBCA6Bu;
    h ^= h >> 13;
    h *= 0xC2B2AE35u;
    h ^= h >> 16;
    return h;
}

int pg_typo_kf(size_t len)
{
    if (len <= 3 || len > PG_TYPO_SKEL_MAX)
        return 0;
    return len <= 7 ? 1 : 2;
}

void pg_typo_segment(size_t len, int kf, int i, size_t *start, size_t *seglen)
{
    size_t parts = (size_t)kf + 1, base = len / parts, longer = len % parts;
    size_t shorter = parts - longer, idx = (size_t)i;

    /* The first segments are the short ones, as pass-join lays them out. */
    if (idx < shorter) {
        *start = idx * base;
        *seglen = base;
    } else {
        *start = shorter * base + (idx - shorter) * (base + 1);
        *seglen = base + 1;
    }
}

size_t pg_typo_words(const char *norm, char *out, size_t cap)
{
    const char *w[16];
    size_t wl[16], nw = 0, len = 0;
    const char *p = norm;

    while (*p) {
        size_t l = 0;

        while (*p == '-' || *p == '_' || *p == '.' || *p == '/' || *p == '@')
            p++;
        while (p[l] && !(p[l] == '-' || p[l] == '_' || p[l] == '.' || p[l] == '/' ||
                         p[l] == '@'))
            l++;
        if (l == 0)
            break;
        if (nw == 16)
            return 0;
        w[nw] = p;
        wl[nw++] = l;
        p += l;
    }
    /* Insertion sort: names have a handful of words. */
    for (size_t i = 1; i < nw; i++) {
        for (size_t j = i; j > 0; j--) {
            size_t m = wl[j - 1] < wl[j] ? wl[j - 1] : wl[j];
            int c = memcmp(w[j - 1], w[j], m);
            const char *tw;
            size_t tl;

            if (c < 0 || (c == 0 && wl[j - 1] <= wl[j]))
                break;
            tw = w[j];
            w[j] = w[j - 1];
            w[j - 1] = tw;
            tl = wl[j];
            wl[j] = wl[j - 1];
            wl[j - 1] = tl;
        }
    }
    for (size_t i = 0; i < nw; i++) {
        if (len + wl[i] + 2 > cap)
            return 0;
        if (i)
            out[len++] = '-';
        memcpy(out + len, w[i], wl[i]);
        len += wl[i];
    }
    if (cap)
        out[len] = '\0';
    return nw;
}

uint32_t pg_typo_letters(const char *s, size_t n)
{
    uint32_t m = 0;

    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];

        if (c >= 'a' && c <= 'z')
            m |= 1u << (c - 'a');
        else if (c >= '0' && c <= '9')
            m |= 1u << (26 + (c - '0') % 5);
        else
            m |= 1u << 31;
    }
    return m;
}
