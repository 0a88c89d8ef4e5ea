#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "pg_render.h"
#include "banned.h"

#define RED    "\033[31m"
#define YELLOW "\033[33m"
#define BOLD   "\033[1m"
#define RESET  "\033[0m"

/*
 * Text from package.json, requirement files and registries reaches a
 * terminal: control characters are shown as '?', so no escape sequence in
 * a name can rewrite the verdict line above it.
 */
void pg_render_clean(struct pg_sb *out, const char *s)
{
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;

        pg_sb_addc(out, c < 0x20 || c == 0x7f ? '?' : (char)c);
    }
}

void pg_render_human(const struct pg_verdict *v, int color, struct pg_sb *out)
{
    /* An allowed verdict is shown only when an exception or allow entry
     * silenced something: say "allowed" once, up front. */
    const char *word = v->decision == PG_BLOCK  ? "blocked"
                       : v->decision == PG_WARN ? "warning"
                                                : "allowed";
    const char *hue = v->decision == PG_BLOCK ? RED : YELLOW;
    int shown = 0;

    for (size_t i = 0; i < v->nreasons; i++)
        shown += v->reasons[i].action != PG_ACT_OFF;
    if (!shown)
        return; /* nothing a person could act on */
    shown = 0;
    pg_sb_addf(out, "pkggate: %s%s%s %s %s", color ? hue : "", word, color ? RESET : "",
               pg_eco_name(v->eco), color ? BOLD : "");
    pg_render_clean(out, v->name ? v->name : "?");
    if (v->version) {
        pg_sb_addc(out, '@');
        pg_render_clean(out, v->version);
    }
    pg_sb_adds(out, color ? RESET : "");
    /* A dependency: who pulls it in, so a person knows what to change. */
    if (v->path) {
        pg_sb_adds(out, " (");
        pg_render_clean(out, v->path);
        pg_sb_adds(out, " > ");
        pg_render_clean(out, v->name ? v->name : "?");
        pg_sb_addc(out, ')');
    }
    for (size_t i = 0; i < v->nreasons; i++) {
        const struct pg_reason *r = &v->reasons[i];

        if (r->action == PG_ACT_OFF)
            continue;
        pg_sb_addf(out, "%s [%s] ", shown++ ? ";" : ":", pg_rule_name(r->rule));
        pg_render_clean(out, r->message);
        if (r->exempted) {
            /* An allow entry's text already starts "allowed by ...". */
            pg_sb_adds(out, pg_starts_with(r->exempted, "allowed by ") ? " (" : " (exception: ");
            pg_render_clean(out, r->exempted);
            pg_sb_addc(out, ')');
        }
    }
    pg_sb_addc(out, '\n');
}

void pg_render_provenance(const struct pg_verdict *v, int color, struct pg_sb *out)
{
    /* Only what the provenance round verified is ever called verified. */
    if (!v->provenance || strcmp(v->provenance, "verified") != 0 || !v->prov_repository)
        return;
    pg_sb_addf(out, "pkggate: %s %s", pg_eco_name(v->eco), color ? BOLD : "");
    pg_render_clean(out, v->name ? v->name : "?");
    if (v->version) {
        pg_sb_addc(out, '@');
        pg_render_clean(out, v->version);
    }
    pg_sb_addf(out, "%s verified: built by ", color ? RESET : "");
    pg_render_clean(out, v->prov_repository);
    if (v->prov_workflow) {
        pg_sb_adds(out, ", workflow ");
        pg_render_clean(out, v->prov_workflow);
    }
    pg_sb_addc(out, '\n');
}

/* Names from argv may not be UTF-8; JSON output must stay valid anyway. */
static json_t *jstr(const char *s)
{
    json_t *j = json_string(s);

    return j ? j : json_string("(not valid UTF-8)");
}

static json_t *reason_json(const struct pg_reason *r)
{
    json_t *o = json_object();
    json_t *ev;

    json_object_set_new(o, "rule", json_string(pg_rule_name(r->rule)));
    json_object_set_new(o, "action", json_string(pg_action_name(r->action)));
    json_object_set_new(o, "message", jstr(r->message));
    if (r->evidence) {
        ev = json_loads(r->evidence, 0, NULL);
        if (json_is_object(ev))
            json_object_update_missing(o, ev);
        json_decref(ev);
    }
    if (r->exempted)
        json_object_set_new(o, "exempted", jstr(r->exempted));
    return o;
}

static void set_str(json_t *o, const char *key, const char *val)
{
    if (val)
        json_object_set_new(o, key, jstr(val));
}

/* "a > b" as ["a", "b"]: npm names hold no spaces, so the split is exact. */
static json_t *path_json(const char *path)
{
    json_t *a = json_array();
    const char *p = path;

    for (;;) {
        const char *sep = strstr(p, " > ");
        char *one = pg_xstrndup(p, sep ? (size_t)(sep - p) : strlen(p));

        json_array_append_new(a, jstr(one));
        free(one);
        if (!sep)
            break;
        p = sep + 3;
    }
    return a;
}

void pg_render_json(const struct pg_verdict *v, struct pg_sb *out)
{
    json_t *o = json_object();
    json_t *reasons = json_array();
    char *text;

    json_object_set_new(o, "ecosystem", json_string(pg_eco_name(v->eco)));
    set_str(o, "name", v->name);
    set_str(o, "spec", v->spec);
    set_str(o, "version", v->version);
    set_str(o, "origin", v->origin);
    if (v->path)
        json_object_set_new(o, "path", path_json(v->path));
    set_str(o, "installed", v->installed);
    json_object_set_new(o, "decision", json_string(pg_decision_name(v->decision)));
    if (v->provenance) {
        json_t *p = json_object();

        json_object_set_new(p, "state", json_string(v->provenance));
        set_str(p, "repository", v->prov_repository);
        set_str(p, "workflow", v->prov_workflow);
        set_str(p, "detail", v->prov_detail);
        json_object_set_new(o, "provenance", p);
    }
    for (size_t i = 0; i < v->nreasons; i++)
        json_array_append_new(reasons, reason_json(&v->reasons[i]));
    json_object_set_new(o, "reasons", reasons);
    text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(4));
    if (text) {
        pg_sb_adds(out, text);
        pg_sb_addc(out, '\n');
    }
    free(text);
    json_decref(o);
}
