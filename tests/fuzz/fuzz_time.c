/*
 * fuzz_time.c - the one date parser (registry times, policy expiry dates,
 * trusted comments of signed policies) on any bytes.
 *
 * Invariants: a parse either fails leaving the output untouched, or gives
 * a time at or after 1970 that formats and parses back to itself (whole
 * seconds), and pg_time_parse agrees with pg_time_scan.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pg_time.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char s[128], buf[32];
    int64_t t = -7, again = -7;
    int form;

    if (size >= sizeof(s))
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    form = pg_time_scan(s, &t);
    if (form < 0) {
        if (t != -7 || pg_time_parse(s) != -1)
            abort();
        return 0;
    }
    if (t < 0 || pg_time_parse(s) != t)
        abort();
    pg_time_format(t, buf, sizeof(buf));
    if (pg_time_scan(buf, &again) != PG_TIME_DATE_TIME || again != t)
        abort();
    return 0;
}
