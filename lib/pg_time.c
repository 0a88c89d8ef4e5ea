#include <stdio.h>
#include <string.h>
#include <time.h>

#include "pg_time.h"
#include "banned.h"

/* n decimal digits at s, or -1. */
static int digits(const char *s, int n)
{
    int v = 0;

    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

/* Offset of "Z", "+hh:mm" or "-hh:mm" at s in seconds; sets *ok. */
static int64_t zone(const char *s, int *ok)
{
    int h, m;

    *ok = 0;
    if (s[0] == 'Z' && s[1] == '\0') {
        *ok = 1;
        return 0;
    }
    if ((s[0] != '+' && s[0] != '-') || strlen(s) != 6 || s[3] != ':')
        return 0;
    h = digits(s + 1, 2);
    m = digits(s + 4, 2);
    if (h < 0 || m < 0 || h > 23 || m > 59)
        return 0;
    *ok = 1;
    return (s[0] == '-' ? -1 : 1) * (int64_t)(h * 3600 + m * 60);
}

int64_t pg_time_parse(const char *s)
{
    struct tm tm;
    int y, mo, d, h = 0, mi = 0, se = 0, ok = 1;
    int64_t off = 0;
    const char *p;
    time_t t;

    if (!s || strlen(s) < 10 || s[4] != '-' || s[7] != '-')
        return -1;
    y = digits(s, 4);
    mo = digits(s + 5, 2);
    d = digits(s + 8, 2);
    if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31)
        return -1;
    if (s[10] != '\0') {
        if ((s[10] != 'T' && s[10] != ' ') || strlen(s) < 19 || s[13] != ':' || s[16] != ':')
            return -1;
        h = digits(s + 11, 2);
        mi = digits(s + 14, 2);
        se = digits(s + 17, 2);
        if (h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 60)
            return -1;
        p = s + 19;
        if (*p == '.')
            for (p++; *p >= '0' && *p <= '9'; p++)
                ;
        off = zone(p, &ok);
        if (!ok)
            return -1;
    }
    memset(&tm, 0, sizeof(tm));
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = se;
    t = timegm(&tm);
    if (t == (time_t)-1 || tm.tm_mday != d)
        return -1;
    return (int64_t)t - off;
}

char *pg_time_format(int64_t t, char *buf, size_t bufsz)
{
    time_t tt = (time_t)t;
    struct tm tm;

    if (!gmtime_r(&tt, &tm) || strftime(buf, bufsz, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        snprintf(buf, bufsz, "?");
    return buf;
}
