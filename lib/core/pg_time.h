/*
 * pg_time.h - timestamps: the one parser for the dates and times pkggate
 * reads (registry metadata, policy "expires", signed trusted comments).
 */
#ifndef PG_TIME_H
#define PG_TIME_H

#include <stddef.h>
#include <stdint.h>

/*
 * The two forms, both UTC-based RFC 3339 as registries write them:
 *
 *   date       "2024-11-06"                   midnight UTC at its start
 *   date-time  "2024-11-06T22:37:09Z"         seconds, then "Z" or an offset
 *              "2024-11-06T22:37:09.220617Z"  a fraction of 1 or more digits
 *              "2024-11-06T23:37:09+01:00"    (the fraction is ignored)
 *
 * Rules (the three parsers this one replaced disagreed; the strictest
 * sensible rule won):
 *   - the year has four digits and is 1970 or later, and the instant is not
 *     before 1970-01-01T00:00:00Z ("1970-01-01T00:30:00+01:00" is refused),
 *     so a result is never negative; nor after PG_TIME_MAX, the last second
 *     of 9999 in UTC ("9999-12-31T23:59:59-05:30" is refused), so every
 *     result formats in four digits and parses back;
 *   - the day exists: Feb 29 only in leap years (2000 yes, 1900/2100 no);
 *   - hours 00-23, minutes 00-59, seconds 00-59: no leap second "60" (no
 *     registry writes one, and JavaScript and Python cannot);
 *   - "T" and "Z" are upper case; no space instead of "T"; a "." needs at
 *     least one digit after it; an offset is exactly "+hh:mm" or "-hh:mm"
 *     with hh 00-23, mm 00-59; nothing may follow.
 * Callers that want a narrower form (minisign's "expires") check the shape
 * first; what a bare date means beyond its first second is the caller's.
 */

/* 9999-12-31T23:59:59Z: the last instant a four-digit year can write. */
#define PG_TIME_MAX ((int64_t)253402300799)

/* What pg_time_scan read, or why it refused. */
enum pg_time_form {
    PG_TIME_BAD_VALUE = -2, /* the shape of a form, but no such instant
                               (2027-02-29, 2027-13-01, 24:00:00, 1969) */
    PG_TIME_BAD_SHAPE = -1, /* neither form (also NULL) */
    PG_TIME_DATE = 1,       /* a bare date */
    PG_TIME_DATE_TIME = 2,  /* a date-time */
};

/*
 * Parse s (either form above) into Unix seconds at *out. Returns the form
 * read (> 0), or a negative enum pg_time_form with *out untouched. Shape is
 * checked before values, so "2027-13-01T1x:00:00Z" is BAD_SHAPE.
 */
int pg_time_scan(const char *s, int64_t *out);

/* pg_time_scan for registry timestamps: Unix seconds, or -1 if s is not one. */
int64_t pg_time_parse(const char *s);

/*
 * "2024-11-06T22:37:09Z" into buf (at least 21 bytes); returns buf. A t
 * outside 0..PG_TIME_MAX (or a short buf) gives "?".
 */
char *pg_time_format(int64_t t, char *buf, size_t bufsz);

#endif
