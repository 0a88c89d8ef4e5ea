/*
 * The rule table's lookups. Everything here is generated from
 * pg_rules.def, so the enum, the names and the defaults cannot drift.
 */
#include <string.h>

#include "pg_rule.h"
#include "pg_util.h"
#include "banned.h"

struct rule_row {
    const char *name;
    enum pg_action def;
    const char *desc;
};

static const struct rule_row rows[] = {
#define PG_RULE(id, name, act, desc) {name, act, desc},
#define PG_REASON(id, name, desc)
#include "pg_rules.def"
#undef PG_RULE
#undef PG_REASON
#define PG_RULE(id, name, act, desc)
#define PG_REASON(id, name, desc) {name, PG_ACT_BLOCK, desc},
#include "pg_rules.def"
#undef PG_RULE
#undef PG_REASON
};
_Static_assert(PG_ARRAY_SIZE(rows) == PG_RULE_N, "pg_rules.def and the enum disagree");
/* Exceptions keep the rules they cover as bits of a uint32_t. */
_Static_assert(PG_RULE_N <= 32, "too many rules for the exception mask");

static int valid(enum pg_rule r)
{
    return (unsigned)r < PG_RULE_N;
}

const char *pg_rule_name(enum pg_rule r)
{
    return valid(r) ? rows[r].name : "?";
}

const char *pg_rule_description(enum pg_rule r)
{
    return valid(r) ? rows[r].desc : "";
}

enum pg_action pg_rule_default(enum pg_rule r)
{
    return valid(r) ? rows[r].def : PG_ACT_BLOCK;
}

int pg_rule_configurable(enum pg_rule r)
{
    return (unsigned)r < PG_RULE_NCONF;
}

int pg_rule_lookup(const char *name, int conf_only)
{
    size_t n = conf_only ? PG_RULE_NCONF : PG_RULE_N;

    for (size_t r = 0; name && r < n; r++)
        if (strcmp(rows[r].name, name) == 0)
            return (int)r;
    return -1;
}
