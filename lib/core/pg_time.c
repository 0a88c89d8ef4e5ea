/*
 * pg_time.c - the one timestamp parser (pg_time.h).
 *
 * Registry times, policy expiries and signed trusted comments all pass
 * through here, so a date means the same wherever pkggate reads one.
 * Parsing is pure arithmetic (no mktime/timegm, no TZ, no locale) so the
 * result does not depend on the machine it runs on.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "pg_time.h"
#include "banned.h"

/* The fields of either form; zeros where the form has none. */
struct fields {
    int y, mo, d, h, mi, se;
    int east, oh, om; /* offset sign (+1, -1, 0 for "Z"), hours, minutes */
    int date_only;
};

/* n decimal digits at s into *out; -1 if one is not a digit (or s ends). */
static int digits(const char *s, int n, int *out)
{
    int v = 0;

    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

/*
 * The shape of s into f; -1 if s is neither form. Each test stops at the
 * first character that does not fit, so nothing past the '\0' is read.
 */
static int shape(const char *s, struct fields *f)
{
    const char *p;

    memset(f, 0, sizeof(*f));
    if (digits(s, 4, &f->y) < 0 || s[4] != '-' || digits(s + 5, 2, &f->mo) < 0 || s[7] != '-' ||
        digits(s + 8, 2, &f->d) < 0)
        return -1;
    if (s[10] == '\0') {
        f->date_only = 1;
        return 0;
    }
    if (s[10] != 'T' || digits(s + 11, 2, &f->h) < 0 || s[13] != ':' ||
        digits(s + 14, 2, &f->mi) < 0 || s[16] != ':' || digits(s + 17, 2, &f->se) < 0)
        return -1;
    p = s + 19;
    if (*p == '.') {
        if (p[1] < '0' || p[1] > '9')
            return -1;
        for (p++; *p >= '0' && *p <= '9'; p++)
            ;
    }
    if (p[0] == 'Z' && p[1] == '\0')
        return 0;
    if ((p[0] != '+' && p[0] != '-') || digits(p + 1, 2, &f->oh) < 0 || p[3] != ':' ||
        digits(p + 4, 2, &f->om) < 0 || p[6] != '\0')
        return -1;
    f->east = p[0] == '+' ? 1 : -1;
    return 0;
}

static int month_days(int y, int m)
{
    static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

    return m == 2 && leap ? 29 : len[m - 1];
}

/* Days since 1970-01-01 of a proleptic Gregorian date, y >= 1970 (H. Hinnant). */
static int64_t days_from_civil(int y, int m, int d)
{
    int64_t era, yoe, doy, doe;

    y -= m <= 2;
    era = y / 400;
    yoe = y - era * 400;
    doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int pg_time_scan(const char *s, int64_t *out)
{
    struct fields f;
    int64_t t;

    if (!s || shape(s, &f) < 0)
        return PG_TIME_BAD_SHAPE;
    if (f.y < 1970 || f.mo < 1 || f.mo > 12 || f.d < 1 || f.d > month_days(f.y, f.mo) || f.h > 23 ||
        f.mi > 59 || f.se > 59 || f.oh > 23 || f.om > 59)
        return PG_TIME_BAD_VALUE;
    t = days_from_civil(f.y, f.mo, f.d) * 86400 + (int64_t)f.h * 3600 + (int64_t)f.mi * 60 + f.se -
        f.east * ((int64_t)f.oh * 3600 + (int64_t)f.om * 60);
    /* Past the end of 9999 UTC only through an offset: it would format as
     * year 10000, which does not parse back. */
    if (t < 0 || t > PG_TIME_MAX)
        return PG_TIME_BAD_VALUE;
    *out = t;
    return f.date_only ? PG_TIME_DATE : PG_TIME_DATE_TIME;
}

int64_t pg_time_parse(const char *s)
{
    int64_t t;

    return pg_time_scan(s, &t) > 0 ? t : -1;
}

char *pg_time_format(int64_t t, char *buf, size_t bufsz)
{
    time_t tt = (time_t)t;
    struct tm tm;

    if (t < 0 || t > PG_TIME_MAX || !gmtime_r(&tt, &tm) ||
        strftime(buf, bufsz, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        snprintf(buf, bufsz, "?");
    return buf;
}
