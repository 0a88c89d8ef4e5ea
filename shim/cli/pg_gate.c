#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "pg_audit.h"
#include "pg_decide.h"
#include "pg_exit.h"
#include "pg_fetch.h"
#include "pg_gate.h"
#include "pg_render.h"
#include "pg_report.h"
#include "pg_typo.h"
#include "banned.h"

void pg_gate_errorf(const char *fmt, ...)
{
    struct pg_sb raw = PG_SB_INIT, line = PG_SB_INIT;
    char *shown;
    va_list ap;

    va_start(ap, fmt);
    pg_sb_vaddf(&raw, fmt, ap);
    va_end(ap);
    /* Argv words and file lines may be URLs with credentials in them. */
    shown = pg_redact_urls(pg_sb_str(&raw));
    pg_render_clean(&line, shown);
    pg_sb_addc(&line, '\n');
    fputs(pg_sb_str(&line), stderr);
    pg_sb_release(&line);
    pg_sb_release(&raw);
    free(shown);
}

static const char *env_get(const char *name)
{
    return getenv(name);
}

/*
 * The org anchor and the org layer's path are compiled in (see pg_policy.h,
 * "Signed org policy"): no variable read here can move or drop the pin.
 */
int pg_gate_load_policy(struct pg_policy **pol, unsigned flags)
{
    struct pg_policy_paths paths;
    struct pg_err err = PG_ERR_INIT;
    const struct pg_policy_orginfo *org;
    char *buf = pg_xmalloc(PG_POLICY_PATHS_BUFSZ);
    int rc = 0;

    pg_policy_paths_from_env(&paths, buf, PG_POLICY_PATHS_BUFSZ, env_get);
    paths.offline = (flags & PG_GATE_OFFLINE) != 0;
    if (pg_policy_load(pol, &paths, &err) < 0) {
        /* Only an install has something that was not installed. */
        pg_gate_errorf("pkggate: policy: %s%s", err.msg,
                       flags & PG_GATE_INSTALL ? " (nothing was installed)" : "");
        rc = -1;
        goto out;
    }
    /* A project or $PKGGATE_POLICY file that loosens: never silently, trusted or not. */
    {
        struct pg_sb loose = PG_SB_INIT;

        pg_policy_trust_notes(*pol, &loose);
        fputs(pg_sb_str(&loose), stderr);
        pg_sb_release(&loose);
    }
    /* Say so when the org policy is a cached copy: it may be behind the server's. */
    org = pg_policy_org_info(*pol);
    if (org && org->cached && org->fetch_error && strcmp(org->fetch_error, "offline") != 0)
        pg_gate_errorf("pkggate: note: org policy %s: %s; using the cached copy (serial %llu, "
                       "signature verified)",
                       org->source, org->fetch_error, (unsigned long long)org->serial);
out:
    free(buf);
    return rc;
}

int pg_gate_color(void)
{
    const char *nc = getenv("NO_COLOR");

    return isatty(STDERR_FILENO) && !(nc && *nc);
}

/* The registry option as typed, for suggested commands; credentials hidden. */
static char *pin_args(const struct pg_cmd *cmd)
{
    char *shown, *args;

    if (!cmd || !cmd->index_url)
        return NULL;
    shown = pg_redact_urls(cmd->index_url);
    args = pg_xasprintf("%s %s", cmd->eco == PG_ECO_NPM ? "--registry" : "-i", shown);
    free(shown);
    return args;
}

/* Where "once per project" warnings are keyed: npm's project, else the cwd. */
static const char *project_dir(const struct pg_cmd *cmd, char *buf, size_t size)
{
    if (cmd && cmd->manifest_dir)
        return cmd->manifest_dir;
    return getcwd(buf, size) ? buf : "";
}

int pg_gate_decide(const struct pg_gate_opts *o, const struct pg_policy *pol,
                   const struct pg_cmd *cmd, const struct pg_reqlist *reqs)
{
    struct pg_decide_ctx ctx = {.pol = pol, .typo = pg_typo_builtin(), .now = time(NULL)};
    struct pg_sb notes = PG_SB_INIT;
    struct pg_facts *facts = pg_xcalloc(reqs->n ? reqs->n : 1, sizeof(*facts));
    struct pg_fetch_opts fo = {o->offline, o->real,
                               !o->quiet && isatty(STDERR_FILENO) && pg_policy_mode(pol) != PG_MODE_AUDIT,
                               o->tool != NULL};
    struct pg_fetch *fetched = o->names_only ? NULL : pg_fetch_run(pol, cmd, reqs, &fo, facts);
    struct pg_report rep;
    char cwd[PATH_MAX], *pins;
    size_t blocked;

    ctx.pre = cmd && cmd->pre;
    ctx.pin_args = pins = pin_args(cmd);
    pg_report_init(&rep, o, pol, project_dir(cmd, cwd, sizeof(cwd)), pg_gate_color(), ctx.now);
    for (size_t i = 0; i < reqs->n; i++) {
        struct pg_verdict v;

        pg_decide(&ctx, &reqs->v[i], &facts[i], &v);
        pg_report_add(&rep, &v);
        pg_verdict_release(&v);
    }
    pg_fetch_notes(fetched, &ctx, &notes);
    pg_report_notes(&rep, pg_sb_str(&notes));
    pg_report_finish(&rep);
    fflush(stdout);
    blocked = rep.blocked;
    pg_report_release(&rep);
    pg_sb_release(&notes);
    pg_fetch_free(fetched);
    free(facts);
    free(pins);
    return blocked ? PG_EXIT_BLOCKED : PG_EXIT_OK;
}

int pg_gate_block_command(const struct pg_gate_opts *o, const struct pg_policy *pol,
                          const char *rule, const char *message)
{
    enum pg_mode mode = pg_policy_mode(pol);
    int block = mode == PG_MODE_ENFORCE;
    char *actx = pg_report_audit_context(o, time(NULL));
    json_t *line = json_loads(actx, 0, NULL);
    char *text;

    if (mode != PG_MODE_AUDIT && (block || !o->quiet))
        pg_gate_errorf("pkggate: %s [%s] %s%s", block ? "blocked" : "warning", rule, message,
                       block ? "; nothing was installed" : "");
    if (block && o->blocks)
        pg_sb_addf(o->blocks, "pkggate: blocked [%s] %s\n", rule, message);
    /* The whole command is the subject: one audit line with no package. */
    json_object_set_new(line, "decision", json_string(block ? "block" : "warn"));
    json_object_set_new(line, "reasons", json_pack("[{s:s, s:s, s:s}]", "rule", rule, "action",
                                                   block ? "block" : "warn", "message", message));
    text = json_dumps(line, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (text) {
        struct pg_sb sb = PG_SB_INIT;

        pg_sb_adds(&sb, text);
        pg_sb_addc(&sb, '\n');
        pg_audit_append(sb.buf, sb.len);
        pg_sb_release(&sb);
    }
    free(text);
    json_decref(line);
    free(actx);
    return block ? PG_EXIT_BLOCKED : PG_EXIT_OK;
}
