/*
 * pg_jsonpos.c - line and column of a value in JSON text (pg_jsonpos.h).
 *
 * A small scanner of its own because jansson keeps no positions once a
 * document parsed. It follows only the path to the target and skips
 * everything else iteratively, so hostile nesting costs no stack.
 */
#include <stdint.h>
#include <string.h>

#include "pg_jsonpos.h"
#include "banned.h"

struct scan {
    const unsigned char *s;
    size_t len, i;
    unsigned line, col; /* of s[i] */
};

static int at_end(const struct scan *sc)
{
    return sc->i >= sc->len;
}

static int peek(const struct scan *sc)
{
    return at_end(sc) ? -1 : sc->s[sc->i];
}

/* Consume one byte; UTF-8 continuation bytes do not start a new column. */
static void adv(struct scan *sc)
{
    unsigned char b = sc->s[sc->i++];

    if (b == '\n') {
        sc->line++;
        sc->col = 1;
    } else if ((b & 0xC0) != 0x80) {
        sc->col++;
    }
}

static void skip_ws(struct scan *sc)
{
    while (!at_end(sc) && strchr(" \t\r\n", sc->s[sc->i]) && sc->s[sc->i])
        adv(sc);
}

/* Compares decoded bytes of a JSON string against an expected key. */
struct cmp {
    const char *k;
    int ok;
};

static void feed(struct cmp *c, unsigned char b)
{
    if (c->ok && (unsigned char)*c->k == b && *c->k)
        c->k++;
    else
        c->ok = 0;
}

