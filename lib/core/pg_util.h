/*
 * pg_util.h - allocation, growable strings, checked numbers, capped reads.
 *
 * Allocation failure is not an input error pkggate can report usefully, so
 * the pg_x* allocators abort on out-of-memory (as git's xmalloc dies).
 * Everything else reports through struct pg_err.
 */
#ifndef PG_UTIL_H
#define PG_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>

#include "pg_err.h"

void *pg_xmalloc(size_t n);
void *pg_xcalloc(size_t nmemb, size_t size);
void *pg_xrealloc(void *p, size_t n);
/* Grow *p (holding *alloc elements of size elem) to fit at least need. */
void pg_xgrow(void **p, size_t *alloc, size_t need, size_t elem);
char *pg_xstrdup(const char *s);
char *pg_xstrndup(const char *s, size_t n);
/* Caller owns the result. */
char *pg_xasprintf(const char *fmt, ...) PG_PRINTF(1, 2);
/* "64 MiB", "512 KiB" or "1000 bytes", for messages. Caller frees. */
char *pg_fmt_size(size_t n);

#define PG_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * struct pg_sb - a growable NUL-terminated string (git's strbuf, small).
 * PG_SB_INIT is a valid empty string; pg_sb_release frees and re-inits.
 */
struct pg_sb {
    char *buf;
    size_t len;
    size_t alloc;
};
#define PG_SB_INIT {NULL, 0, 0}

void pg_sb_add(struct pg_sb *sb, const void *data, size_t n);
void pg_sb_adds(struct pg_sb *sb, const char *s);
void pg_sb_addc(struct pg_sb *sb, char c);
void pg_sb_addf(struct pg_sb *sb, const char *fmt, ...) PG_PRINTF(2, 3);
void pg_sb_vaddf(struct pg_sb *sb, const char *fmt, va_list ap) PG_PRINTF(2, 0);
void pg_sb_reset(struct pg_sb *sb);
/* Returns the buffer ("" if never written); caller owns it; sb is re-inited. */
char *pg_sb_detach(struct pg_sb *sb);
void pg_sb_release(struct pg_sb *sb);
/* Always a valid C string, even for an untouched buffer. */
const char *pg_sb_str(const struct pg_sb *sb);

/* Whole decimal number in [0, max]; no sign, no spaces, no trailing junk. */
int pg_parse_u64(const char *s, uint64_t max, uint64_t *out) PG_WARN_UNUSED;

/*
 * Node's path.resolve(base, p) without touching the file system: p when
 * absolute, else base/p, with "", "." and ".." segments collapsed ("/" at
 * most). No "~" expansion. Caller frees.
 */
char *pg_path_resolve(const char *base, const char *p);

/*
 * Read a whole file into *out (NUL-terminated, caller frees), refusing files
 * larger than cap bytes. Errors name the path.
 */
int pg_read_file(const char *path, size_t cap, char **out, size_t *len,
                 struct pg_err *err) PG_WARN_UNUSED;

/* Write all n bytes at p to fd, past short writes and EINTR: 0, or -1 with errno set. */
int pg_write_all(int fd, const void *p, size_t n) PG_WARN_UNUSED;

/*
 * s with the secrets of every "scheme://..." URL in it hidden, for anything
 * printed or logged: the userinfo ("user:secret@") becomes "****"
 * (git+https://token@..., index URLs with passwords) and a query string
 * "?..." (pre-signed download URLs carry their signature and key id there:
 * "?X-Amz-Signature=..."). A URL ends at whitespace or a quote; the
 * fragment ("#sha256=...") is kept. Caller frees.
 */
char *pg_redact_urls(const char *s);

int pg_streq(const char *a, const char *b);
int pg_starts_with(const char *s, const char *prefix);
int pg_ends_with(const char *s, const char *suffix);

#endif
