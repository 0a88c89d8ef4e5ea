/* Timestamps: the one parser behind registry times, policy expiry and signed expiry. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "pg_time.h"
#include "banned.h"

struct good {
    const char *text;
    int64_t t; /* worked out with Python's datetime, not with pg_time */
    int form;
};

static const struct good goods[] = {
    {"1970-01-01", 0, PG_TIME_DATE},
    {"1970-01-01T00:00:00Z", 0, PG_TIME_DATE_TIME},
    {"2024-11-06", 1730851200, PG_TIME_DATE},
    {"2024-11-06T22:37:09Z", 1730932629, PG_TIME_DATE_TIME},
    {"2024-11-06T22:37:09.220Z", 1730932629, PG_TIME_DATE_TIME},
    {"2024-11-06T22:37:09.220617Z", 1730932629, PG_TIME_DATE_TIME},
    {"2024-11-06T22:37:09.999999999999Z", 1730932629, PG_TIME_DATE_TIME},
    {"2024-11-06T23:37:09+01:00", 1730932629, PG_TIME_DATE_TIME},
    {"2024-11-06T22:37:09+00:00", 1730932629, PG_TIME_DATE_TIME},
    {"2024-11-06T22:37:09-00:00", 1730932629, PG_TIME_DATE_TIME},
    {"2024-11-06T17:37:09-05:30", 1730934429, PG_TIME_DATE_TIME},
    {"2024-11-06T23:37:09.5+01:00", 1730932629, PG_TIME_DATE_TIME},
    /* leap years: every 4th, not every 100th, but every 400th */
    {"2024-02-29", 1709164800, PG_TIME_DATE},
    {"2000-02-29", 951782400, PG_TIME_DATE},
    {"2028-02-29T12:30:01Z", 1835440201, PG_TIME_DATE_TIME},
    {"2100-03-01", 4107542400, PG_TIME_DATE},
    {"2027-01-01", 1798761600, PG_TIME_DATE},
    /* offsets that cross a day boundary */
    {"2024-12-31T23:59:59-23:59", 1735775939, PG_TIME_DATE_TIME},
    {"2024-03-01T00:00:00+23:59", 1709164860, PG_TIME_DATE_TIME},
    /* exactly the epoch, reached through an offset */
    {"1970-01-01T00:30:00+00:30", 0, PG_TIME_DATE_TIME},
    /* past 32 bits, and the last second there is */
    {"2038-01-19T03:14:08Z", 2147483648LL, PG_TIME_DATE_TIME},
    {"9999-12-31T23:59:59Z", 253402300799LL, PG_TIME_DATE_TIME},
    /* the last day, east of UTC: still before the end of year 9999 in UTC */
    {"9999-12-31T23:59:59+05:30", 253402280999LL, PG_TIME_DATE_TIME},
};

static const char *const bad_shape[] = {
    "",
    "2024",
    "2024-11",
    "2024-1-06",
    "2024-11-6",
    "24-11-06",
    "2024/11/06",
    "+2024-11-06",
    " 2024-11-06",
    "2024-11-06 ",
    "2024-11-06x",
    "2024-11-06T",
    "2024-11-06T22:37Z",
    "2024-11-06T22:37:09",
    "2024-11-06T22:37:09.220617",
    "2024-11-06 22:37:09Z",
    "2024-11-06t22:37:09Z",
    "2024-11-06T22:37:09z",
    "2024-11-06T22:37:09.Z",
    "2024-11-06T22:37:09.1.2Z",
    "2024-11-06T22:37:9Z",
    "2024-11-06T22:37:09+01",
    "2024-11-06T22:37:09+0100",
    "2024-11-06T22:37:09+1:00",
    "2024-11-06T22:37:09 +01:00",
    "2024-11-06T22:37:09Zjunk",
    "2024-11-06T22:37:09+01:00x",
    "2024-11-06T22:37:09ZZ",
    "2O24-11-06",
    "tomorrow",
    /* shape is checked before values */
    "2027-13-01T1x:00:00Z",
};

