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
