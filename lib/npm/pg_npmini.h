/*
 * pg_npmini.h - the text of npm's configuration files: the `ini` package's
 * dialect and npm's ${VAR} expansion. pg_npmrc decides which files and
 * which settings count; this module only reads text.
 *
 * A document is read line by line (LF, CR or CRLF): `key = value`, or a bare
 * `key` meaning "true"; comments after an unescaped ';' or '#', and \; \#
 * \\ unescaped; a value in double quotes read as a JSON string (kept as
 * written if it is not one), one in single quotes with them stripped. A
 * [section] header starting in column 0 ends the settings pkggate reads
 * (what follows are npm's nested objects). Lines holding a NUL, keys that
 * come out empty and "__proto__" are skipped, as npm skips them.
 *
 * Nothing here fails: text that is not a setting is not one. Values may be
 * secrets (tokens, passwords): the value handed to fn is wiped after the
 * call, and nothing is printed.
 */
#ifndef PG_NPMINI_H
#define PG_NPMINI_H

#include <stddef.h>

/*
 * Call fn once per setting of the len bytes at buf (need not be
 * NUL-terminated), in document order. key and val are borrowed for the
 * call only; val is wiped after it. No expansion is done here.
 */
void pg_npmini_parse(const char *buf, size_t len,
                     void (*fn)(void *arg, const char *key, const char *val), void *arg);

/*
 * npm's env-replace.js on s: ${NAME} becomes getenv_fn(NAME), left as is
 * when unset; ${NAME?} becomes "" when unset. A run of backslashes before
 * "${" is halved, and an odd run leaves the ${...} as text. Caller frees;
 * the result may hold a secret.
 */
char *pg_npmini_expand(const char *s, const char *(*getenv_fn)(const char *name));

#endif
