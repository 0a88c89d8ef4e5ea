/*
 * pg_policy_show: the merged policy for a person, one leaf per line with
 * the layer it came from (format documented in pg_policy.h).
 */
#include <stdlib.h>
#include <string.h>

#include "pg_policy_entry.h"
#include "pg_policy_schema.h"
#include "pg_util.h"
#include "banned.h"

/* Notes start at this column unless the left side is longer. */
#define NOTE_COLUMN 48

struct line {
    char *left;
    char *note; /* NULL: none */
};

struct lines {
    struct line *v;
    size_t n, alloc;
};

static void add_line(struct lines *l, char *left, char *note)
{
    pg_xgrow((void **)&l->v, &l->alloc, l->n + 1, sizeof(*l->v));
    l->v[l->n].left = left;
    l->v[l->n].note = note;
    l->n++;
}

static char *dump(const json_t *v)
{
    char *d = json_dumps(v, JSON_ENCODE_ANY);
    char *copy = pg_xstrdup(d ? d : "null");

    free(d);
    return copy;
}

static char *note(const char *from, const char *locked_by)
{
    if (from && locked_by)
        return pg_xasprintf("(from %s; locked by %s)", from, locked_by);
    if (from)
        return pg_xasprintf("(from %s)", from);
    if (locked_by)
        return pg_xasprintf("(locked by %s)", locked_by);
    return NULL;
}

static void slot_lines(const struct pg_slot *s, struct lines *l)
{
    if (!pg_policy_kind_is_list(s->def->kind)) {
        char *v = dump(s->raw);

        add_line(l, pg_xasprintf("%s = %s", s->path, s->set ? v : "(unset)"),
                 note(s->layer, s->locked_by));
        free(v);
        return;
    }
    if (s->n == 0)
        add_line(l, pg_xasprintf("%s = []", s->path), note(NULL, s->locked_by));
    for (size_t i = 0; i < s->n; i++) {
        char *v = dump(s->items[i].raw);

        add_line(l, pg_xasprintf("%s[%zu] = %s", s->path, i, v),
                 note(s->items[i].layer, s->locked_by));
        free(v);
    }
}

void pg_policy_show(const struct pg_policy *pol, struct pg_sb *out)
{
    struct lines l = {NULL, 0, 0};
    size_t width = 0;

    if (!pol)
        return;
    pg_sb_addf(out, "# pkggate policy, merged from %zu layer%s:\n", pol->nlayers,
               pol->nlayers == 1 ? "" : "s");
    for (size_t i = 0; i < pol->nlayers; i++)
        pg_sb_addf(out, "#   %zu. %s\n", i + 1, pol->layers[i]);
    for (size_t i = 0; i < pol->nslots; i++)
        slot_lines(&pol->slots[i], &l);
    for (size_t i = 0; i < l.n; i++) {
        size_t w = strlen(l.v[i].left);

        if (w > width && w < NOTE_COLUMN)
            width = w;
    }
    for (size_t i = 0; i < l.n; i++) {
        size_t w = strlen(l.v[i].left);

        pg_sb_adds(out, l.v[i].left);
        if (l.v[i].note) {
            for (size_t k = w; k < width + 2; k++)
                pg_sb_addc(out, ' ');
            if (w >= width + 2)
                pg_sb_adds(out, "  ");
            pg_sb_adds(out, l.v[i].note);
        }
        pg_sb_addc(out, '\n');
        free(l.v[i].left);
        free(l.v[i].note);
    }
    free(l.v);
}
