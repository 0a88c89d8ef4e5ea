/*
 * pg_held.c - blocks of installed packages, settled by npm's own answer
 * (pg_held.h).
 */
#include <stdlib.h>
#include <string.h>

#include "pg_held.h"
#include "pg_npmdry.h"
#include "pg_ondisk.h"
#include "pg_util.h"
#include "banned.h"

struct pg_held {
    const struct pg_gate_opts *o;
    const struct pg_cmd *cmd;
    struct pg_ondisk *disk; /* read the first time a verdict blocks */
    int tried;
    struct pg_verdict *v;
    size_t n, alloc;
};

struct pg_held *pg_held_new(const struct pg_gate_opts *o, const struct pg_cmd *cmd)
{
    struct pg_held *h = pg_xcalloc(1, sizeof(*h));

    h->o = o;
    h->cmd = cmd;
    return h;
}

/* The folder a location ends in: "node_modules/a/node_modules/@s/b" -> "@s/b". */
static const char *folder(const char *where)
{
    const char *last = strstr(where, "node_modules/"), *p = last;

    while (p && (p = strstr(p + 1, "/node_modules/")))
        last = p + 1;
    return last ? last + strlen("node_modules/") : where;
}

/*
 * What npm says of the held packages: PG_NPMDRY_UNKNOWN with an empty err
 * when it was not asked (something else blocks; a command npm cannot be
 * asked about).
 */
static enum pg_npmdry_answer ask(const struct pg_held *h, const struct pg_report *rep,
                                 struct pg_err *err)
{
    struct pg_strlist names = PG_STRLIST_INIT;
    enum pg_npmdry_answer a;

    if (rep->blocked || !h->o->argv || !pg_npmdry_askable(h->cmd, h->o->argv))
        return PG_NPMDRY_UNKNOWN;
    /* An npm: alias is on disk by its folder's name, and npm's lines say that name. */
    for (size_t i = 0; i < h->n; i++) {
        pg_strlist_push(&names, h->v[i].name);
        pg_strlist_push(&names, folder(h->v[i].installed));
    }
    a = pg_npmdry_ask(h->o->real, h->o->argv, h->o->skip, &names, err);
    pg_strlist_release(&names);
    return a;
}

/* The tail of each blocking reason: where it is, what npm said, how to remove it. */
static char *tail(const struct pg_verdict *v, enum pg_npmdry_answer a, const struct pg_err *err)
{
    const char *name = v->name;

    if (a == PG_NPMDRY_LEAVES)
        return pg_xasprintf("it is installed already (%s) and npm leaves that copy as it is "
                            "(asked with --dry-run), so the install goes on; remove it: "
                            "`npm uninstall %s` if the project names it, else `npm ls %s` "
                            "shows what pulls it in",
                            v->installed, name, name);
    if (a == PG_NPMDRY_TOUCHES || err->msg[0])
        return pg_xasprintf("it is installed already (%s), and this command cannot go on: %s; "
                            "remove it: `npm uninstall %s` if the project names it, else "
                            "`npm ls %s` shows what pulls it in",
                            v->installed, err->msg, name, name);
    return pg_xasprintf("it is installed already (%s), and refusing this command does not "
                        "remove it: `npm uninstall %s` if the project names it, else `npm ls "
                        "%s` shows what pulls it in",
                        v->installed, name, name);
}

static void amend(struct pg_verdict *v, enum pg_npmdry_answer a, const struct pg_err *err)
{
    char *end = tail(v, a, err);

    for (size_t i = 0; i < v->nreasons; i++) {
        struct pg_reason *x = &v->reasons[i];
        char *was = x->message;

        if (x->action != PG_ACT_BLOCK || x->exempted)
            continue;
        x->message = pg_xasprintf("%s; %s", was, end);
        free(was);
        if (a == PG_NPMDRY_LEAVES)
            x->action = PG_ACT_WARN;
    }
    if (a == PG_NPMDRY_LEAVES)
        v->decision = PG_WARN;
    free(end);
}

int pg_held_take(struct pg_held *h, struct pg_verdict *v)
{
    const char *where;

    if (!h || v->decision != PG_BLOCK || !v->version)
        return 0;
    if (!h->tried) {
        h->disk = pg_ondisk_open(h->cmd);
        h->tried = 1;
    }
    where = pg_ondisk_where(h->disk, v->name, v->version);
    if (!where)
        return 0;
    v->installed = pg_xstrdup(where);
    /* Named by the command itself: asked for, not left alone; it blocks. */
    if (pg_streq(v->origin, "argv")) {
        struct pg_err none = PG_ERR_INIT;

        amend(v, PG_NPMDRY_UNKNOWN, &none);
        return 0;
    }
    pg_xgrow((void **)&h->v, &h->alloc, h->n + 1, sizeof(*h->v));
    h->v[h->n++] = *v;
    memset(v, 0, sizeof(*v));
    return 1;
}

void pg_held_settle(struct pg_held *h, struct pg_report *rep)
{
    struct pg_err err = PG_ERR_INIT;
    enum pg_npmdry_answer a;

    if (!h || !h->n)
        return;
    a = ask(h, rep, &err);
    for (size_t i = 0; i < h->n; i++) {
        amend(&h->v[i], a, &err);
        pg_report_add(rep, &h->v[i]);
        pg_verdict_release(&h->v[i]);
    }
    h->n = 0;
}

void pg_held_free(struct pg_held *h)
{
    if (!h)
        return;
    for (size_t i = 0; i < h->n; i++)
        pg_verdict_release(&h->v[i]);
    free(h->v);
    pg_ondisk_free(h->disk);
    free(h);
}
