/*
 * pg_duration.h - lengths of time as people write them in policy files.
 *
 * Accepted spellings (all mean a whole number of seconds, never negative):
 *   "30s" "90m" "48h" "7d" "2w"   a number and a unit: s(econds), m(inutes),
 *                                  h(ours), d(ays), w(eeks); units may be
 *                                  chained largest first: "1d12h", "1h30m"
 *   "3600"                         plain decimal seconds
 *   "P7D" "PT48H" "P1DT12H" "P2W"  ISO 8601 durations with W, D, and after
 *                                  the T: H, M, S (upper case, whole numbers)
 * Refused: years and months (ISO "P1Y", "P1M") because they have no fixed
 * length, fractions ("1.5h"), signs, spaces, empty strings, and anything over
 * PG_DURATION_MAX (a hundred years), so no arithmetic on the result can
 * overflow. Note "m" is minutes in the short form, as in "90m"; in ISO 8601
 * M before the T means months and is refused, after the T it is minutes.
 */
#ifndef PG_DURATION_H
#define PG_DURATION_H

#include <stddef.h>
#include <stdint.h>

#include "pg_err.h"

#define PG_DURATION_MAX ((int64_t)100 * 366 * 86400)

/*
 * Parse s into *secs. On error *secs is untouched and err says why, quoting
 * s, e.g. "bad duration 'P1M': months have no fixed length; use days (P30D)".
 */
int pg_duration_parse(const char *s, int64_t *secs, struct pg_err *err) PG_WARN_UNUSED;

/* Enough for any pg_duration_format() result, including the NUL. */
#define PG_DURATION_FMT_MAX 32

/*
 * A rounded-down length for messages, in the largest unit that gives a
 * number of at least 2: "3 d", "36 h", "5 h", "90 min", "45 s"; negative
 * values are written as 0 s. Writes into buf (bufsz >= PG_DURATION_FMT_MAX
 * never truncates) and returns buf.
 */
char *pg_duration_format(int64_t secs, char *buf, size_t bufsz);

#endif
