/*
 * pg_policy_int.h - inside the policy module; not for other modules.
 *
 * The schema is a table (pg_policy_schema.c). Each key the schema knows
 * becomes one struct pg_slot in every policy, whose path is its dotted name
 * ("mode", "rules.typosquat.ignore"). Loading a layer (pg_policy_parse.c,
 * pg_policy_entry.c) writes values into slots, checking each against the
 * lock left on the slot by an earlier layer; the public getters
 * (pg_policy.c) read slots.
 */
#ifndef PG_POLICY_INT_H
#define PG_POLICY_INT_H

#include <stdint.h>

#include <jansson.h>

#include "pg_jsonpos.h"
#include "pg_policy.h"
#include "pg_purl.h"

/* What a slot holds and which way is "tighter" once it is locked. */
enum pg_kind {
    PG_K_MODE,        /* audit < warn < enforce */
    PG_K_UNDECIDABLE, /* allow < warn < block (stored as enum pg_action) */
    PG_K_UNKNOWN_ARG, /* pass < block (PG_ACT_OFF, PG_ACT_BLOCK) */
    PG_K_ACTION,      /* off < warn < block */
    PG_K_AGE,         /* a duration; longer is tighter */
    PG_K_TIMEOUT,     /* a duration; shorter is tighter */
    PG_K_BOOL,        /* true is tighter */
    PG_K_RATIO,       /* a number > 0; lower is tighter */
    PG_K_PATTERNS,    /* purl patterns exempting packages: adding loosens */
    PG_K_NAMES,       /* purl names without globs or ranges: adding tightens */
    PG_K_ALLOW,       /* allow entries: adding loosens */
    PG_K_DENY,        /* deny entries: adding tightens */
    PG_K_EXCEPTIONS,  /* exception entries: adding loosens */
};

struct pg_keydef {
    const char *name;
    enum pg_kind kind;
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

/* One allow/deny/exception entry, or one item of a pattern/name list. */
struct pg_entry {
    char *text; /* the pattern as written */
    struct pg_purl pat;
    char *reason;    /* NULL when none */
    char *why;       /* "text (reason)" or text, for pg_policy_denied/allowed */
    int64_t expires; /* first second it no longer applies; INT64_MAX: never */
    uint32_t rules;  /* exceptions: bit r for enum pg_rule r */
    json_t *raw;     /* the entry as written (a reference) */
    const char *layer;
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
};

/* The signed org layer as accepted: pg_policy_orginfo plus what it owns. */
struct pg_policy_org {
    struct pg_policy_orginfo info; /* its strings point at the fields below */
    char *source, *anchor, *fetch_error;
    uint64_t last_serial; /* the highest serial on record before this load */
};

struct pg_policy {
    char **layers;
    size_t nlayers, alloc;
    struct pg_slot *slots;
    size_t nslots;
    struct pg_policy_org *org; /* NULL: no anchor */
};

/* Name of layer 0 in messages, show output and pg_policy_layers(). */
#define PG_POLICY_BUILTIN "built-in default"
/* The registry timeout, seconds, if a policy somehow had none. */
#define PG_POLICY_TIMEOUT_DEFAULT 20
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
void pg_policy_entry_release(struct pg_entry *e);

/* One layer being read: its text, and where in it the walk is. */
#define PG_POLICY_MAX_DEPTH 8
struct pg_lctx {
    struct pg_policy *pol;
    const char *name; /* layer name as errors call it */
    const char *text;
    size_t len;
    struct pg_jsonpos_step path[PG_POLICY_MAX_DEPTH];
    size_t depth;
    struct pg_err *err;
};

/* pg_policy_parse.c */
int pg_policy_apply(struct pg_policy *pol, const char *name, const char *text, size_t len,
                    struct pg_err *err);
void pg_lctx_push_key(struct pg_lctx *c, const char *key);
void pg_lctx_push_index(struct pg_lctx *c, size_t i);
void pg_lctx_pop(struct pg_lctx *c);
/* The dotted path of the walk so far: "rules.typosquat.ignore[2]". */
const char *pg_lctx_where(const struct pg_lctx *c, char *buf, size_t n);
/* "NAME:LINE:COL: msg" at the current path; always returns -1. */
int pg_lctx_fail(struct pg_lctx *c, enum pg_jsonpos_what at, const char *fmt, ...) PG_PRINTF(3, 4);
/* "unknown WHAT 'key' in 'path' (did you mean 'x'?)" at the current key. */
int pg_lctx_unknown(struct pg_lctx *c, const char *what, const char *key, const char *const *cands,
                    size_t n);
/* Keys beginning with '_' or '$' are comments. */
int pg_policy_is_comment(const char *key);

/* pg_policy_entry.c: append the items of the array v to a list slot. */
int pg_policy_parse_list(struct pg_lctx *c, struct pg_slot *s, json_t *v);
/* "2026-12-31" (through the end of that day, UTC) or RFC 3339. */
int pg_policy_parse_date(const char *s, int64_t *out);

/* pg_policy_org.c and pg_policy_orgurl.c: the signed org layer. */
#define PG_POLICY_ORG_MAX_KEYS 8
#define PG_POLICY_ANCHOR_MAX   ((size_t)64 << 10)
#define PG_POLICY_ORG_REFRESH  300 /* seconds */
#define PG_POLICY_ORG_TIMEOUT  10  /* seconds */

struct pg_policy_anchor {
    const char *path;
    struct pg_minisign_pubkey keys[PG_POLICY_ORG_MAX_KEYS];
    size_t nkeys;
    char *url, *sig_url; /* NULL: the org layer is paths->system */
    char *cafile;
    int64_t refresh, timeout; /* seconds; refresh 0 means always revalidate */
};

/*
 * Read the org layer named by paths->org: *org NULL and 0 when there is no
 * anchor (paths->org NULL or no such file); else the verified text of the
 * org layer in *text (caller frees), and *org (pg_policy_org_free).
 */
int pg_policy_org_read(const struct pg_policy_paths *paths, struct pg_policy_org **org, char **text,
                       size_t *len, struct pg_err *err);
/* Remember org's serial when it is higher than the one on record. */
void pg_policy_org_commit(const struct pg_policy_org *org, const struct pg_policy_paths *paths);
void pg_policy_org_free(struct pg_policy_org *org);
/*
 * Check a policy text against its signature text (sig NULL: none was
 * found; sigwhere names where it was looked for) under the anchor, in the
 * order given in pg_policy.h, and fill org->info's key id, serial and
 * expiry. Errors: "org policy NAME: ...".
 */
int pg_policy_org_check(const struct pg_policy_anchor *a, const struct pg_policy_paths *paths,
                        struct pg_policy_org *org, const char *text, size_t len, const char *sig,
                        size_t siglen, const char *sigwhere, struct pg_err *err);
/*
 * Fetch the org layer from a->url and a->sig_url and check it (above),
 * falling back to the cache as pg_policy.h describes. *text: caller frees.
 */
int pg_policy_org_fetch(const struct pg_policy_anchor *a, const struct pg_policy_paths *paths,
                        struct pg_policy_org *org, char **text, size_t *len, struct pg_err *err);

#endif
