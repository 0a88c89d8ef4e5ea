/*
 * pg_policy_query: what `pkggate allow`, `explain` and the block message
 * ask of a loaded policy beyond deciding: which exception lapsed, who
 * locked a key, whether a file is trusted as it is.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
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

int64_t pg_policy_next_expiry(const struct pg_policy *pol, time_t now)
{
    static const char *const lists[] = {"allow", "exceptions"};
    int64_t next = INT64_MAX;

    for (size_t k = 0; k < PG_ARRAY_SIZE(lists); k++) {
        const struct pg_slot *s = pg_policy_slot(pol, PG_POLICY_TOP, lists[k]);

        for (size_t i = 0; s && i < s->n; i++)
            if (s->items[i].expires > (int64_t)now && s->items[i].expires < next)
                next = s->items[i].expires;
    }
    return next;
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

int pg_policy_exception_at(const struct pg_policy *pol, size_t i,
                           struct pg_policy_exception *out)
{
    const struct pg_slot *s = pg_policy_slot(pol, PG_POLICY_TOP, "exceptions");
    const struct pg_entry *e;

    if (!s || i >= s->n)
        return 0;
    e = &s->items[i];
    out->package = e->text;
    out->reason = e->reason;
    out->layer = e->layer;
    out->expires = e->expires;
    out->rules = e->rules == PG_POLICY_RULES_ALL ? PG_POLICY_EXC_ALL : e->rules;
    return 1;
}

/* 1 when layer locked every key of the rule whose first slot is k; *nkeys: how many it has. */
static int whole_rule(const struct pg_policy *pol, size_t k, const char *layer, size_t *nkeys)
{
    int rule = pol->slots[k].rule;
    size_t n = 0;

    *nkeys = 0;
    while (k + n < pol->nslots && pol->slots[k + n].rule == rule)
        n++;
    *nkeys = n;
    for (size_t j = 0; j < n; j++)
        if (pol->slots[k + j].locked_by != layer)
            return 0;
    return 1;
}

/* The keys one layer locked, ", "-separated, rules folded where all their keys are. */
static void layer_locks(const struct pg_policy *pol, const char *layer, struct pg_sb *keys)
{
    struct pg_sb rules = PG_SB_INIT;
    size_t k = 0, nrules = 0, whole = 0;

    while (k < pol->nslots) {
        const struct pg_slot *s = &pol->slots[k];
        size_t n = 1;

        if (s->rule != PG_POLICY_TOP && whole_rule(pol, k, layer, &n)) {
            pg_sb_addf(&rules, ", rules.%s", pg_rule_name((enum pg_rule)s->rule));
            whole++;
        } else {
            for (size_t j = 0; j < n; j++)
                if (pol->slots[k + j].locked_by == layer)
                    pg_sb_addf(s->rule == PG_POLICY_TOP ? keys : &rules, ", %s",
                               pol->slots[k + j].path);
        }
        nrules += s->rule != PG_POLICY_TOP;
        k += n;
    }
    /* Every rule whole: "rules", as the file most likely said. */
    pg_sb_adds(keys, nrules && whole == nrules ? ", rules" : pg_sb_str(&rules));
    pg_sb_release(&rules);
}

void pg_policy_locks(const struct pg_policy *pol, struct pg_strlist *out)
{
    for (size_t i = 0; pol && i < pol->nlayers; i++) {
        struct pg_sb keys = PG_SB_INIT;

        layer_locks(pol, pol->layers[i], &keys);
        if (keys.len) {
            char *line = pg_xasprintf("%s: %s", pol->layers[i], pg_sb_str(&keys) + 2);

            pg_strlist_push(out, line);
            free(line);
        }
        pg_sb_release(&keys);
    }
}

int pg_policy_requires_provenance(const struct pg_policy *pol, enum pg_eco eco, const char *name,
                                  const char *version, const char **which)
{
    const struct pg_slot *s = pg_policy_slot(pol, PG_POLICY_TOP, "require_provenance");

    for (size_t i = 0; s && name && i < s->n; i++)
        if (pg_purl_match(&s->items[i].pat, eco, name, version)) {
            if (which)
                *which = s->items[i].text;
            return 1;
        }
    return 0;
}

const char *pg_policy_sigstore_root(const struct pg_policy *pol, int *is_inline)
{
    *is_inline = pol->sigstore_root_inline;
    return pol->sigstore_root;
}
