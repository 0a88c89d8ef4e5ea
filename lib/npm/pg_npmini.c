/*
 * pg_npmini.c - npm's ini dialect and ${VAR} expansion (see pg_npmini.h).
 *
 * It follows the `ini` package's decode() and npm's env-replace.js
 * character for character rather than a general ini grammar: pkggate must
 * see the same key npm sees, or it checks against the wrong registry or
 * sends credentials npm would not. Quoted values go through jansson
 * because `ini` reads them with JSON.parse.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "pg_npmini.h"
#include "pg_util.h"
#include "banned.h"

/*
 * ini trims keys and values with JavaScript's trim() and finds blank and
 * comment lines with /\s/, and both count more than ASCII as white space:
 * U+FEFF (the byte-order mark an editor puts before the first key), U+00A0,
 * the Zs spaces and U+2028/2029. npm then reads "\uFEFFregistry=..." as
 * `registry`, so pkggate must too. Returns the byte length of the JS white
 * space character at s (n bytes available), or 0.
 */
static size_t js_space(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    unsigned cp;

    if (n && isspace(u[0]))
        return 1;
    if (n >= 2 && u[0] == 0xc2 && u[1] == 0xa0)
        return 2;
    if (n < 3 || (u[0] & 0xf0) != 0xe0 || (u[1] & 0xc0) != 0x80 || (u[2] & 0xc0) != 0x80)
        return 0;
    cp = (unsigned)(u[0] & 0x0f) << 12 | (unsigned)(u[1] & 0x3f) << 6 | (u[2] & 0x3f);
    if (cp == 0xfeff || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200a) || cp == 0x2028 ||
        cp == 0x2029 || cp == 0x202f || cp == 0x205f || cp == 0x3000)
        return 3;
    return 0;
}

/* The length of the JS white space character that ends s[0..n), or 0. */
static size_t js_space_end(const char *s, size_t n)
{
    for (size_t k = 1; k <= 3 && k <= n; k++)
        if (js_space(s + n - k, k) == k)
            return k;
    return 0;
}

/* s[0..*n) without JS white space at either end. */
static const char *js_trim(const char *s, size_t *n)
{
    size_t k;

    while ((k = js_space(s, *n)) > 0)
        s += k, *n -= k;
    while ((k = js_space_end(s, *n)) > 0)
        *n -= k;
    return s;
}

/* The ini package's unsafe(): quoted values are JSON strings, otherwise cut
 * at the first unescaped ';' or '#' and unescape \; \# \\. */
static char *ini_value(const char *s, size_t n)
{
    struct pg_sb sb = PG_SB_INIT;
    int esc = 0;

    s = js_trim(s, &n);
    if (n >= 2 && ((s[0] == '"' && s[n - 1] == '"') || (s[0] == '\'' && s[n - 1] == '\''))) {
        size_t off = s[0] == '\'';
        json_t *j = json_loadb(s + off, n - 2 * off, JSON_DECODE_ANY, NULL);

        if (json_is_string(j))
            pg_sb_add(&sb, json_string_value(j), json_string_length(j));
        else
            pg_sb_add(&sb, s + off, n - 2 * off);
        json_decref(j);
        return pg_sb_detach(&sb);
    }
    for (size_t i = 0; i < n; i++) {
        char c = s[i];

        if (esc) {
            if (!strchr("\\;#", c))
                pg_sb_addc(&sb, '\\');
            pg_sb_addc(&sb, c);
            esc = 0;
        } else if (c == ';' || c == '#') {
            break;
        } else if (c == '\\') {
            esc = 1;
        } else {
            pg_sb_addc(&sb, c);
        }
    }
    if (esc)
        pg_sb_addc(&sb, '\\');
    if (sb.buf) {
        size_t k;

        while ((k = js_space_end(sb.buf, sb.len)) > 0)
            sb.len -= k;
        sb.buf[sb.len] = '\0';
    }
    return pg_sb_detach(&sb);
}

/* ini's /^\[[^\]]*\]\s*$/: a section header starts in column 0. */
static int is_section(const char *line, size_t n)
{
    const char *close = memchr(line, ']', n);

    if (!close)
        return 0;
    for (const char *c = close + 1; c < line + n;) {
        size_t k = js_space(c, (size_t)(line + n - c));

        if (!k)
            return 0;
        c += k;
    }
    return 1;
}

void pg_npmini_parse(const char *buf, size_t len,
                     void (*fn)(void *arg, const char *key, const char *val), void *arg)
{
    size_t i = 0;
    int in_section = 0;

    while (i < len) {
        size_t end = i, p = i;
        const char *eq;

        while (end < len && buf[end] != '\n' && buf[end] != '\r')
            end++;
        for (size_t k; (k = js_space(buf + p, end - p)) > 0;)
            p += k;
        if (buf[i] == '[' && is_section(buf + i, end - i)) {
            in_section = 1;
        } else if (p < end && buf[p] != ';' && buf[p] != '#' && !in_section &&
                   memchr(buf + i, '\0', end - i) == NULL) {
            char *key, *val;

            eq = memchr(buf + i, '=', end - i);
            key = ini_value(buf + i, (eq ? (size_t)(eq - buf) : end) - i);
            val = eq ? ini_value(eq + 1, end - (size_t)(eq + 1 - buf)) : pg_xstrdup("true");
            if (*key && !pg_streq(key, "__proto__"))
                fn(arg, key, val);
            free(key);
            sodium_memzero(val, strlen(val));
            free(val);
        }
        i = end + 1;
    }
}

char *pg_npmini_expand(const char *s, const char *(*getenv_fn)(const char *name))
{
    struct pg_sb sb = PG_SB_INIT;
    size_t i = 0;

    while (s[i]) {
        size_t j = i, k, esc;
        int opt = 0;

        while (s[j] == '\\')
            j++;
        esc = j - i;
        if (s[j] != '$' || s[j + 1] != '{') {
            pg_sb_add(&sb, s + i, (j > i ? j : j + 1) - i);
            i = j > i ? j : j + 1;
            continue;
        }
        k = j + 2;
        while (s[k] && !strchr("${}?", s[k]))
            k++;
        if (k == j + 2 || (s[k] == '?' && s[k + 1] != '}') || (s[k] != '?' && s[k] != '}')) {
            pg_sb_add(&sb, s + i, j + 1 - i); /* no match: keep text through '$' */
            i = j + 1;
            continue;
        }
        opt = s[k] == '?';
        if (esc % 2) {
            /* Escaped: drop half the backslashes (rounded up), keep the rest. */
            pg_sb_add(&sb, s + i + (esc + 1) / 2, k + opt + 1 - i - (esc + 1) / 2);
        } else {
            char *name = pg_xstrndup(s + j + 2, k - j - 2);
            const char *val = getenv_fn(name);

            pg_sb_add(&sb, s + i, esc / 2);
            if (val)
                pg_sb_adds(&sb, val);
            else if (!opt)
                pg_sb_addf(&sb, "${%s}", name);
            free(name);
        }
        i = k + opt + 1;
    }
    return pg_sb_detach(&sb);
}
