/*
 * pg_jsonpos.h - where a value sits in a JSON text, for error messages.
 *
 * jansson reports line and column for syntax errors only; once a document
 * has parsed, its values carry no position. A checker that finds a bad value
 * (an unknown key, a wrong type) knows the value's path instead, and this
 * module walks the raw text along that path to find the line and column.
 *
 * The text is expected to be JSON that jansson accepted. The scan reads only
 * as far as the target and checks what it reads: malformed text before the
 * target makes the lookup fail (-1); it never crashes or reads past len. Only the steps along
 * the path are descended into; other values are skipped without recursion,
 * so nesting depth costs no stack.
 */
#ifndef PG_JSONPOS_H
#define PG_JSONPOS_H

#include <stddef.h>

/* One step down: an object member by key, or (key == NULL) an array index. */
struct pg_jsonpos_step {
    const char *key; /* UTF-8, compared after decoding the text's escapes */
    size_t index;
};

enum pg_jsonpos_what {
    PG_JSONPOS_VALUE, /* the first character of the value at the path */
    PG_JSONPOS_KEY,   /* the opening quote of the last step's key (an object
                       * member); for an array element, the element itself */
};

/*
 * Find the position of path[0..depth-1] in text[0..len). depth 0 means the
 * root value. Sets *line and *col, both 1-based; the column counts UTF-8
 * characters, not bytes, as jansson's error columns do. Returns 0, or -1
 * when the path is not there or the text is malformed before it.
 */
int pg_jsonpos_find(const char *text, size_t len, const struct pg_jsonpos_step *path, size_t depth,
                    enum pg_jsonpos_what what, unsigned *line, unsigned *col);

#endif
