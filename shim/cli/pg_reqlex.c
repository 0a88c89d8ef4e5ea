/*
 * pg_reqlex.c - the text layer of pip's requirement files (see pg_reqlex.h):
 * pip's preprocess() before any line means anything.
 */
#include <stdlib.h>
#include <string.h>

#include "pg_pipopts.h"
#include "pg_reqlex.h"
#include "pg_util.h"
#include "banned.h"

/*
 * pip's _decode_req_file honours BOMs; pkggate reads UTF-8 (BOM dropped)
 * and refuses UTF-16/32 clearly instead of misreading them.
 */
int pg_reqlex_decode(const char *raw, size_t len, struct pg_sb *out, const char *name,
                     struct pg_err *err)
{
    const unsigned char *u = (const unsigned char *)raw;

    if (len >= 2 && ((u[0] == 0xff && u[1] == 0xfe) || (u[0] == 0xfe && u[1] == 0xff)))
        return pg_err_set(err, "%s: UTF-16/32 text is not supported; save it as UTF-8", name);
    if (len >= 3 && memcmp(u, "\xef\xbb\xbf", 3) == 0)
        pg_sb_add(out, raw + 3, len - 3);
    else
        pg_sb_add(out, raw, len);
    if (strlen(pg_sb_str(out)) != out->len)
        return pg_err_set(err, "%s: contains a NUL byte (UTF-16 or not a text file?)", name);
    return 0;
}

/* Length of the line break at s, 0 if none: str.splitlines()'s set. */
size_t pg_reqlex_linebreak(const char *s)
{
    unsigned char c = (unsigned char)s[0];

    if (c == '\r')
        return s[1] == '\n' ? 2 : 1;
    if (c == '\n' || c == '\v' || c == '\f' || (c >= 0x1c && c <= 0x1e))
        return 1;
    if (c == 0xc2 && (unsigned char)s[1] == 0x85)
        return 2;
    if (c == 0xe2 && (unsigned char)s[1] == 0x80 &&
        ((unsigned char)s[2] == 0xa8 || (unsigned char)s[2] == 0xa9))
        return 3;
    return 0;
}

/* COMMENT_RE.match: '#' first, or after leading whitespace. */
int pg_reqlex_comment_line(const char *s)
{
    while (pg_pip_isspace(*s))
        s++;
    return *s == '#';
}

/* ignore_comments(): cut at the first '#' at the start or after whitespace, strip. */
char *pg_reqlex_strip_comment(char *s)
{
    char *end;

    for (end = s; *end; end++)
        if (*end == '#' && (end == s || pg_pip_isspace(end[-1])))
            break;
    while (end > s && pg_pip_isspace(end[-1]))
        end--;
    *end = '\0';
    while (pg_pip_isspace(*s))
        s++;
    return s;
}

/* expand_env_variables(): ${NAME} with NAME in [A-Z0-9_]+, when set and non-empty. */
void pg_reqlex_expand_env(const char *in, struct pg_sb *out, const struct pg_reqfile_opts *o)
{
    for (size_t i = 0; in[i]; i++) {
        size_t j = i + 2;

        if (in[i] == '$' && in[i + 1] == '{') {
            while ((in[j] >= 'A' && in[j] <= 'Z') || (in[j] >= '0' && in[j] <= '9') ||
                   in[j] == '_')
                j++;
            if (j > i + 2 && in[j] == '}') {
                char *name = pg_xstrndup(in + i + 2, j - i - 2);
                const char *val = o->getenv ? o->getenv(name, o->env_ctx) : getenv(name);

                free(name);
                if (val && *val) {
                    pg_sb_adds(out, val);
                    i = j;
                    continue;
                }
            }
        }
        pg_sb_addc(out, in[i]);
    }
}

/* shlex.split() in POSIX mode, which pip applies to the options part. */
int pg_reqlex_shlex_split(const char *s, struct pg_strlist *out, const char *where,
                          struct pg_err *err)
{
    struct pg_sb tok = PG_SB_INIT;
    int in_tok = 0, ret = -1;

    for (size_t i = 0; s[i]; i++) {
        if (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n') {
            if (in_tok)
                pg_strlist_push(out, pg_sb_str(&tok));
            pg_sb_reset(&tok);
            in_tok = 0;
            continue;
        }
        in_tok = 1;
        if (s[i] == '\\') {
            if (!s[++i]) {
                pg_err_set(err, "%s: no character after '\\' in options", where);
                goto out;
            }
            pg_sb_addc(&tok, s[i]);
        } else if (s[i] == '\'' || s[i] == '"') {
            char q = s[i];

            for (i++; s[i] && s[i] != q; i++) {
                if (q == '"' && s[i] == '\\' && (s[i + 1] == '"' || s[i + 1] == '\\'))
                    i++;
                pg_sb_addc(&tok, s[i]);
            }
            if (!s[i]) {
                pg_err_set(err, "%s: no closing quotation in options", where);
                goto out;
            }
        } else {
            pg_sb_addc(&tok, s[i]);
        }
    }
    if (in_tok)
        pg_strlist_push(out, pg_sb_str(&tok));
    ret = 0;
out:
    pg_sb_release(&tok);
    return ret;
}
