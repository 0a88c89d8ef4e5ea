/*
 * pg_policy_show: the merged policy for a person, one leaf per line with
 * the layer it came from (format documented in pg_policy.h); and the notes
 * on what project and $PKGGATE_POLICY files loosen (pg_policy_trust_notes).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

static char *note(const char *from, const char *locked_by, int loosens)
{
    const char *trust = loosens ? "; trusted, loosens" : "";

    if (from && locked_by)
        return pg_xasprintf("(from %s%s; locked by %s)", from, trust, locked_by);
    if (from)
        return pg_xasprintf("(from %s%s)", from, trust);
    if (locked_by)
        return pg_xasprintf("(locked by %s)", locked_by);
    return NULL;
}

/* What an untrusted layer would have loosened here: shown, marked, not applied. */
static void ignored_lines(const struct pg_policy *pol, const struct pg_slot *s, struct lines *l)
{
    int list = pg_policy_kind_is_list(s->def->kind);

    for (size_t i = 0; i < pol->nloose; i++) {
        const struct pg_loose *x = &pol->loose[i];

        if (x->applied || &pol->slots[x->slot] != s)
            continue;
        add_line(l, pg_xasprintf("%s%s = %s", s->path, list ? "[+]" : "", x->value),
                 pg_xasprintf("(from %s; untrusted, loosens: ignored)", x->layer));
    }
}

/* An allow entry or exception past its expiry: shown, and flagged as not applying. */
static char *lapsed_note(char *note_text, const struct pg_entry *e, time_t now)
{
    time_t last = (time_t)(e->expires - 1);
    struct tm tm;
    char day[16], *out;

    if (e->expires == INT64_MAX || (int64_t)now < e->expires || !gmtime_r(&last, &tm) ||
        !strftime(day, sizeof(day), "%Y-%m-%d", &tm))
        return note_text;
    /* note() always gives "(...)" or NULL: put the flag inside the brackets. */
    if (note_text)
        out = pg_xasprintf("%.*s; expired on %s, no longer applies)",
                           (int)strlen(note_text) - 1, note_text, day);
    else
        out = pg_xasprintf("(expired on %s, no longer applies)", day);
    free(note_text);
    return out;
}

static void slot_lines(const struct pg_policy *pol, const struct pg_slot *s, struct lines *l)
{
    if (!pg_policy_kind_is_list(s->def->kind)) {
        char *v = dump(s->raw);

        add_line(l, pg_xasprintf("%s = %s", s->path, s->set ? v : "(unset)"),
                 note(s->layer, s->locked_by, s->loosens));
        free(v);
        ignored_lines(pol, s, l);
        return;
    }
    if (s->n == 0)
        add_line(l, pg_xasprintf("%s = []", s->path), note(NULL, s->locked_by, 0));
    for (size_t i = 0; i < s->n; i++) {
        char *v = dump(s->items[i].raw);

        add_line(l, pg_xasprintf("%s[%zu] = %s", s->path, i, v),
                 lapsed_note(note(s->items[i].layer, s->locked_by, s->items[i].loosens),
                             &s->items[i], time(NULL)));
        free(v);
    }
    ignored_lines(pol, s, l);
}

/* How a guarded layer stands, for the layer list: "" for the others. */
static const char *guard_state(const struct pg_policy *pol, size_t layer)
{
    for (size_t g = 0; g < pol->nguards; g++) {
        if (pol->guards[g].layer != pol->layers[layer])
            continue;
        return pol->guards[g].trusted ? " (trusted)" : " (not trusted: what it loosens is ignored)";
    }
    return "";
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
        pg_sb_addf(out, "#   %zu. %s%s\n", i + 1, pol->layers[i], guard_state(pol, i));
    for (size_t i = 0; i < pol->nslots; i++)
        slot_lines(pol, &pol->slots[i], &l);
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
    /* Only the org layer can set it, so no layer note is needed. */
    if (pol->sigstore_root)
        pg_sb_addf(out, "sigstore_root = %s%s%s  (organisation's policy)\n",
                   pol->sigstore_root_inline ? "" : "\"", pol->sigstore_root_inline
                   ? "{the trusted root, inline}" : pol->sigstore_root,
                   pol->sigstore_root_inline ? "" : "\"");
}

/* Cap on the values one note names; the rest are counted. */
#define NOTE_VALUES 8

/* The path, quoted for a POSIX shell when it needs to be. */
static void add_shell_word(struct pg_sb *out, const char *s)
{
    if (s[0] && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
                          "/._-+,:@%=") == strlen(s)) {
        pg_sb_adds(out, s);
        return;
    }
    pg_sb_addc(out, '\'');
    for (; *s; s++) {
        if (*s == '\'')
            pg_sb_adds(out, "'\\''");
        else
            pg_sb_addc(out, *s);
    }
    pg_sb_addc(out, '\'');
}

/* "key = value, list += entry, ..." of what layer loosens; 0 when nothing. */
static size_t loosened(const struct pg_policy *pol, const char *layer, struct pg_sb *out)
{
    size_t n = 0;

    for (size_t i = 0; i < pol->nloose; i++) {
        const struct pg_loose *x = &pol->loose[i];
        const struct pg_slot *s = &pol->slots[x->slot];

        if (x->layer != layer)
            continue;
        if (n < NOTE_VALUES)
            pg_sb_addf(out, "%s%s %s %.200s", n ? ", " : "", s->path,
                       pg_policy_kind_is_list(s->def->kind) ? "+=" : "=", x->value);
        n++;
    }
    if (n > NOTE_VALUES)
        pg_sb_addf(out, " and %zu more", n - NOTE_VALUES);
    return n;
}

void pg_policy_trust_notes(const struct pg_policy *pol, struct pg_sb *out)
{
    for (size_t g = 0; pol && g < pol->nguards; g++) {
        const struct pg_guard *gd = &pol->guards[g];
        struct pg_sb what = PG_SB_INIT;

        if (loosened(pol, gd->layer, &what) == 0) {
            pg_sb_release(&what);
            continue;
        }
        if (gd->trusted) {
            pg_sb_addf(out, "pkggate: policy: %s (trusted) loosens: %s\n", gd->layer,
                       pg_sb_str(&what));
        } else {
            pg_sb_addf(out,
                       "pkggate: policy: %s is not trusted, so what it loosens is ignored: "
                       "%s; to apply it: pkggate policy trust ",
                       gd->layer, pg_sb_str(&what));
            add_shell_word(out, gd->canon ? gd->canon : gd->layer);
            pg_sb_addc(out, '\n');
        }
        pg_sb_release(&what);
    }
}