static const char *const bad_value[] = {
    "2023-02-29",
    "2100-02-29",
    "2024-02-30",
    "2024-04-31",
    "2024-13-01",
    "2024-00-10",
    "2024-11-00",
    "2024-11-32",
    "1969-12-31",
    "1969-12-31T23:59:59Z",
    "0000-01-01",
    "2024-11-06T24:00:00Z",
    "2024-11-06T23:60:00Z",
    "2024-11-06T23:59:60Z",
    "2024-11-06T22:37:09+24:00",
    "2024-11-06T22:37:09+01:60",
    /* before the epoch only because of the offset */
    "1970-01-01T00:00:00+00:01",
    "1970-01-01T00:59:59+01:00",
    /* after 9999-12-31T23:59:59Z only because of the offset: year 10000
     * in UTC, which no four-digit form can write back (fuzz_time found it) */
    "9999-12-31T23:59:59-05:30",
    "9999-12-31T23:00:00-01:00",
    "9999-12-31T23:59:59-00:01",
};

static void test_good(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(goods) / sizeof(goods[0]); i++) {
        int64_t t = -7;
        int form = pg_time_scan(goods[i].text, &t);

        if (form != goods[i].form || t != goods[i].t)
            fail_msg("'%s': form %d t %lld, want form %d t %lld", goods[i].text, form, (long long)t,
                     goods[i].form, (long long)goods[i].t);
        assert_int_equal(pg_time_parse(goods[i].text), goods[i].t);
    }
}

static void check_bad(const char *const *list, size_t n, int want)
{
    for (size_t i = 0; i < n; i++) {
        int64_t t = -7;
        int form = pg_time_scan(list[i], &t);

        if (form != want || t != -7)
            fail_msg("'%s': form %d t %lld, want %d and *out untouched", list[i], form,
                     (long long)t, want);
        assert_int_equal(pg_time_parse(list[i]), -1);
    }
}

static void test_bad(void **state)
{
    int64_t t = -7;

    (void)state;
    check_bad(bad_shape, sizeof(bad_shape) / sizeof(bad_shape[0]), PG_TIME_BAD_SHAPE);
    check_bad(bad_value, sizeof(bad_value) / sizeof(bad_value[0]), PG_TIME_BAD_VALUE);
    assert_int_equal(pg_time_scan(NULL, &t), PG_TIME_BAD_SHAPE);
    assert_int_equal(pg_time_parse(NULL), -1);
}

/* Every day of 1970-2400 and every impossible day, against libc's timegm. */
static void test_calendar(void **state)
{
    char s[16];

    (void)state;
    for (int y = 1970; y <= 2400; y++) {
        for (int m = 1; m <= 12; m++) {
            for (int d = 1; d <= 31; d++) {
                struct tm tm = {0};
                time_t want;
                int64_t t = -7;
                int form;

                tm.tm_year = y - 1900;
                tm.tm_mon = m - 1;
                tm.tm_mday = d;
                want = timegm(&tm);
                snprintf(s, sizeof(s), "%04d-%02d-%02d", y, m, d);
                form = pg_time_scan(s, &t);
                if (tm.tm_mday != d) { /* timegm rolled it into the next month */
                    if (form != PG_TIME_BAD_VALUE)
                        fail_msg("'%s' does not exist but gave form %d", s, form);
                } else if (form != PG_TIME_DATE || t != (int64_t)want) {
                    fail_msg("'%s': form %d t %lld, timegm %lld", s, form, (long long)t,
                             (long long)want);
                }
            }
        }
    }
}

static void test_format(void **state)
{
    char buf[32];

    (void)state;
    assert_string_equal(pg_time_format(0, buf, sizeof(buf)), "1970-01-01T00:00:00Z");
    assert_string_equal(pg_time_format(1835440201, buf, sizeof(buf)), "2028-02-29T12:30:01Z");
    /* format then parse gives back the same second */
    for (int64_t t = 0; t < 4102444800LL; t += 86400LL * 97 + 3607) {
        pg_time_format(t, buf, sizeof(buf));
        assert_int_equal(pg_time_parse(buf), t);
    }
    assert_string_equal(pg_time_format(0, buf, 4), "?");
    /* The range pg_time_scan accepts, and no further: "?" is never parsed back. */
    assert_int_equal(PG_TIME_MAX, 253402300799LL);
    assert_string_equal(pg_time_format(PG_TIME_MAX, buf, sizeof(buf)), "9999-12-31T23:59:59Z");
    assert_string_equal(pg_time_format(PG_TIME_MAX + 1, buf, sizeof(buf)), "?");
    assert_string_equal(pg_time_format(-1, buf, sizeof(buf)), "?");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good),
        cmocka_unit_test(test_bad),
        cmocka_unit_test(test_calendar),
        cmocka_unit_test(test_format),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
