#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "pg_audit.h"
#include "pg_once.h"
#include "pg_render.h"
#include "pg_report.h"
#include "banned.h"

char *pg_report_audit_context(const struct pg_gate_opts *o, time_t now)
{
    json_t *ctx = json_object();
    char stamp[32], *text;

    strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
    json_object_set_new(ctx, "time", json_string(stamp));
    json_object_set_new(ctx, "tool", json_string(o->tool ? o->tool : "pkggate"));
    json_object_set_new(ctx, "command", json_string(o->subcmd ? o->subcmd : "check"));
    json_object_set_new(ctx, "pid", json_integer((json_int_t)getpid()));
    text = json_dumps(ctx, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(ctx);
    return text;
}

/* Reports by project (`pkggate report`) need the directory in each record. */
static char *with_project(char *actx, const char *project)
{
    json_t *ctx = json_loads(actx, 0, NULL);
    char *text = NULL;

    if (ctx && project && *project && json_object_set_new(ctx, "project", json_string(project)) == 0)
        text = json_dumps(ctx, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(ctx);
    if (!text)
        return actx;
    free(actx);
    return text;
}

void pg_report_init(struct pg_report *r, const struct pg_gate_opts *o,
                    const struct pg_policy *pol, const char *project, int color,
                    time_t now)
{
    memset(r, 0, sizeof(*r));
    r->o = o;
    r->mode = pg_policy_mode(pol);
    r->color = color;
    r->notes = pg_once_notes_wanted(pg_policy_notes(pol));
    r->project = pg_xstrdup(project ? project : "");
    r->syslog = pg_policy_syslog(pol);
    r->actx = with_project(pg_report_audit_context(o, now), project);
    r->json = o->json_fp ? o->json_fp : o->json ? stdout : NULL;
}

/*
 * One package, one verdict: the same name from argv and package.json
 * resolves to the same version. Unresolved, the name alone says it.
 */
static int repeat(struct pg_report *r, const struct pg_verdict *v)
{
    char *key = pg_xasprintf("%s %s %s", pg_eco_name(v->eco), v->name ? v->name : "",
                             v->version ? v->version : "");
    int seen = !pg_strmap_put(&r->seen, key, 0);

    free(key);
    return seen;
}

/* A warning about what the person did not just name: once per project and version. */
static int said_before(struct pg_report *r, const struct pg_verdict *v)
{
    struct pg_sb key = PG_SB_INIT;
    int before;

    if (!v->origin || strcmp(v->origin, "argv") == 0)
        return 0;
    pg_sb_addf(&key, "%s\n%s\n%s\n%s", r->project, pg_eco_name(v->eco), v->name ? v->name : "",
               v->version ? v->version : "");
    /* A rule that starts firing later is news: the rules are part of the key. */
    for (size_t i = 0; i < v->nreasons; i++)
        if (v->reasons[i].action != PG_ACT_OFF)
            pg_sb_addf(&key, "\n%s", pg_rule_name(v->reasons[i].rule));
    before = !pg_once("warn", pg_sb_str(&key), PG_ONCE_FOREVER);
    pg_sb_release(&key);
    return before;
}

/*
 * The exact command that lets a blocked package through, honestly: an
 * exception naming the rules, with a reason and an expiry. None when a
 * reason no exception can silence blocks too (deny, a failed signature,
 * an undecidable check).
 */
static void allow_hint(const struct pg_verdict *v, struct pg_sb *out)
{
    struct pg_sb rules = PG_SB_INIT;
    const char *name = v->name ? v->name : "";

    for (size_t i = 0; i < v->nreasons; i++) {
        const struct pg_reason *x = &v->reasons[i];

        if (x->action != PG_ACT_BLOCK || x->exempted)
            continue;
        if (x->binding || !pg_rule_configurable(x->rule)) {
            pg_sb_release(&rules);
            return;
        }
        pg_sb_addf(&rules, " --rule %s", pg_rule_name(x->rule));
    }
    /* Names and versions are the registry's and argv's: quoted, never trusted. */
    if (rules.len && !strpbrk(name, "'\n") && (!v->version || !strpbrk(v->version, "'\n"))) {
        pg_sb_adds(out, "pkggate: to install it anyway: pkggate allow 'pkg:");
        pg_sb_adds(out, pg_eco_name(v->eco));
        pg_sb_addc(out, '/');
        pg_render_clean(out, name);
        if (v->version) {
            pg_sb_addc(out, '@');
            pg_render_clean(out, v->version);
        }
        pg_sb_addf(out, "'%s --reason 'WHY' --for 7d\n", pg_sb_str(&rules));
    }
    pg_sb_release(&rules);
}

/* Whether pg_render_human would print a line for v. */
static int says(const struct pg_verdict *v)
{
    for (size_t i = 0; i < v->nreasons; i++)
        if (v->reasons[i].action != PG_ACT_OFF)
            return 1;
    return 0;
}

/*
 * The audit record: the context's members, then the verdict's. Both are
 * compact objects from jansson with no key in common (time, tool, command,
 * pid, project; ecosystem, name, ...), so joining their members gives
 * what one merged object would dump, without building one per package.
 */
static void audit_line(const char *actx, const struct pg_sb *verdict, struct pg_sb *audit)
{
    size_t n = actx ? strlen(actx) : 0;

    if (n < 3 || actx[0] != '{' || actx[n - 1] != '}' || verdict->len < 2) {
        pg_sb_add(audit, verdict->buf, verdict->len);
        return;
    }
    pg_sb_add(audit, actx, n - 1);
    pg_sb_addc(audit, ',');
    pg_sb_add(audit, verdict->buf + 1, verdict->len - 1);
}

int pg_report_add(struct pg_report *r, const struct pg_verdict *v)
{
    struct pg_sb line = PG_SB_INIT;
    /* A package the policy blocks that is on disk already is said every time. */
    int loud = v->decision == PG_BLOCK || v->installed;

    if (repeat(r, v))
        return 0;
    r->packages++;
    r->blocked += v->decision == PG_BLOCK;
    r->warned += v->decision == PG_WARN;
    pg_render_json(v, &line);
    if (r->json)
        fputs(pg_sb_str(&line), r->json);
    audit_line(r->actx, &line, &r->audit);
    pg_sb_release(&line);
    if (r->mode == PG_MODE_AUDIT)
        return 1;
    /* --quiet drops warnings; a block is always explained. */
    if (!loud && r->o->quiet)
        return 1;
    /* Named packages only: a tree of a hundred would drown the verdicts. */
    if (v->decision != PG_BLOCK && !v->path)
        pg_render_provenance(v, r->color, &r->human);
    if (!says(v))
        return 1; /* nothing to say (pg_render_human): no "said once" marker either */
    if (!loud && said_before(r, v)) {
        r->repeats += v->decision == PG_WARN;
        return 1;
    }
    pg_render_human(v, r->color, &r->human);
    if (v->decision == PG_BLOCK)
        allow_hint(v, &r->human);
    if (v->decision == PG_BLOCK && r->o->blocks)
        pg_render_human(v, 0, r->o->blocks);
    return 1;
}

void pg_report_notes(struct pg_report *r, const char *lines)
{
    while (lines && *lines) {
        size_t n = strcspn(lines, "\n");
        char *one = pg_xstrndup(lines, n);
        int note = pg_starts_with(one, "pkggate: note:");

        if (r->mode != PG_MODE_AUDIT && !r->o->quiet && (r->notes || !note) &&
            pg_once("note", one, PG_ONCE_DAY))
            pg_sb_addf(&r->human, "%s\n", one);
        free(one);
        lines += n + (lines[n] == '\n');
    }
}

static void summary(struct pg_report *r)
{
    size_t shown = r->warned - r->repeats;
    const char *s = r->packages == 1 ? "" : "s";

    if (r->blocked) {
        fprintf(stderr, "pkggate: %zu of %zu package%s %s by policy%s\n", r->blocked,
                r->packages, s, r->o->tool ? "blocked" : "would be blocked",
                r->o->tool ? "; nothing was installed" : "");
    } else if (shown && !r->o->quiet && r->mode != PG_MODE_AUDIT) {
        fprintf(stderr, "pkggate: %zu of %zu package%s with warnings%s\n", r->warned,
                r->packages, s, r->o->tool ? "; installing" : "");
    }
}

void pg_report_finish(struct pg_report *r)
{
    fputs(pg_sb_str(&r->human), stderr);
    summary(r);
    if (r->json)
        fflush(r->json);
    pg_audit_append(pg_sb_str(&r->audit), r->audit.len, r->syslog);
}

void pg_report_release(struct pg_report *r)
{
    pg_sb_release(&r->human);
    pg_sb_release(&r->audit);
    pg_strmap_release(&r->seen);
    free(r->project);
    free(r->actx);
    memset(r, 0, sizeof(*r));
}
