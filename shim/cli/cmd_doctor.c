/*
 * pkggate doctor - is pkggate really in front of pip and npm here?
 *
 * Shows the shim directory and its place on PATH, what `pip`/`npm`/...
 * resolve to first and which real tool stands behind each, and the policy
 * layers. Exit 0 when all is well, 11 when something needs fixing.
 */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pg_exit.h"
#include "pg_gate.h"
#include "pg_main.h"
#include "pg_realtool.h"
#include "pg_time.h"
#include "pg_toolname.h"
#include "banned.h"

/* <prefix>/<sub>, resolved: pkggate is <prefix>/bin/pkggate. */
static int prefix_path(const char *sub, char *out, size_t outsz)
{
    char self[PATH_MAX];

    if (pg_realtool_selfdir(self, sizeof(self)) < 0)
        return -1;
    if ((size_t)snprintf(out, outsz, "%s/../%s", self, sub) >= outsz || !realpath(out, self))
        return -1;
    return (size_t)snprintf(out, outsz, "%s", self) < outsz ? 0 : -1;
}

/* 1 if this shell's pkggate.sh defines a function for name (it tells us). */
static int shell_function(const char *name)
{
    const char *list = getenv("PKGGATE_SHELL_FUNCTIONS");
    size_t n = strlen(name);

    for (const char *p = list; p && *p; p += strspn(p, " ")) {
        size_t len = strcspn(p, " ");

        if (len == n && strncmp(p, name, n) == 0)
            return 1;
        p += len;
    }
    return 0;
}

/* Index (1-based) of dir among PATH entries, comparing real paths; 0 if absent. */
static int path_position(const char *dir)
{
    const char *p = getenv("PATH");
    char entry[PATH_MAX], real[PATH_MAX];
    int pos = 0;

    while (p && *p) {
        const char *end = strchr(p, ':');
        size_t len = end ? (size_t)(end - p) : strlen(p);

        pos++;
        if (len < sizeof(entry)) {
            memcpy(entry, p, len);
            entry[len] = '\0';
            if (realpath(entry, real) && strcmp(real, dir) == 0)
                return pos;
        }
        p = end ? end + 1 : p + len;
    }
    return 0;
}

static int report_tool(const char *tool, const struct pg_selfset *self, const char *shims)
{
    struct pg_selfset none = {.n = 0};
    char first[PATH_MAX], real[PATH_MAX + 160], why[PATH_MAX + 128];
    struct stat st;
    int ours = 0, problems = 0, saw;

    /* What the shell runs: PATH alone (PKGGATE_REAL_* only steers pkggate). */
    if (pg_realtool_on_path(tool, &none, first, sizeof(first), &saw) == 0 &&
        stat(first, &st) == 0)
        ours = pg_selfset_has(self, st.st_dev, st.st_ino);
    else
        snprintf(first, sizeof(first), "(none)");
    if (pg_realtool_find(tool, self, real, sizeof(real), why, sizeof(why)) < 0)
        snprintf(real, sizeof(real), "(none: %s)", why);
    printf("  %-5s first on PATH: %s%s\n        real tool:     %s\n", tool, first,
           ours ? " (pkggate shim)" : "", real);
    if (ours || strcmp(first, "(none)") == 0)
        return 0;
    if (shell_function(tool)) {
        /* Interactive shells are covered; what they start is not. */
        printf("        checked in this shell (pkggate.sh's function); a script run from here\n"
               "        runs %s: for pip, close that with ./install.sh --python-hook\n",
               first);
        return 0;
    }
    printf("        warning: `%s` runs %s, not the pkggate shim: it is not checked\n", tool,
           first);
    problems++;
    if (shims)
        printf("        close: put %s first on PATH (open a new shell)\n", shims);
    return problems;
}

/*
 * The org layer as a fleet admin checks it: where it came from, which
 * serial, that its signature held (a policy that loaded was verified; a
 * failure never gets here, pg_gate_load_policy printed it), how fresh it
 * is, and what it locks.
 */
static void report_org(const struct pg_policy *pol)
{
    const struct pg_policy_orginfo *org = pg_policy_org_info(pol);
    struct pg_strlist locks = PG_STRLIST_INIT;
    char when[32];

    if (!org) {
        printf("  org policy: not pinned (no /etc/pkggate/org.json)\n");
    } else {
        printf("  org policy: %s\n    pinned by: %s\n    serial: %llu\n", org->source,
               org->anchor, (unsigned long long)org->serial);
        printf("    signature: verified, key %s%s%s\n", org->keyid,
               org->expires > 0 ? ", expires " : "",
               org->expires > 0 ? pg_time_format(org->expires, when, sizeof(when)) : "");
        if (org->refreshed > 0)
            printf("    last refresh: %s%s\n", pg_time_format(org->refreshed, when, sizeof(when)),
                   pg_starts_with(org->source, "/") ? " (file changed)" : "");
        if (org->cached)
            printf("    warning: the cached copy is in force: %s\n",
                   org->fetch_error ? org->fetch_error : "the server could not be asked");
    }
    pg_policy_locks(pol, &locks);
    for (size_t i = 0; i < locks.n; i++)
        printf("  locked by %s\n", locks.v[i]);
    if (!locks.n)
        printf("  locked: nothing\n");
    pg_strlist_release(&locks);
}

