/*
 * pg_time.h - registry timestamps.
 */
#ifndef PG_TIME_H
#define PG_TIME_H

#include <stddef.h>
#include <stdint.h>

/*
 * Parse an RFC 3339 / ISO 8601 UTC time as registries write them:
 * "2024-11-06T22:37:09.220Z", "2024-11-06T22:37:09.220617Z",
 * "2024-11-06T22:37:09Z", "2024-11-06T22:37:09+00:00" and a bare date
 * "2024-11-06" (midnight UTC). Returns Unix seconds, or -1 if s is not one.
 */
int64_t pg_time_parse(const char *s);

/* "2024-11-06T22:37:09Z" into buf (at least 21 bytes); returns buf. */
char *pg_time_format(int64_t t, char *buf, size_t bufsz);

#endif
