#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "pg_verdict.h"
#include "pg_util.h"
#include "banned.h"

static char *dup_or_null(const char *s)
{
    return s ? pg_xstrdup(s) : NULL;
}

/* Specs can be URLs with tokens in them: never keep those for output. */
static char *redacted(const char *s)
{
    return s ? pg_redact_urls(s) : NULL;
}

void pg_verdict_init(struct pg_verdict *v, const struct pg_req *req)
{
    memset(v, 0, sizeof(*v));
    v->eco = req->eco;
    v->name = redacted(req->name ? req->name : req->spec);
    v->spec = redacted(req->spec);
    v->version = dup_or_null(req->locked);
    v->origin = dup_or_null(req->origin);
    v->path = dup_or_null(req->path);
}

void pg_verdict_release(struct pg_verdict *v)
{
    for (size_t i = 0; i < v->nreasons; i++) {
        free(v->reasons[i].message);
        free(v->reasons[i].evidence);
        free(v->reasons[i].exempted);
    }
    free(v->reasons);
    free(v->name);
    free(v->spec);
    free(v->version);
    free(v->origin);
    free(v->path);
    free(v->installed);
    free(v->prov_repository);
    free(v->prov_workflow);
    free(v->prov_detail);
    memset(v, 0, sizeof(*v));
}

struct pg_reason *pg_verdict_add(struct pg_verdict *v, enum pg_rule rule, enum pg_action action,
                                 const char *evidence, const char *fmt, ...)
{
    struct pg_reason *r;
    struct pg_sb sb = PG_SB_INIT;
    va_list ap;

    va_start(ap, fmt);
    pg_sb_vaddf(&sb, fmt, ap);
    va_end(ap);
    pg_xgrow((void **)&v->reasons, &v->alloc, v->nreasons + 1, sizeof(*r));
    r = &v->reasons[v->nreasons++];
    memset(r, 0, sizeof(*r));
    r->rule = rule;
    r->action = action;
    /* Messages quote specs and registry errors, which may hold a URL's secrets. */
    r->message = pg_redact_urls(pg_sb_str(&sb));
    pg_sb_release(&sb);
    r->evidence = dup_or_null(evidence);
    return r;
}

void pg_verdict_move(struct pg_verdict *v, size_t from, size_t at)
{
    size_t n = v->nreasons - from;
    struct pg_reason *tail;

    if (at >= from || from >= v->nreasons)
        return;
    tail = pg_xcalloc(n, sizeof(*tail));
    memcpy(tail, &v->reasons[from], n * sizeof(*tail));
    memmove(&v->reasons[at + n], &v->reasons[at], (from - at) * sizeof(*tail));
    memcpy(&v->reasons[at], tail, n * sizeof(*tail));
    free(tail);
}

void pg_verdict_finish(struct pg_verdict *v, enum pg_mode mode)
{
    enum pg_decision d = PG_ALLOW;

    for (size_t i = 0; i < v->nreasons; i++) {
        const struct pg_reason *r = &v->reasons[i];

        if (r->exempted || r->action == PG_ACT_OFF)
            continue;
        if (r->action == PG_ACT_BLOCK)
            d = PG_BLOCK;
        else if (d == PG_ALLOW)
            d = PG_WARN;
    }
    if (d == PG_BLOCK && mode != PG_MODE_ENFORCE)
        d = PG_WARN;
    v->decision = d;
}

const char *pg_decision_name(enum pg_decision d)
{
    static const char *const names[] = {"allow", "warn", "block"};

    return (unsigned)d < PG_ARRAY_SIZE(names) ? names[d] : "?";
}
