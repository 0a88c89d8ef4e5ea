/*
 * pg_policy_schema.h - the schema and the policy as slots; inside policy/.
 *
 * The schema is a table (pg_policy_schema.c). Each key the schema knows
 * becomes one struct pg_slot in every policy, whose path is its dotted name
 * ("mode", "rules.typosquat.ignore"). Reading a layer (pg_policy_parse.h)
 * writes values into slots, checking each against the lock left on the
 * slot by an earlier layer; the public getters (pg_policy.c) read slots.
 *
 * This header is the bottom of policy/'s own modules: it includes none of
 * them, and every other module may include it. A struct pg_policy owns its
 * slots, their entries (pg_policy_entry.h) and its org layer
 * (pg_policy_org.h); pg_policy_free() releases them all.
 */
#ifndef PG_POLICY_SCHEMA_H
#define PG_POLICY_SCHEMA_H

#include <stdint.h>

#include <jansson.h>

#include "pg_policy.h"

/* What a slot holds and which way is "tighter" once it is locked. */
enum pg_kind {
    PG_K_MODE,        /* audit < warn < enforce */
    PG_K_UNDECIDABLE, /* allow < warn < block (stored as enum pg_action) */
    PG_K_UNKNOWN_ARG, /* pass < block (PG_ACT_OFF, PG_ACT_BLOCK) */
    PG_K_INSECURE,    /* insecure_registries: warn < block (PG_ACT_WARN, PG_ACT_BLOCK) */
    PG_K_NOTES,       /* notes: off < on (PG_ACT_OFF, PG_ACT_WARN) */
    PG_K_SYSLOG,      /* syslog: off < on (0, 1) */
    PG_K_ACTION,      /* off < warn < block */
    PG_K_AGE,         /* a duration; longer is tighter */
    PG_K_TIMEOUT,     /* a duration; shorter is tighter */
    PG_K_BOOL,        /* true is tighter */
    PG_K_RATIO,       /* a number > 0; lower is tighter */
    PG_K_PATTERNS,    /* purl patterns (which way is stricter: the key's pg_tight) */
    PG_K_NAMES,       /* purl names without globs or ranges: adding tightens */
    PG_K_ALLOW,       /* allow entries: adding loosens */
    PG_K_DENY,        /* deny entries: adding tightens */
    PG_K_EXCEPTIONS,  /* exception entries: adding loosens */
};

/*
 * Which way a key's values get stricter: what a lock lets a later layer do,
 * and what an untrusted project or $PKGGATE_POLICY file may do at once
 * (pg_policy.h, "Trust"). Decided per key in the schema table.
 */
enum pg_tight {
    PG_TIGHT_UP,      /* a higher value is stricter: enums, ages, booleans */
    PG_TIGHT_DOWN,    /* a lower value is stricter: timeout, popularity_ratio */
    PG_TIGHT_GROWS,   /* a list whose entries tighten: deny, extra_popular */
    PG_TIGHT_SHRINKS, /* a list whose entries loosen: allow, exceptions,
                       * typosquat.ignore, install_scripts.allow */
};

struct pg_keydef {
    const char *name;
    enum pg_kind kind;
    enum pg_tight tight;
};

/* The keys of one rule; its name is pg_rule_name(). */
struct pg_ruledef {
    const struct pg_keydef *keys;
    size_t nkeys;
};

extern const struct pg_keydef pg_policy_top_keys[];
extern const size_t pg_policy_ntop;
/* Indexed by enum pg_rule, the PG_RULE_NCONF configurable rules. */
extern const struct pg_ruledef pg_policy_rules[PG_RULE_NCONF];

/* Exceptions with "rules": "*" cover every rule id, reasons included. */
#define PG_POLICY_RULES_ALL UINT32_MAX
/* The "rule" of a top-level slot. */
#define PG_POLICY_TOP (-1)

/* An allow/deny/exception entry or list item: see pg_policy_entry.h. */
struct pg_entry;
/* The signed org layer as accepted: see pg_policy_orgsig.h. */
struct pg_policy_org;

