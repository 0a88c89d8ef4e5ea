/*
 * pkggate-shim - what `pip`, `npm` and the other tools of pg_tools.def on
 * PATH point at.
 *
 * It links libc alone and does as little as it can, because every
 * `npm run build` pays for it: decide from argv alone whether the command
 * could install anything; if not, find the real tool and exec it with argv
 * untouched; if so, hand the command to `pkggate run -- <argv>`, which parses
 * it precisely, checks it against the policy and then execs the real tool
 * or blocks.
 *
 * Also callable BusyBox-style as `pkggate-shim npm install x`.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

#include "pg_exit.h"
#include "pg_realtool.h"
#include "pg_toolname.h"
#include "banned.h"

/* Each tool's router, from pg_tools.def (BusyBox style: prototypes and
 * table from the one list), the one question asked on every call. */
#define PG_TOOL(id, name, eco, route, parse, regconf) int route(int argc, char *const argv[]);
#define PG_TOOL_ALIAS(id, name, match)
#include "pg_tools.def"

static int (*const routes[PG_TOOL_COUNT])(int argc, char *const argv[]) = {
#define PG_TOOL(id, name, eco, route, parse, regconf) [id] = route,
#define PG_TOOL_ALIAS(id, name, match)
#include "pg_tools.def"
};

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');

    return slash ? slash + 1 : path;
}

/* A pip the python hook would see: a pip console script, or `-m pip`. */
static int runs_pip(enum pg_tool tool, char **argv)
{
    if (pg_tool_eco(tool) != PG_ECO_PYPI)
        return 0;
    if (strncmp(pg_tool_name(tool), "pip", 3) == 0)
        return 1;
    for (; *argv; argv++) {
        size_t n = strlen(*argv);

        if (strcmp(*argv, "pip") == 0 || strcmp(*argv, "pip.__main__") == 0 ||
            (n >= 4 && strcmp(*argv + n - 4, "mpip") == 0))
            return 1;
    }
    return 0;
}

static int exec_real(enum pg_tool tool, const char *name, char **argv,
                     const struct pg_selfset *skip)
{
    char path[PATH_MAX], why[PATH_MAX + 128];

    if (pg_realtool_find(name, skip, path, sizeof(path), why, sizeof(why)) < 0) {
        fprintf(stderr, "pkggate: %s\n", why);
        return PG_EXIT_NOTOOL;
    }
    /* Passed through unchecked because it installs nothing: the hook must
     * not hand it back either. */
    if (runs_pip(tool, argv) && pg_realtool_mark_handled() < 0) {
        fprintf(stderr, "pkggate: cannot mark %s as handled: %s\n", path, strerror(errno));
        return PG_EXIT_NOTOOL;
    }
    pg_realtool_exec(path, argv, skip);
    fprintf(stderr, "pkggate: cannot run %s: %s\n", path, strerror(errno));
    return PG_EXIT_NOTOOL;
}

/*
 * Installed layout: <prefix>/lib/pkggate/pkggate-shim and <prefix>/bin/pkggate;
 * build tree: both in one directory. No variable can point elsewhere: that
 * would let an environment swap the checker for anything.
 */
static int find_pkggate(char *out, size_t outsz)
{
    char self[PATH_MAX];

    if (pg_realtool_selfdir(self, sizeof(self)) < 0)
        return -1;
    if (snprintf(out, outsz, "%s/../../bin/pkggate", self) < (int)outsz && access(out, X_OK) == 0)
        return 0;
    if (snprintf(out, outsz, "%s/pkggate", self) < (int)outsz && access(out, X_OK) == 0)
        return 0;
    return -1;
}

/*
 * Without /proc the shim cannot tell itself from the real tool on PATH;
 * count the hops instead of looping forever.
 */