static void feed_cp(struct cmp *c, uint32_t cp)
{
    if (cp < 0x80) {
        feed(c, (unsigned char)cp);
    } else if (cp < 0x800) {
        feed(c, (unsigned char)(0xC0 | (cp >> 6)));
        feed(c, (unsigned char)(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        feed(c, (unsigned char)(0xE0 | (cp >> 12)));
        feed(c, (unsigned char)(0x80 | ((cp >> 6) & 0x3F)));
        feed(c, (unsigned char)(0x80 | (cp & 0x3F)));
    } else {
        feed(c, (unsigned char)(0xF0 | (cp >> 18)));
        feed(c, (unsigned char)(0x80 | ((cp >> 12) & 0x3F)));
        feed(c, (unsigned char)(0x80 | ((cp >> 6) & 0x3F)));
        feed(c, (unsigned char)(0x80 | (cp & 0x3F)));
    }
}

static int hex4(struct scan *sc, uint32_t *out)
{
    uint32_t v = 0;

    for (int n = 0; n < 4; n++) {
        int c = peek(sc);

        if (c >= '0' && c <= '9')
            v = v * 16 + (uint32_t)(c - '0');
        else if (c >= 'a' && c <= 'f')
            v = v * 16 + (uint32_t)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            v = v * 16 + (uint32_t)(c - 'A' + 10);
        else
            return -1;
        adv(sc);
    }
    *out = v;
    return 0;
}

/* After the backslash of a \u escape: one code point, pairing surrogates. */
static int read_u(struct scan *sc, uint32_t *cp)
{
    uint32_t lo;

    if (hex4(sc, cp) < 0)
        return -1;
    if (*cp < 0xD800 || *cp > 0xDBFF)
        return 0;
    if (peek(sc) != '\\')
        return 0;
    adv(sc);
    if (peek(sc) != 'u')
        return -1;
    adv(sc);
    if (hex4(sc, &lo) < 0)
        return -1;
    if (lo >= 0xDC00 && lo <= 0xDFFF)
        *cp = 0x10000 + ((*cp - 0xD800) << 10) + (lo - 0xDC00);
    return 0;
}

/*
 * Read the string at sc (opening quote included). With key != NULL, return
 * 1 if it decodes to key, else 0; -1 if malformed.
 */
static int read_string(struct scan *sc, const char *key)
{
    static const char esc_in[] = "\"\\/bfnrt";
    static const char esc_out[] = "\"\\/\b\f\n\r\t";
    struct cmp c = {key ? key : "", 1};

    if (peek(sc) != '"')
        return -1;
    adv(sc);
    for (;;) {
        int ch = peek(sc);
        const char *e;
        uint32_t cp;

        if (ch < 0)
            return -1;
        adv(sc);
        if (ch == '"')
            break;
        if (ch != '\\') {
            feed(&c, (unsigned char)ch);
            continue;
        }
        ch = peek(sc);
        if (ch < 0)
            return -1;
        adv(sc);
        if (ch == 'u') {
            if (read_u(sc, &cp) < 0)
                return -1;
            feed_cp(&c, cp);
        } else if (ch != 0 && (e = strchr(esc_in, ch)) != NULL) {
            feed(&c, (unsigned char)esc_out[e - esc_in]);
        } else {
            return -1;
        }
    }
    return key && c.ok && *c.k == '\0';
}

/* Skip one value of any kind, counting brackets instead of recursing. */
static int skip_value(struct scan *sc)
{
    size_t depth = 0;

    do {
        int ch = peek(sc);

        if (ch < 0)
            return -1;
        if (ch == '"') {
            if (read_string(sc, NULL) < 0)
                return -1;
            continue;
        }
        if (ch == '{' || ch == '[') {
            depth++;
        } else if (ch == '}' || ch == ']') {
            if (depth == 0)
                return -1;
            depth--;
        } else if (depth == 0) {
            /* A scalar at the top: runs to the next delimiter. */
            while (!at_end(sc) && !strchr(",}] \t\r\n", sc->s[sc->i]))
                adv(sc);
            return 0;
        }
        adv(sc);
    } while (depth > 0);
    return 0;
}

/* Past a member's value or an element and the ',' after it; -1 if the container ends. */
static int skip_item(struct scan *sc)
{
    if (skip_value(sc) < 0)
        return -1;
    skip_ws(sc);
    if (peek(sc) != ',')
        return -1;
    adv(sc);
    skip_ws(sc);
    return 0;
}

/* Positioned on '{': find member key; leave sc at its value (or its key). */
static int enter_object(struct scan *sc, const char *key, int stop_at_key)
{
    adv(sc);
    skip_ws(sc);
    if (peek(sc) == '}')
        return -1;
    for (;;) {
        struct scan at = *sc;
        int m = read_string(sc, key);

        if (m < 0)
            return -1;
        skip_ws(sc);
        if (peek(sc) != ':')
            return -1;
        adv(sc);
        skip_ws(sc);
        if (m == 1) {
            if (stop_at_key)
                *sc = at;
            return 0;
        }
        if (skip_item(sc) < 0)
            return -1;
    }
}

/* Positioned on '[': move to element index. */
static int enter_array(struct scan *sc, size_t index)
{
    adv(sc);
    skip_ws(sc);
    if (peek(sc) == ']')
        return -1;
    for (size_t n = 0; n < index; n++)
        if (skip_item(sc) < 0)
            return -1;
    return 0;
}

int pg_jsonpos_find(const char *text, size_t len, const struct pg_jsonpos_step *path, size_t depth,
                    enum pg_jsonpos_what what, unsigned *line, unsigned *col)
{
    struct scan sc = {(const unsigned char *)text, len, 0, 1, 1};

    if (!text)
        return -1;
    skip_ws(&sc);
    for (size_t d = 0; d < depth; d++) {
        int last = d + 1 == depth;
        int rc;

        if (path[d].key && peek(&sc) == '{')
            rc = enter_object(&sc, path[d].key, last && what == PG_JSONPOS_KEY);
        else if (!path[d].key && peek(&sc) == '[')
            rc = enter_array(&sc, path[d].index);
        else
            rc = -1;
        if (rc < 0)
            return -1;
    }
    if (at_end(&sc))
        return -1;
    *line = sc.line;
    *col = sc.col;
    return 0;
}
