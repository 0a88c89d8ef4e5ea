/*
 * spawnbench N CMD ARGS... - run CMD N times (after 10 warm-ups) and print
 * the median and 10th/90th percentile wall time per run in microseconds:
 * "median p10 p90". Output of CMD goes to /dev/null.
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

static int run_once(char **argv, posix_spawn_file_actions_t *fa)
{
    pid_t pid;
    int status;

    if (posix_spawnp(&pid, argv[0], fa, NULL, argv, environ) != 0)
        return -1;
    if (waitpid(pid, &status, 0) < 0)
        return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int main(int argc, char **argv)
{
    posix_spawn_file_actions_t fa;
    long n = argc > 2 ? strtol(argv[1], NULL, 10) : 0;
    double *t;

    if (n <= 0) {
        fputs("usage: spawnbench N CMD [ARGS...]\n", stderr);
        return 64;
    }
    t = calloc((size_t)n, sizeof(*t));
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    for (int i = 0; i < 10; i++)
        if (run_once(argv + 2, &fa) != 0) {
            fprintf(stderr, "spawnbench: %s failed\n", argv[2]);
            return 1;
        }
    for (long i = 0; i < n; i++) {
        double t0 = now_us();

        run_once(argv + 2, &fa);
        t[i] = now_us() - t0;
    }
    qsort(t, (size_t)n, sizeof(*t), cmp);
    printf("%.1f %.1f %.1f\n", t[n / 2], t[n / 10], t[n * 9 / 10]);
    free(t);
    return 0;
}
