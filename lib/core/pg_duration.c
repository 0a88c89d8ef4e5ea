/*
 * pg_duration.c - policy durations ("7d", "P7D"; see pg_duration.h).
 *
 * Hand-written rather than strtol-based so every accepted spelling is
 * listed in one place, and so the cap is checked before each addition: no
 * result can overflow the arithmetic the age rules do on it.
 */
#include <stdio.h>
#include <string.h>

#include "pg_duration.h"
#include "pg_util.h"
#include "banned.h"

struct unit {
    char c;
    int64_t secs;
};

/* Largest first: a chained short form must follow this order. */
static const struct unit short_units[] = {
    {'w', (int64_t)7 * 86400}, {'d', 86400}, {'h', 3600}, {'m', 60}, {'s', 1},
};
static const struct unit iso_date_units[] = {{'W', (int64_t)7 * 86400}, {'D', 86400}};
static const struct unit iso_time_units[] = {{'H', 3600}, {'M', 60}, {'S', 1}};

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/*
 * Read a run of digits at *p into *n. Values beyond PG_DURATION_MAX are
 * clamped just above it so the caller's range check reports them.
 */
static int read_num(const char **p, int64_t *n)
{
    int64_t v = 0;

    if (!is_digit(**p))
        return -1;
    while (is_digit(**p)) {
        if (v <= PG_DURATION_MAX)
            v = v * 10 + (**p - '0');
        (*p)++;
    }
    *n = v;
    return 0;
}

/* Add n units to *total, refusing anything past the cap. */
static int add_units(int64_t *total, int64_t n, int64_t unit)
{
    if (n > PG_DURATION_MAX / unit || *total + n * unit > PG_DURATION_MAX)
        return -1;
    *total += n * unit;
    return 0;
}

/*
 * Consume "<n><unit>" pairs whose units come from tab[*next..], each unit at
 * most once and in table order. Returns the number of pairs read, -1 on a
 * malformed or overlong part (*why says which).
 */
static int read_pairs(const char **p, const struct unit *tab, size_t ntab, int64_t *total,
                      const char **why)
{
    size_t next = 0;
    int pairs = 0;

    while (is_digit(**p)) {
        int64_t n;
        size_t i;

        if (read_num(p, &n) < 0)
            return -1;
        for (i = 0; i < ntab && tab[i].c != **p; i++)
            ;
        if (i == ntab) {
            *why = "each number needs a unit after it";
            return -1;
        }
        if (i < next) {
            *why = "units must go from largest to smallest, each once";
            return -1;
        }
        if (add_units(total, n, tab[i].secs) < 0) {
            *why = "longer than 100 years";
            return -1;
        }
        (*p)++;
        next = i + 1;
        pairs++;
    }
    return pairs;
}

static int parse_iso(const char *s, int64_t *total, const char **why)
{
    const char *p = s + 1;
    int pairs, tpairs = 0;

    if (strpbrk(p, "YM") && strcspn(p, "YM") < strcspn(p, "T")) {
        *why = "years and months have no fixed length; use days (P30D)";
        return -1;
    }
    pairs = read_pairs(&p, iso_date_units, PG_ARRAY_SIZE(iso_date_units), total, why);
    if (pairs < 0)
        return -1;
    if (*p == 'T') {
        p++;
        tpairs = read_pairs(&p, iso_time_units, PG_ARRAY_SIZE(iso_time_units), total, why);
        if (tpairs < 0)
            return -1;
        if (tpairs == 0) {
            *why = "nothing after the T";
            return -1;
        }
    }
    if (*p || pairs + tpairs == 0) {
        if (!*why)
            *why = "expected ISO 8601 such as P7D or PT48H";
        return -1;
    }
    return 0;
}

static int parse_short(const char *s, int64_t *total, const char **why)
{
    const char *p = s;
    int64_t n;

    /* Plain seconds: digits only. */
    if (s[strspn(s, "0123456789")] == '\0') {
        if (read_num(&p, &n) < 0 || add_units(total, n, 1) < 0) {
            *why = "longer than 100 years";
            return -1;
        }
        return 0;
    }
    if (read_pairs(&p, short_units, PG_ARRAY_SIZE(short_units), total, why) <= 0 || *p) {
        if (!*why)
            *why = "expected a number and a unit (s, m, h, d, w) such as 48h or 7d";
        return -1;
    }
    return 0;
}

int pg_duration_parse(const char *s, int64_t *secs, struct pg_err *err)
{
    const char *why = NULL;
    int64_t total = 0;
    int rc;

    if (!s || !*s)
        return pg_err_set(err, "empty duration");
    if (s[0] == 'P')
        rc = parse_iso(s, &total, &why);
    else
        rc = parse_short(s, &total, &why);
    if (rc < 0)
        return pg_err_set(err, "bad duration '%s': %s", s, why ? why : "malformed");
    *secs = total;
    return 0;
}

char *pg_duration_format(int64_t secs, char *buf, size_t bufsz)
{
    if (secs < 0)
        secs = 0;
    if (secs >= (int64_t)2 * 86400)
        snprintf(buf, bufsz, "%lld d", (long long)(secs / 86400));
    else if (secs >= (int64_t)2 * 3600)
        snprintf(buf, bufsz, "%lld h", (long long)(secs / 3600));
    else if (secs >= (int64_t)2 * 60)
        snprintf(buf, bufsz, "%lld min", (long long)(secs / 60));
    else
        snprintf(buf, bufsz, "%lld s", (long long)secs);
    return buf;
}
