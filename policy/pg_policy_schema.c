/*
 * The policy schema: which keys exist, what they hold, and how their
 * values are spelled. Defaults are not here; they are the built-in layer
 * (pg_default_policy.c), read like any other file.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pg_policy_schema.h"
#include "pg_util.h"
#include "banned.h"

const struct pg_keydef pg_policy_top_keys[] = {
    {"mode", PG_K_MODE, PG_TIGHT_UP},
    {"undecidable", PG_K_UNDECIDABLE, PG_TIGHT_UP},
    {"unknown_arguments", PG_K_UNKNOWN_ARG, PG_TIGHT_UP},
    /* Plain http to a registry the tool is configured with: an org may refuse it. */
    {"insecure_registries", PG_K_INSECURE, PG_TIGHT_UP},
    /* Notes inform, never decide; turning them off loosens only what a person sees. */
    {"notes", PG_K_NOTES, PG_TIGHT_UP},
    /* Decisions to syslog: an org turns it on and locks it, so a user cannot hide from it. */
    {"syslog", PG_K_SYSLOG, PG_TIGHT_UP},
    /* Shorter is stricter: it caps the wait; what a timeout leads to is "undecidable". */
    {"timeout", PG_K_TIMEOUT, PG_TIGHT_DOWN},
    {"deadline", PG_K_TIMEOUT, PG_TIGHT_DOWN},
    /* How old a locked version's cached facts may be: shorter sees a
     * deprecation, yank or unpublish sooner. */
    {"revalidate", PG_K_TIMEOUT, PG_TIGHT_DOWN},
    {"allow", PG_K_ALLOW, PG_TIGHT_SHRINKS},
    {"deny", PG_K_DENY, PG_TIGHT_GROWS},
    {"exceptions", PG_K_EXCEPTIONS, PG_TIGHT_SHRINKS},
    /* Packages that must carry verified provenance: every entry tightens. */
    {"require_provenance", PG_K_PATTERNS, PG_TIGHT_GROWS},
};
const size_t pg_policy_ntop = PG_ARRAY_SIZE(pg_policy_top_keys);

static const struct pg_keydef k_action[] = {{"action", PG_K_ACTION, PG_TIGHT_UP}};
static const struct pg_keydef k_typosquat[] = {
    {"action", PG_K_ACTION, PG_TIGHT_UP},
    {"extra_popular", PG_K_NAMES, PG_TIGHT_GROWS},
    {"ignore", PG_K_PATTERNS, PG_TIGHT_SHRINKS},
    /* The factor by which a target must be more popular: lower flags more names. */
    {"popularity_ratio", PG_K_RATIO, PG_TIGHT_DOWN},
    /* How long a package must have been out to be established: longer blocks more. */
    {"established_age", PG_K_AGE, PG_TIGHT_UP},
};
static const struct pg_keydef k_age[] = {{"action", PG_K_ACTION, PG_TIGHT_UP},
                                         {"age", PG_K_AGE, PG_TIGHT_UP}};
static const struct pg_keydef k_scripts[] = {{"action", PG_K_ACTION, PG_TIGHT_UP},
                                             {"allow", PG_K_PATTERNS, PG_TIGHT_SHRINKS}};
static const struct pg_keydef k_signature[] = {{"action", PG_K_ACTION, PG_TIGHT_UP},
                                               {"require_keys", PG_K_BOOL, PG_TIGHT_UP}};

#define KEYS(k)                                                                                    \
    {                                                                                              \
        k, PG_ARRAY_SIZE(k)                                                                        \
    }
/* Every rule of pg_rules.def has its keys here; a unit test checks none is left out. */
const struct pg_ruledef pg_policy_rules[PG_RULE_NCONF] = {
    [PG_RULE_NON_REGISTRY_SOURCE] = KEYS(k_action),
    [PG_RULE_TYPOSQUAT] = KEYS(k_typosquat),
    [PG_RULE_UNKNOWN_PACKAGE] = KEYS(k_action),
    [PG_RULE_MIN_VERSION_AGE] = KEYS(k_age),
    [PG_RULE_MIN_PACKAGE_AGE] = KEYS(k_age),
    [PG_RULE_DEPRECATED] = KEYS(k_action),
    [PG_RULE_YANKED] = KEYS(k_action),
    [PG_RULE_QUARANTINED] = KEYS(k_action),
    [PG_RULE_INSTALL_SCRIPTS] = KEYS(k_scripts),
    [PG_RULE_REGISTRY_SIGNATURE] = KEYS(k_signature),
    [PG_RULE_PROVENANCE_DOWNGRADE] = KEYS(k_action),
    [PG_RULE_PUBLISHER_CHANGE] = KEYS(k_action),
    [PG_RULE_INTEGRITY] = KEYS(k_action),
    [PG_RULE_INDEX_CONFUSION] = KEYS(k_action),
    [PG_RULE_PROVENANCE] = KEYS(k_action),
};

static void init_slot(struct pg_slot *s, int rule, const struct pg_keydef *def)
{
    memset(s, 0, sizeof(*s));
    s->rule = rule;
    s->def = def;
    if (rule == PG_POLICY_TOP)
        s->path = pg_xstrdup(def->name);
    else
        s->path = pg_xasprintf("rules.%s.%s", pg_rule_name((enum pg_rule)rule), def->name);
}

struct pg_policy *pg_policy_alloc(void)
{
    struct pg_policy *pol = pg_xcalloc(1, sizeof(*pol));
    size_t n = pg_policy_ntop;

