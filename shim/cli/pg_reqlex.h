/*
 * pg_reqlex.h - the text layer of pip's requirement files, as
 * pip/_internal/req/req_file.py reads text before any line means anything:
 * decoding, line breaks, comments, ${VAR} expansion and the shlex split of
 * a line's options. pg_reqfile.c builds the meaning on top.
 */
#ifndef PG_REQLEX_H
#define PG_REQLEX_H

#include <stddef.h>

#include "pg_cmd.h"
#include "pg_err.h"
#include "pg_reqfile.h"
#include "pg_util.h"

/* raw into out as UTF-8 text (BOM dropped); UTF-16/32 and NUL bytes are errors. */
int pg_reqlex_decode(const char *raw, size_t len, struct pg_sb *out, const char *name,
                     struct pg_err *err);
/* Length of the line break at s, 0 if none: str.splitlines()'s set. */
size_t pg_reqlex_linebreak(const char *s);
/* 1 if s is a comment line ('#' first, or after leading whitespace). */
int pg_reqlex_comment_line(const char *s);
/* ignore_comments(): s cut at its comment and stripped, in place; returns the start. */
char *pg_reqlex_strip_comment(char *s);
/* expand_env_variables(): ${NAME} with NAME in [A-Z0-9_]+, when set and non-empty. */
void pg_reqlex_expand_env(const char *in, struct pg_sb *out, const struct pg_reqfile_opts *o);
/* shlex.split() in POSIX mode into out; -1 with err on a dangling quote or backslash. */
int pg_reqlex_shlex_split(const char *s, struct pg_strlist *out, const char *where,
                          struct pg_err *err);

#endif
