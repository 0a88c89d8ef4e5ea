/*
 * pg_err.c - filling struct pg_err (pg_err.h).
 *
 * The helpers return -1 so a failing function can `return pg_err_set(...)`
 * in one line (git's error()), and accept a NULL err so callers that do not
 * want the text need no dummy struct.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "pg_err.h"
#include "banned.h"

int pg_err_set(struct pg_err *err, const char *fmt, ...)
{
    va_list ap;

    if (!err)
        return -1;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    va_end(ap);
    return -1;
}

int pg_err_prefix(struct pg_err *err, const char *fmt, ...)
{
    char prefix[PG_ERR_MSG_MAX];
    size_t plen, olen;
    va_list ap;

    if (!err)
        return -1;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof(prefix), fmt, ap);
    va_end(ap);
    plen = strlen(prefix);
    olen = strnlen(err->msg, sizeof(err->msg) - 1);
    /* Truncate the old message, never the context in front of it. */
    if (plen + olen > sizeof(err->msg) - 1)
        olen = sizeof(err->msg) - 1 - plen;
    memmove(err->msg + plen, err->msg, olen);
    memcpy(err->msg, prefix, plen);
    err->msg[plen + olen] = '\0';
    return -1;
}
