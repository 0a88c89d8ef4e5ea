/*
 * policy_fx.h - shared by test_policy.c and test_policy_cases.c: the test
 * data directory, a fixed "now", and loading one to three layers from
 * strings expecting success or failure. Include after cmocka.h.
 */
#ifndef POLICY_FX_H
#define POLICY_FX_H

#include <stddef.h>
#include <time.h>

#include "pg_policy.h"

#define DATA PG_TEST_DATA_DIR "/unit/data/policy/"

/* 2030-06-15T12:00:00Z and one day. */
#define NOW ((time_t)1907755200)
#define DAY 86400

static inline struct pg_policy *load(const char *a, const char *b, const char *c)
{
    const char *texts[] = {a, b, c};
    const char *names[] = {"a.json", "b.json", "c.json"};
    size_t n = c ? 3 : b ? 2 : a ? 1 : 0;
    struct pg_policy *pol = NULL;
    struct pg_err err = PG_ERR_INIT;

    if (pg_policy_load_strings(&pol, texts, names, n, &err) < 0)
        fail_msg("policy refused: %s", err.msg);
    return pol;
}

/* Load expecting failure; the message is left in err. */
static inline void load_fails(const char *a, const char *b, const char *c, struct pg_err *err)
{
    const char *texts[] = {a, b, c};
    const char *names[] = {"a.json", "b.json", "c.json"};
    size_t n = c ? 3 : b ? 2 : 1;
    char dummy = 0;
    struct pg_policy *pol = (struct pg_policy *)(void *)&dummy; /* must come back NULL */

    if (pg_policy_load_strings(&pol, texts, names, n, err) == 0)
        fail_msg("policy accepted: %s", c ? c : b ? b : a);
    assert_null(pol);
}

#endif
