/* Durations as policy files spell them: short units, plain seconds, ISO 8601. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "pg_duration.h"
#include "banned.h"

struct good {
    const char *text;
    int64_t secs;
};

static const struct good goods[] = {
    {"30s", 30},
    {"90m", 5400},
    {"48h", 172800},
    {"7d", 604800},
    {"2w", 1209600},
    {"0", 0},
    {"0s", 0},
    {"3600", 3600},
    {"1d12h", 129600},
    {"1h30m", 5400},
    {"1w2d3h4m5s", 604800 + 2 * 86400 + 3 * 3600 + 4 * 60 + 5},
    {"007d", 604800},
    {"P7D", 604800},
    {"PT48H", 172800},
    {"P1DT12H", 129600},
    {"PT90M", 5400},
    {"PT1M", 60},
    {"PT30S", 30},
    {"P2W", 1209600},
    {"P1W1D", 691200},
    {"PT1H30M15S", 5415},
    {"P36600D", 36600LL * 86400},
};

struct bad {
    const char *text;
    const char *why; /* a piece of the message */
};

static const struct bad bads[] = {
    {"", "empty duration"},
    {"h", "expected a number and a unit (s, m, h, d, w) such as 48h or 7d"},
    {"48x", "each number needs a unit after it"},
    {"48H", "each number needs a unit after it"},
    {"1.5h", "bad duration '1.5h'"},
    {"-5s", "bad duration '-5s'"},
    {"+5s", "bad duration"},
    {" 5s", "bad duration"},
    {"5s ", "bad duration"},
    {"5 s", "bad duration"},
    {"12h1d", "from largest to smallest"},
    {"1h1h", "from largest to smallest"},
    {"P", "expected ISO 8601"},
    {"PT", "nothing after the T"},
    {"P1Y", "years and months have no fixed length"},
    {"P1M", "years and months have no fixed length"},
    {"P1Y2DT3H", "years and months"},
    {"P7d", "each number needs a unit"},
    {"PT1D", "each number needs a unit"},
    {"P1DT", "nothing after the T"},
    {"P1.5D", "bad duration"},
    {"PT5S5M", "from largest to smallest"},
    {"p7d", "bad duration"},
    {"36601d", "longer than 100 years"},
    {"P36601D", "longer than 100 years"},
    {"99999999999999999999999s", "longer than 100 years"},
    {"99999999999999999999999", "longer than 100 years"},
    {"5300w", "longer than 100 years"},
};

static void test_good(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(goods) / sizeof(goods[0]); i++) {
        struct pg_err err = PG_ERR_INIT;
        int64_t secs = -1;

        if (pg_duration_parse(goods[i].text, &secs, &err) < 0)
            fail_msg("'%s' refused: %s", goods[i].text, err.msg);
        if (secs != goods[i].secs)
            fail_msg("'%s' gave %lld, want %lld", goods[i].text, (long long)secs,
                     (long long)goods[i].secs);
    }
}

static void test_bad(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
        struct pg_err err = PG_ERR_INIT;
        int64_t secs = 12345;

        if (pg_duration_parse(bads[i].text, &secs, &err) == 0)
            fail_msg("'%s' accepted as %lld", bads[i].text, (long long)secs);
        assert_int_equal(secs, 12345);
        if (!strstr(err.msg, bads[i].why))
            fail_msg("'%s': message '%s' lacks '%s'", bads[i].text, err.msg, bads[i].why);
    }
}

static void test_iso_months_say_why(void **state)
{
    struct pg_err err = PG_ERR_INIT;
    int64_t secs;

    (void)state;
    assert_int_equal(pg_duration_parse("P1M", &secs, &err), -1);
    assert_string_equal(err.msg,
                        "bad duration 'P1M': years and months have no fixed length; use days "
                        "(P30D)");
    assert_int_equal(pg_duration_parse(NULL, &secs, NULL), -1);
}

static void test_limit(void **state)
{
    int64_t secs;

    (void)state;
    assert_int_equal(pg_duration_parse("36600d", &secs, NULL), 0);
    assert_true(secs <= PG_DURATION_MAX);
    assert_int_equal(pg_duration_parse("3162240000", &secs, NULL), 0);
    assert_int_equal(secs, PG_DURATION_MAX);
    assert_int_equal(pg_duration_parse("3162240001", &secs, NULL), -1);
}

static void test_format(void **state)
{
    static const struct {
        int64_t secs;
        const char *text;
    } cases[] = {
        {0, "0 s"},        {-5, "0 s"},
        {45, "45 s"},      {119, "119 s"},
        {120, "2 min"},    {5400, "90 min"},
        {7199, "119 min"}, {7200, "2 h"},
        {18000, "5 h"},    {129600, "36 h"},
        {172800, "2 d"},   {172799, "47 h"},
        {2592000, "30 d"}, {PG_DURATION_MAX, "36600 d"},
    };
    char buf[PG_DURATION_FMT_MAX];

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        assert_string_equal(pg_duration_format(cases[i].secs, buf, sizeof(buf)), cases[i].text);
    /* Never overruns a short buffer. */
    assert_string_equal(pg_duration_format(2592000, buf, 3), "30");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good),
        cmocka_unit_test(test_bad),
        cmocka_unit_test(test_iso_months_say_why),
        cmocka_unit_test(test_limit),
        cmocka_unit_test(test_format),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