static int too_many_hops(void)
{
    const char *v = getenv("PKGGATE_HOPS");
    int hops = v && *v >= '0' && *v <= '9' && !v[1] ? *v - '0' : 0;
    char next[2] = {(char)('0' + hops + 1), '\0'};

    if (hops >= 4)
        return 1;
    setenv("PKGGATE_HOPS", next, 1);
    return 0;
}

static int hand_over(int argc, char **argv, const struct pg_selfset *self)
{
    char path[PATH_MAX], seen[64];
    char **args = calloc((size_t)argc + 4, sizeof(*args));

    if (!args || find_pkggate(path, sizeof(path)) < 0) {
        fprintf(stderr, "pkggate: cannot find the pkggate program beside this shim; "
                        "reinstall with ./install.sh (install blocked)\n");
        return PG_EXIT_FAILED;
    }
    /* pkggate skips this shim when it looks for the real tool. */
    snprintf(seen, sizeof(seen), "%llu:%llu", (unsigned long long)self->dev[0],
             (unsigned long long)self->ino[0]);
    args[0] = "pkggate";
    args[1] = "run";
    args[2] = "--";
    for (int i = 0; i < argc; i++)
        args[i + 3] = argv[i];
    if (setenv("PKGGATE_SEEN", seen, 1) == 0)
        execv(path, args);
    fprintf(stderr, "pkggate: cannot run %s: %s (install blocked)\n", path, strerror(errno));
    return PG_EXIT_FAILED;
}

/* Why nothing can be run: no /proc, and PATH leads back to the shim. */
static int lost(enum pg_tool tool)
{
    char var[32];
    size_t n = 0;

    for (const char *p = pg_tool_name(tool); *p && n + 1 < sizeof(var); p++)
        var[n++] = *p >= 'a' && *p <= 'z' ? (char)(*p - 'a' + 'A') : *p;
    var[n] = '\0';
    fprintf(stderr,
            "pkggate: cannot identify itself (is /proc mounted?) and PATH leads "
            "back to it; set PKGGATE_REAL_%s to the real tool\n",
            var);
    return PG_EXIT_NOTOOL;
}

int main(int argc, char **argv)
{
    struct pg_selfset skip = {.n = 0};
    const char *name, *real;
    int tool;

    if (argc < 1)
        return PG_EXIT_USAGE;
    name = real = base_name(argv[0]);
    if (strcmp(name, "pkggate-shim") == 0 && argc > 1) {
        argc--;
        argv++;
        /* `pkggate-shim /venv/bin/python -m pip ...` (python's hook): that
         * very interpreter is the real tool, not the first on PATH. */
        name = base_name(argv[0]);
        real = argv[0];
    }
    tool = pg_tool_from_name(name);
    if (tool < 0) {
        char names[256];

        pg_toolname_join(names, sizeof(names), ", ", ", ", 0);
        fprintf(stderr, "pkggate-shim: '%s' is not a tool pkggate guards (%s)\n", name, names);
        return PG_EXIT_NOTOOL;
    }
    /* Who am I: the file the kernel exec'd (no procfs lookup on the hot
     * path), else /proc/self/exe. */
    pg_selfset_add_self(&skip, (const char *)getauxval(AT_EXECFN));
    if (skip.n == 0)
        pg_selfset_add_path(&skip, "/proc/self/exe");
    if (skip.n == 0 && too_many_hops())
        return lost((enum pg_tool)tool);
    /* Other pkggate copies this command passed through are skipped on PATH,
     * so two installed copies never exec each other in a loop. No variable
     * says "checked already" to a shim: a copy exec'd as another's real tool
     * checks again, so nothing planted in an environment can skip a check
     * (the python hook's PKGGATE_HANDLED is a pipe it verifies, not a value). */
    pg_selfset_add_list(&skip, getenv("PKGGATE_SEEN"));
    if (!routes[tool](argc, argv))
        return exec_real((enum pg_tool)tool, real, argv, &skip);
    return hand_over(argc, argv, &skip);
}
