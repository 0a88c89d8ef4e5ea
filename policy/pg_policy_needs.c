/*
 * What fetching must bring for the rules a policy turns on. Fetch planning
 * (shim/cli/pg_fetch.c) reads the answer as data, so rule names stay here.
 */
#include "pg_policy.h"
#include "banned.h"

#define DAY (24 * 3600)

static int on(const struct pg_policy *pol, enum pg_rule r)
{
    return pg_policy_action(pol, r) != PG_ACT_OFF;
}

/*
 * Before this time a change means no version can be young enough for the
 * age rules, so npm's abbreviated document is enough.
 */
static int64_t settled_before(const struct pg_policy *pol, time_t now)
{
    int64_t age = 0;

    if (on(pol, PG_RULE_MIN_VERSION_AGE))
        age = pg_policy_duration(pol, PG_RULE_MIN_VERSION_AGE, "age", 2 * DAY);
    if (on(pol, PG_RULE_MIN_PACKAGE_AGE)) {
        int64_t p = pg_policy_duration(pol, PG_RULE_MIN_PACKAGE_AGE, "age", 30 * DAY);

        age = p > age ? p : age;
    }
    /*
     * Publisher and provenance rules need the full document, and so does a
     * signature (its key's expiry is checked against the publish time,
     * which the abbreviated document lacks).
     */
    if (on(pol, PG_RULE_PUBLISHER_CHANGE) || on(pol, PG_RULE_PROVENANCE_DOWNGRADE) ||
        on(pol, PG_RULE_REGISTRY_SIGNATURE) || on(pol, PG_RULE_PROVENANCE))
        return 0;
    return (int64_t)now - age;
}

void pg_policy_needs(const struct pg_policy *pol, time_t now, struct pg_policy_needs *out)
{
    out->settled_before = settled_before(pol, now);
    out->signatures = on(pol, PG_RULE_REGISTRY_SIGNATURE);
    out->publishers = on(pol, PG_RULE_PUBLISHER_CHANGE);
    /*
     * Attestations are verified only for rules that read the result: the
     * provenance rule itself (an invalid one blocks; require_provenance),
     * and the two that compare identities with an earlier release.
     */
    out->provenance = on(pol, PG_RULE_PROVENANCE) || on(pol, PG_RULE_PROVENANCE_DOWNGRADE) ||
                      out->publishers;
}