    for (size_t r = 0; r < PG_RULE_NCONF; r++)
        n += pg_policy_rules[r].nkeys;
    pol->slots = pg_xcalloc(n, sizeof(*pol->slots));
    for (size_t k = 0; k < pg_policy_ntop; k++)
        init_slot(&pol->slots[pol->nslots++], PG_POLICY_TOP, &pg_policy_top_keys[k]);
    for (size_t r = 0; r < PG_RULE_NCONF; r++)
        for (size_t k = 0; k < pg_policy_rules[r].nkeys; k++)
            init_slot(&pol->slots[pol->nslots++], (int)r, &pg_policy_rules[r].keys[k]);
    return pol;
}

struct pg_slot *pg_policy_slot(const struct pg_policy *pol, int rule, const char *key)
{
    if (!pol || !key)
        return NULL;
    for (size_t i = 0; i < pol->nslots; i++)
        if (pol->slots[i].rule == rule && strcmp(pol->slots[i].def->name, key) == 0)
            return &pol->slots[i];
    return NULL;
}

int pg_policy_kind_is_list(enum pg_kind k)
{
    return k == PG_K_PATTERNS || k == PG_K_NAMES || k == PG_K_ALLOW || k == PG_K_DENY ||
           k == PG_K_EXCEPTIONS;
}

struct spelling {
    const char *name;
    int value;
};

/* Loosest first, as pg_policy_enum_choices lists them strictest first. */
static const struct spelling mode_names[] = {
    {"audit", PG_MODE_AUDIT}, {"warn", PG_MODE_WARN}, {"enforce", PG_MODE_ENFORCE}};
static const struct spelling undecidable_names[] = {
    {"allow", PG_ACT_OFF}, {"warn", PG_ACT_WARN}, {"block", PG_ACT_BLOCK}};
static const struct spelling unknown_arg_names[] = {{"pass", PG_ACT_OFF}, {"block", PG_ACT_BLOCK}};
static const struct spelling insecure_names[] = {{"warn", PG_ACT_WARN}, {"block", PG_ACT_BLOCK}};
static const struct spelling notes_names[] = {{"off", PG_ACT_OFF}, {"on", PG_ACT_WARN}};
static const struct spelling syslog_names[] = {{"off", 0}, {"on", 1}};
static const struct spelling action_names[] = {
    {"off", PG_ACT_OFF}, {"warn", PG_ACT_WARN}, {"block", PG_ACT_BLOCK}};

static const struct spelling *spellings(enum pg_kind k, size_t *n)
{
    switch (k) {
    case PG_K_MODE:
        *n = PG_ARRAY_SIZE(mode_names);
        return mode_names;
    case PG_K_UNDECIDABLE:
        *n = PG_ARRAY_SIZE(undecidable_names);
        return undecidable_names;
    case PG_K_UNKNOWN_ARG:
        *n = PG_ARRAY_SIZE(unknown_arg_names);
        return unknown_arg_names;
    case PG_K_INSECURE:
        *n = PG_ARRAY_SIZE(insecure_names);
        return insecure_names;
    case PG_K_NOTES:
        *n = PG_ARRAY_SIZE(notes_names);
        return notes_names;
    case PG_K_SYSLOG:
        *n = PG_ARRAY_SIZE(syslog_names);
        return syslog_names;
    case PG_K_ACTION:
        *n = PG_ARRAY_SIZE(action_names);
        return action_names;
    default:
        *n = 0;
        return NULL;
    }
}

int pg_policy_enum_parse(enum pg_kind k, const char *s, int64_t *v)
{
    size_t n;
    const struct spelling *t = spellings(k, &n);

    for (size_t i = 0; s && i < n; i++) {
        if (strcmp(t[i].name, s) == 0) {
            *v = t[i].value;
            return 0;
        }
    }
    return -1;
}

const char *pg_policy_enum_name(enum pg_kind k, int64_t v)
{
    size_t n;
    const struct spelling *t = spellings(k, &n);

    for (size_t i = 0; i < n; i++)
        if (t[i].value == v)
            return t[i].name;
    return "?";
}

const char *pg_policy_enum_choices(enum pg_kind k)
{
    switch (k) {
    case PG_K_MODE:
        return "enforce, warn, audit";
    case PG_K_UNDECIDABLE:
        return "block, warn, allow";
    case PG_K_UNKNOWN_ARG:
        return "block, pass";
    case PG_K_INSECURE:
        return "block, warn";
    case PG_K_NOTES:
    case PG_K_SYSLOG:
        return "on, off";
    case PG_K_ACTION:
        return "block, warn, off";
    default:
        return "";
    }
}

/* Longest word worth a suggestion; keeps the distance table small. */
#define SUGGEST_MAX 64

/* Optimal string alignment distance: edits plus adjacent transpositions. */
static size_t osa(const char *a, size_t la, const char *b, size_t lb)
{
    size_t d[SUGGEST_MAX + 1][SUGGEST_MAX + 1];

    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++) {
        for (size_t j = 1; j <= lb; j++) {
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            size_t v = d[i - 1][j] + 1;

            if (d[i][j - 1] + 1 < v)
                v = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < v)
                v = d[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
        }
    }
    return d[la][lb];
}

const char *pg_policy_suggest(const char *word, const char *const *cands, size_t n)
{
    size_t lw = word ? strlen(word) : 0;
    size_t best = (size_t)-1, limit = 1 + lw / 5;
    const char *pick = NULL;

    if (lw == 0 || lw > SUGGEST_MAX)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        size_t lc = strlen(cands[i]), dist;

        if (lc > SUGGEST_MAX)
            continue;
        /* Case alone never makes two keys different enough to hide. */
        dist = strcasecmp(word, cands[i]) == 0 ? 1 : osa(word, lw, cands[i], lc);
        if (dist <= limit && dist < best) {
            best = dist;
            pick = cands[i];
        }
    }
    return pick;
}

int pg_policy_is_comment(const char *key)
{
    return key[0] == '_' || key[0] == '$';
}
