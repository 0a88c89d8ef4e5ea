/*
 * pg_rule.h - rules as an enum, generated from the one table pg_rules.def.
 *
 * Code names a rule as PG_RULE_<ID>, never by its string: a rule that does
 * not exist does not compile. The string is for files and output only:
 * pg_rule_name() renders it, pg_rule_lookup() reads it back (policy/ only
 * needs that, when a policy file names a rule).
 *
 * Two ranges share the enum: the rules a policy configures under "rules"
 * (0 .. PG_RULE_NCONF-1, in schema order) and then the reasons that are no
 * rule of their own ("deny", "undecidable"). A verdict's reason carries
 * either; pg_policy_action() answers for both (deny: block; undecidable:
 * the policy's "undecidable").
 */
#ifndef PG_RULE_H
#define PG_RULE_H

/* What a rule does when it fires. Ordered by strictness so that tightening
 * is `new >= old`. */
enum pg_action {
    PG_ACT_OFF, /* also "allow" / "pass" where the key uses those words */
    PG_ACT_WARN,
    PG_ACT_BLOCK,
};

enum pg_rule {
#define PG_RULE(id, name, act, desc) PG_RULE_##id,
#define PG_REASON(id, name, desc)
#include "pg_rules.def"
#undef PG_RULE
#undef PG_REASON
#define PG_RULE(id, name, act, desc)
#define PG_REASON(id, name, desc) PG_RULE_##id,
#include "pg_rules.def"
#undef PG_RULE
#undef PG_REASON
};

/* How many rules a policy configures, and how many ids there are in all. */
enum {
#define PG_RULE(id, name, act, desc) +1
#define PG_REASON(id, name, desc)
    PG_RULE_NCONF = 0
#include "pg_rules.def"
#undef PG_RULE
#undef PG_REASON
};
enum {
#define PG_RULE(id, name, act, desc) +1
#define PG_REASON(id, name, desc) +1
    PG_RULE_N = 0
#include "pg_rules.def"
#undef PG_RULE
#undef PG_REASON
};

/* "min_version_age"; "?" for a value outside the enum (a caller bug). */
const char *pg_rule_name(enum pg_rule r);
/* The one-line description from pg_rules.def; "" outside the enum. */
const char *pg_rule_description(enum pg_rule r);
/*
 * The built-in policy's action for a configurable rule; PG_ACT_BLOCK for
 * the reasons and outside the enum (deny always blocks; undecidable's own
 * default is block).
 */
enum pg_action pg_rule_default(enum pg_rule r);
/* The id whose name is name, or -1; conf_only: only configurable rules. */
int pg_rule_lookup(const char *name, int conf_only);
/* True for the rules a policy configures under "rules". */
int pg_rule_configurable(enum pg_rule r);

#endif
