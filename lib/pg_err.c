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
    char old[PG_ERR_MSG_MAX];
    va_list ap;

    if (!err)
        return -1;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof(prefix), fmt, ap);
    va_end(ap);
    memcpy(old, err->msg, sizeof(old));
    snprintf(err->msg, sizeof(err->msg), "%s%s", prefix, old);
    return -1;
}
