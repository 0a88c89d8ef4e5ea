/*
 * pg_policy_query: what `pkggate allow`, `explain` and the block message
 * ask of a loaded policy beyond deciding: which exception lapsed, who
 * locked a key, whether a file is trusted as it is.
 */
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include "pg_policy_entry.h"
#include "pg_policy_schema.h"
#include "pg_policy_trust.h"
#include "pg_util.h"
#include "banned.h"

/* A policy file is at most 1 MiB (pg_policy.h). */
#define POLICY_MAX ((size_t)1 << 20)

int64_t pg_policy_exempt_lapsed(const struct pg_policy *pol, enum pg_eco eco, const char *name,
                                const char *version, enum pg_rule rule, time_t now)
{
    const struct pg_slot *s = pg_policy_slot(pol, PG_POLICY_TOP, "exceptions");
    int64_t latest = 0;

    if (rule == PG_RULE_DENY || (unsigned)rule >= PG_RULE_N || !name)
        return 0;
    for (size_t i = 0; s && i < s->n; i++) {
        const struct pg_entry *e = &s->items[i];

        if (e->expires == INT64_MAX || (int64_t)now < e->expires)
            continue;
        if (e->rules != PG_POLICY_RULES_ALL && !(e->rules & ((uint32_t)1 << rule)))
            continue;
        if (pg_purl_match(&e->pat, eco, name, version) && e->expires > latest)
            latest = e->expires;
    }
    return latest;
}

const char *pg_policy_locked_by(const struct pg_policy *pol, const char *key)
{
    const struct pg_slot *s = pg_policy_slot(pol, PG_POLICY_TOP, key);

    return s ? s->locked_by : NULL;
}

int pg_policy_trusted(const struct pg_policy_paths *paths, const char *file)
{
    char *canon = pg_policy_trust_canon(file), *text = NULL;
    size_t len = 0;
    struct pg_err err = PG_ERR_INIT;
    int yes = 0;

    if (canon && pg_read_file(canon, POLICY_MAX, &text, &len, &err) == 0)
        yes = pg_policy_trust_known(paths->state_dir, canon, text, len);
    free(text);
    free(canon);
    return yes;
}