/* How a layer's values are taken (pg_policy.h, "Trust"). */
enum pg_layer_trust {
    PG_LAYER_OWN,       /* built-in, org, user: applied as written */
    PG_LAYER_UNTRUSTED, /* a project or $PKGGATE_POLICY file not trusted as it
                         * is now: what tightens applies, what loosens is
                         * recorded in pol->loose and ignored */
    PG_LAYER_TRUSTED,   /* the same, trusted: everything applies, and what
                         * loosens is recorded so that it can be named */
};

/* A value a project or $PKGGATE_POLICY file set looser than the layers below. */
struct pg_loose {
    size_t slot;       /* index into pol->slots */
    const char *layer; /* points into pol->layers */
    char *value;       /* the value or list entry as written, compact JSON */
    int applied;       /* the layer is trusted: the value is in force */
};

/* A project or $PKGGATE_POLICY layer and whether its content is trusted. */
struct pg_guard {
    const char *layer; /* points into pol->layers */
    char *canon;       /* its real path, as `pkggate policy trust` takes it;
                        * NULL when it has none (then it is never trusted) */
    int trusted;
};

struct pg_slot {
    char *path; /* "mode", "rules.min_version_age.age" */
    int rule;   /* enum pg_rule, or PG_POLICY_TOP for top-level keys */
    const struct pg_keydef *def;
    int set;
    int64_t i;             /* enums (as enum values), booleans, durations */
    double x;              /* numbers */
    json_t *raw;           /* the value as written, for show and lock messages */
    const char *layer;     /* who set it (points into pol->layers) */
    const char *locked_by; /* first layer that locked it, or NULL */
    struct pg_entry *items;
    size_t n, alloc;
    const char **strs; /* item texts, filled when loading is done */
    int loosens;       /* the value in force is a trusted loosening */
};

struct pg_policy {
    char **layers;
    size_t nlayers, alloc;
    struct pg_slot *slots;
    size_t nslots;
    struct pg_policy_org *org; /* NULL: no anchor */
    struct pg_loose *loose;    /* in the order the layers set them */
    size_t nloose, aloose;
    struct pg_guard guards[2]; /* the project layer, then $PKGGATE_POLICY */
    size_t nguards;
    int reading_org;           /* the org layer is being applied: "sigstore_root" may be set */
    char *sigstore_root;       /* the org's "sigstore_root": an absolute path, or the
                                * trusted root itself as JSON text; NULL: compiled in */
    int sigstore_root_inline;  /* sigstore_root is the JSON text, not a path */
};

/* Name of layer 0 in messages, show output and pg_policy_layers(). */
#define PG_POLICY_BUILTIN "built-in default"
/* The registry timeout, seconds, if a policy somehow had none. */
#define PG_POLICY_TIMEOUT_DEFAULT 20
#define PG_POLICY_DEADLINE_DEFAULT 120
#define PG_POLICY_REVALIDATE_DEFAULT 86400
/* Largest policy file read. */
#define PG_POLICY_FILE_MAX ((size_t)1 << 20)

/* pg_policy_schema.c */
struct pg_policy *pg_policy_alloc(void);
/* The slot of rules.<rule>.<key>, or of top-level key with PG_POLICY_TOP; NULL if none. */
struct pg_slot *pg_policy_slot(const struct pg_policy *pol, int rule, const char *key);
int pg_policy_kind_is_list(enum pg_kind k);
int pg_policy_enum_parse(enum pg_kind k, const char *s, int64_t *v);
const char *pg_policy_enum_name(enum pg_kind k, int64_t v);
const char *pg_policy_enum_choices(enum pg_kind k);
/* The closest of cands to word, or NULL when none is close enough. */
const char *pg_policy_suggest(const char *word, const char *const *cands, size_t n);
/* Keys beginning with '_' or '$' are comments. */
int pg_policy_is_comment(const char *key);

#endif
