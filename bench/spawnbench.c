/*
 * spawnbench - wall time per run of one command, or of several in turn.
 *
 *   spawnbench N CMD ARGS...
 *   spawnbench N -- [NAME=VALUE...] CMD ARGS... -- [NAME=VALUE...] CMD ...
 *
 * Runs each command N times (after 10 warm-ups) and prints, one line per
 * command in the order given, the median and 10th/90th percentile wall time
 * per run in microseconds: "median p10 p90". Output of the commands goes to
 * /dev/null. NAME=VALUE words set variables for the command after them
 * only, as env(1) would.
 *
 * Several commands run in turn, A B C A B C ..., not A A A ... B B B: on a
 * machine others are using, the load drifts within seconds, and a block of
 * A's runs would then meet another load than the B's block it is compared
 * with. Run by run, each drift hits every command alike.
 */
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

struct cmd {
    char **argv; /* borrowed from main's argv, NULL-terminated in place */
    char **envp; /* owned: environ's pointers with the overrides */
    double *t;   /* owned: one wall time per run */
};

static double now_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

static int run_once(const struct cmd *c, posix_spawn_file_actions_t *fa)
{
    pid_t pid;
    int status;

    if (posix_spawnp(&pid, c->argv[0], fa, NULL, c->argv, c->envp) != 0)
        return -1;
    if (waitpid(pid, &status, 0) < 0)
        return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* environ with each NAME=VALUE of over[0..n-1] replacing or added; NULL on ENOMEM. */
static char **make_env(char **over, size_t n)
{
    size_t m = 0, k = 0;
    char **env;

    while (environ[m])
        m++;
    env = calloc(m + n + 1, sizeof(*env));
    if (!env)
        return NULL;
    for (size_t i = 0; i < m; i++) {
        size_t j = 0;

        for (; j < n; j++) {
            size_t len = (size_t)(strchr(over[j], '=') - over[j]) + 1;

            if (strncmp(environ[i], over[j], len) == 0)
                break;
        }
        if (j == n)
            env[k++] = environ[i];
    }
    for (size_t j = 0; j < n; j++)
        env[k++] = over[j];
    return env;
}

/*
 * Split "-- [NAME=VALUE...] CMD ARGS..." groups (or one plain CMD ARGS...)
 * into cmds; returns how many, 0 on a usage error or ENOMEM.
 */
static size_t parse(int argc, char **argv, struct cmd *cmds, size_t max, long n)
{
    size_t nc = 0;
    int i = 0;

    if (strcmp(argv[0], "--") != 0) {
        cmds[0].argv = argv;
        cmds[0].envp = make_env(NULL, 0);
        cmds[0].t = calloc((size_t)n, sizeof(double));
        return cmds[0].envp && cmds[0].t ? 1 : 0;
    }
    while (i < argc && nc < max) {
        int start = ++i, cmd;

        while (i < argc && strcmp(argv[i], "--") != 0)
            i++;
        for (cmd = start; cmd < i && strchr(argv[cmd], '=') && argv[cmd][0] != '/'; cmd++)
            ;
        if (cmd >= i)
            return 0; /* a group without a command */
        cmds[nc].argv = argv + cmd;
        cmds[nc].envp = make_env(argv + start, (size_t)(cmd - start));
        cmds[nc].t = calloc((size_t)n, sizeof(double));
        if (!cmds[nc].envp || !cmds[nc].t)
            return 0;
        argv[i] = NULL; /* ends this command's argv ("--" or argv[argc]) */
        nc++;
    }
    return i < argc ? 0 : nc;
}

int main(int argc, char **argv)
{
    struct cmd cmds[8] = {{0}};
    posix_spawn_file_actions_t fa;
    long n = argc > 2 ? strtol(argv[1], NULL, 10) : 0;
    size_t nc = n > 0 ? parse(argc - 2, argv + 2, cmds, 8, n) : 0;
    int rc = 1;

    posix_spawn_file_actions_init(&fa);
    if (nc == 0) {
        fputs("usage: spawnbench N CMD [ARGS...]\n"
              "       spawnbench N -- [NAME=VALUE...] CMD [ARGS...] -- ...\n",
              stderr);
        rc = 64;
        goto out;
    }
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    for (int i = 0; i < 10; i++)
        for (size_t c = 0; c < nc; c++)
            if (run_once(&cmds[c], &fa) != 0) {
                fprintf(stderr, "spawnbench: %s failed\n", cmds[c].argv[0]);
                goto out;
            }
    for (long i = 0; i < n; i++)
        for (size_t c = 0; c < nc; c++) {
            double t0 = now_us();

            run_once(&cmds[c], &fa);
            cmds[c].t[i] = now_us() - t0;
        }
    for (size_t c = 0; c < nc; c++) {
        qsort(cmds[c].t, (size_t)n, sizeof(double), cmp);
        printf("%.1f %.1f %.1f\n", cmds[c].t[n / 2], cmds[c].t[n / 10], cmds[c].t[n * 9 / 10]);
    }
    rc = 0;
out:
    posix_spawn_file_actions_destroy(&fa);
    for (size_t c = 0; c < 8; c++) {
        free(cmds[c].envp);
        free(cmds[c].t);
    }
    return rc;
}
