/*
 * pkggate - checks pip and npm installs against a policy before they run.
 *
 * The shims on PATH hand possible installs to `pkggate run -- <tool> ...`;
 * people and CI call the other subcommands directly.
 */
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "pg_exit.h"
#include "pg_gate.h"
#include "pg_main.h"
#include "pg_realtool.h"
#include "pg_toolname.h"
#include "pg_typo.h"
#include "banned.h"

struct subcmd {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;
};

static const struct subcmd subcmds[] = {
    {"allow", pg_main_allow, "add an exception with a reason and an expiry to a policy file"},
    {"check", pg_main_check, "check package names/specs without installing anything"},
    {"doctor", pg_main_doctor, "show PATH order, the real tools found, policy layers"},
    {"explain", pg_main_explain, "show the facts each rule saw about a package, and the verdict"},
    {"policy", pg_main_policy, "show the merged policy; keygen/sign/verify org policies"},
    {"report", pg_main_report, "summarise the audit log: blocks, warnings, exceptions, policy"},
    {"run", pg_main_run, "check a pip/npm/npx command, then run it or block it"},
    {"trust-root", pg_main_trustroot, "update (TUF-verified) or show sigstore's trusted root"},
};

static void usage(FILE *to)
{
    fputs("usage: pkggate <command> [options]\n"
          "\n"
          "pkggate stands in front of pip and npm: the `pip`, `pip3`, `npm` and `npx`\n"
          "on your PATH point at its shim, which passes everything that cannot install\n"
          "straight through and checks every install against your policy first.\n"
          "\n"
          "commands:\n",
          to);
    for (size_t i = 0; i < sizeof(subcmds) / sizeof(subcmds[0]); i++)
        fprintf(to, "  %-10s %s\n", subcmds[i].name, subcmds[i].summary);
    fputs("\n"
          "examples:\n"
          "  pkggate run -- npm install lodash@^4     (what the shim does; also for CI)\n"
          "  pkggate check --ecosystem pypi reqeusts  (is this name safe?)\n"
          "  pkggate doctor                           (is pkggate really in front?)\n"
          "  pkggate policy show                      (the policy in force, and its sources)\n"
          "\n"
          "exit status: the real tool's own once it runs; 10 blocked by policy;\n"
          "11 pkggate failed and blocked (fail closed); 64 usage; 127 no real tool.\n"
          "`pkggate <command> --help` explains each command.\n",
          to);
}

/* Never write a verdict into a file that happens to sit on fd 1 or 2. */
static void ensure_std_fds(void)
{
    for (int fd = 0; fd < 3; fd++)
        if (fcntl(fd, F_GETFD) < 0 && open("/dev/null", O_RDWR) != fd)
            _exit(PG_EXIT_FAILED);
}

int main(int argc, char **argv)
{
    ensure_std_fds();
    signal(SIGPIPE, SIG_IGN);
    if (sodium_init() < 0) {
        fputs("pkggate: libsodium failed to initialise (install blocked)\n", stderr);
        return PG_EXIT_FAILED;
    }
    if (argc < 2) {
        usage(stderr);
        return PG_EXIT_USAGE;
    }
    if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V") || !strcmp(argv[1], "version")) {
        printf("pkggate %s\n", PKGGATE_VERSION);
        /* Which registry lists the typosquat check knows: data/README.md. */
        printf("typosquat names: snapshot %s\n", pg_typo_snapshot(pg_typo_builtin()));
        return PG_EXIT_OK;
    }
    /* Hidden, for install.sh: the links to make, from pg_tools.def. */
    if (!strcmp(argv[1], "--list-tools")) {
        for (size_t i = 0; pg_toolname_at(i); i++)
            printf("%s\n", pg_toolname_at(i)->name);
        return PG_EXIT_OK;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return PG_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof(subcmds) / sizeof(subcmds[0]); i++)
        if (strcmp(argv[1], subcmds[i].name) == 0)
            return subcmds[i].fn(argc - 1, argv + 1);
    pg_gate_errorf("pkggate: unknown command '%s'; see `pkggate --help`", argv[1]);
    return PG_EXIT_USAGE;
}