/* A versioned name (pip3.12) the shim directory has no link for. */
static int unlinked(const char *dir, const char *name, const char *shims)
{
    char link[PATH_MAX], first[PATH_MAX];
    struct pg_selfset none = {.n = 0};
    int saw;

    if (strcmp(dir, shims) == 0 || pg_tool_from_name(name) < 0 || !strchr(name, '.'))
        return 0;
    if ((size_t)snprintf(link, sizeof(link), "%s/%s", shims, name) >= sizeof(link) ||
        access(link, F_OK) == 0)
        return 0;
    /* Once per name: where PATH finds it first. */
    if (pg_realtool_on_path(name, &none, first, sizeof(first), &saw) < 0 ||
        (size_t)snprintf(link, sizeof(link), "%s/%s", dir, name) >= sizeof(link) ||
        strcmp(first, link) != 0)
        return 0;
    printf("  %s first on PATH: %s\n        warning: not checked: no link in the shim directory "
           "(install.sh links the versions a login shell runs)\n        close: ln -s "
           "../pkggate-shim %s/%s\n",
           name, first, shims, name);
    return 1;
}

/* pip3.N and python3.N on PATH that no link stands in front of. */
static int report_versioned(const char *shims)
{
    const char *p = getenv("PATH");
    char dir[PATH_MAX];
    int problems = 0;

    while (p && *p) {
        size_t len = strcspn(p, ":");
        struct dirent *e;
        DIR *d;

        if (len > 0 && len < sizeof(dir)) {
            memcpy(dir, p, len);
            dir[len] = '\0';
            d = opendir(dir);
            while (d && (e = readdir(d)) != NULL)
                problems += unlinked(dir, e->d_name, shims);
            if (d)
                closedir(d);
        }
        p += len + (p[len] == ':');
    }
    return problems;
}

/* The python hooks install.sh --python-hook wrote, still in place. */
static void report_hooks(const char *prefix)
{
    char list[PATH_MAX + 32], line[PATH_MAX], buf[128];
    FILE *f = NULL, *h;
    int n = 0;

    if ((size_t)snprintf(list, sizeof(list), "%s/lib/pkggate/python-hooks", prefix) < sizeof(list))
        f = fopen(list, "r");
    while (f && fgets(line, sizeof(line), f)) {
        line[strcspn(line, "\n")] = '\0';
        h = fopen(line, "r");
        if (h && fgets(buf, sizeof(buf), h) && strstr(buf, "pkggate python hook")) {
            printf("python hook: %s (pip of that interpreter and its venvs is checked "
                   "in scripts too)\n", line);
            n++;
        }
        if (h)
            fclose(h);
    }
    if (f)
        fclose(f);
    if (!n)
        printf("python hook: none, so a script or CI step that puts a virtualenv's bin/ "
               "first runs its pip unchecked\n        close: ./install.sh --python-hook\n");
}

int pg_main_doctor(int argc, char **argv)
{
    struct pg_selfset self = {.n = 0};
    struct pg_policy *pol = NULL;
    char dir[PATH_MAX], prefix[PATH_MAX];
    int problems = 0, pos, have_shims;

    (void)argv;
    if (argc > 1) {
        fputs("usage: pkggate doctor\n\nShows whether pkggate stands in front of pip and "
              "npm here, the real tools behind it and the policy layers in force.\n",
              stdout);
        return strcmp(argv[1], "--help") && strcmp(argv[1], "-h") ? PG_EXIT_USAGE : PG_EXIT_OK;
    }
    pg_selfset_add_program(&self);
    printf("pkggate %s\n", PKGGATE_VERSION);
    if (prefix_path("", prefix, sizeof(prefix)) < 0)
        snprintf(prefix, sizeof(prefix), "<prefix>");
    have_shims = prefix_path("lib/pkggate/shims", dir, sizeof(dir)) == 0;
    if (have_shims) {
        pos = path_position(dir);
        printf("shims: %s (%s)\n", dir, pos ? "on PATH" : "NOT on PATH");
        if (!pos) {
            printf("  warning: add it to the front of PATH (./install.sh does this)\n");
            problems++;
        }
    } else {
        printf("shims: not installed beside this pkggate (run ./install.sh)\n");
        problems++;
    }
    /* Every command a link on PATH can carry (pg_tools.def), not pip3.N. */
    for (size_t i = 0; pg_toolname_at(i); i++)
        if (pg_toolname_at(i)->match == PG_NAME_EXACT)
            problems += report_tool(pg_toolname_at(i)->name, &self, have_shims ? dir : NULL);
    if (have_shims)
        problems += report_versioned(dir);
    report_hooks(prefix);
    printf("policy:\n");
    if (pg_gate_load_policy(&pol, 0) < 0) {
        problems++;
    } else {
        size_t n;
        const char *const *layers = pg_policy_layers(pol, &n);

        for (size_t i = 0; i < n; i++)
            printf("  layer %zu: %s\n", i + 1, layers[i]);
        printf("  mode: %s\n", pg_mode_name(pg_policy_mode(pol)));
        printf("  syslog: %s\n", pg_policy_syslog(pol) ? "on (decisions also go to /dev/log)"
                                                        : "off");
        report_org(pol);
        pg_policy_free(pol);
    }
    if (problems)
        printf("doctor: problems found. Put the shim directory first on PATH (./install.sh\n"
               "adds it to your shell start-up files; open a new shell). Where something must\n"
               "come first, such as an activated virtualenv, the shell functions in\n"
               "%s/lib/pkggate/pkggate.sh keep interactive shells guarded, and\n"
               "./install.sh --python-hook keeps scripts' pip guarded.\n",
               prefix);
    else
        printf("doctor: all good\n");
    return problems ? PG_EXIT_FAILED : PG_EXIT_OK;
}
