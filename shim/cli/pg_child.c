/*
 * pg_child.c - the real tool as a child, with signals passed on and its
 * end reproduced (see pg_child.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pg_child.h"
#include "pg_util.h"
#include "banned.h"

/* What a person or a supervisor sends to stop or poke a process. */
static const int forwarded[] = {SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGALRM};

static void wanted_set(sigset_t *set)
{
    sigemptyset(set);
    for (size_t i = 0; i < PG_ARRAY_SIZE(forwarded); i++)
        sigaddset(set, forwarded[i]);
    sigaddset(set, SIGCHLD);
}

/*
 * si_code > 0 means the kernel sent it: the terminal's Ctrl-C reached the
 * tool's process group already, and a second SIGINT could make npm or pip
 * skip its own clean-up. kill(2), sigqueue(2) and tkill(2) give <= 0.
 */
static int sent_by_a_process(const siginfo_t *info)
{
    return info->si_code <= 0;
}

/* Wait for pid, passing on what is sent to us meanwhile; set is blocked. */
static int wait_forwarding(pid_t pid, const sigset_t *set, int *status)
{
    for (;;) {
        siginfo_t info;
        int sig = sigwaitinfo(set, &info);
        pid_t got;

        if (sig < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        if (sig != SIGCHLD) {
            if (sent_by_a_process(&info))
                kill(pid, sig);
            continue;
        }
        /* SIGCHLD also comes for a stopped child (Ctrl-Z): only an end ends us. */
        got = waitpid(pid, status, WNOHANG);
        if (got == pid)
            return 0;
        if (got < 0 && errno != EINTR)
            return -1;
    }
}

int pg_child_run(const char *path, char *const argv[], const struct pg_selfset *skip,
                 void (*meanwhile)(void *), void *arg, int *status)
{
    sigset_t set, old;
    pid_t pid;
    int rc;

    wanted_set(&set);
    if (sigprocmask(SIG_BLOCK, &set, &old) != 0)
        return -1;
    fflush(NULL);
    pid = fork();
    if (pid == 0) {
        /* The tool gets the mask we were given, as a plain exec would, and
         * SIGPIPE's default back (pkggate ignores it; exec keeps that). */
        sigprocmask(SIG_SETMASK, &old, NULL);
        signal(SIGPIPE, SIG_DFL);
        pg_realtool_exec(path, argv, skip);
        fprintf(stderr, "pkggate: cannot run %s: %s\n", path, strerror(errno));
        _exit(127);
    }
    if (pid > 0 && meanwhile)
        meanwhile(arg);
    rc = pid < 0 ? -1 : wait_forwarding(pid, &set, status);
    {
        int saved = errno;

        sigprocmask(SIG_SETMASK, &old, NULL);
        errno = saved;
    }
    return rc;
}

int pg_child_end_like(int status)
{
    struct rlimit no_core = {0, 0};
    sigset_t one;
    int sig;

    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    if (!WIFSIGNALED(status))
        return 128;
    sig = WTERMSIG(status);
    fflush(NULL);
    /* A core of pkggate would only mislead: the tool wrote its own. */
    setrlimit(RLIMIT_CORE, &no_core);
    if (sig != SIGKILL && sig != SIGSTOP) {
        struct sigaction sa;

        memset(&sa, 0, sizeof(sa));
        sa.sa_handler = SIG_DFL;
        sigemptyset(&sa.sa_mask);
        sigaction(sig, &sa, NULL);
    }
    sigemptyset(&one);
    sigaddset(&one, sig);
    sigprocmask(SIG_UNBLOCK, &one, NULL);
    raise(sig);
    return 128 + sig;
}

/*
 * fd moved above the standard three, close-on-exec (the old one closed):
 * with stdin or stdout closed a new descriptor can be 0 or 1, and then
 * dup2(fd, 1) is a no-op that leaves the close-on-exec flag on stdout.
 */
static int above_stdio(int fd)
{
    int moved = fd < 0 ? -1 : fcntl(fd, F_DUPFD_CLOEXEC, STDERR_FILENO + 1);
    int saved = errno;

    if (fd >= 0)
        close(fd);
    errno = saved;
    return moved;
}

/* The child's side of pg_child_capture: never returns. */
static void capture_child(pid_t parent, int out, const char *path, char *const argv[],
                          const struct pg_selfset *skip)
{
    int null = above_stdio(open("/dev/null", O_RDWR | O_CLOEXEC));

    /* Dies with the command that asked (the check closes the race). */
    if (prctl(PR_SET_PDEATHSIG, SIGTERM) < 0 || getppid() != parent)
        _exit(127);
    if (null < 0 || dup2(null, STDIN_FILENO) < 0 || dup2(out, STDOUT_FILENO) < 0 ||
        dup2(null, STDERR_FILENO) < 0)
        _exit(127);
    /* pkggate ignores SIGPIPE; an ignored signal stays ignored across exec. */
    signal(SIGPIPE, SIG_DFL);
    pg_realtool_exec(path, argv, skip);
    _exit(127);
}

/* All of fd into out, at most max bytes: 0, or -1 (errno; EFBIG past max). */
static int read_capped(int fd, size_t max, struct pg_sb *out)
{
    size_t start = out->len;
    char buf[16384];

    for (;;) {
        ssize_t n = read(fd, buf, sizeof(buf));

        if (n == 0)
            return 0;
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        if (out->len - start + (size_t)n > max) {
            errno = EFBIG;
            return -1;
        }
        pg_sb_add(out, buf, (size_t)n);
    }
}

int pg_child_capture(const char *path, char *const argv[], const struct pg_selfset *skip,
                     size_t max, struct pg_sb *out, int *status)
{
    pid_t parent = getpid(), pid;
    int fds[2], rc, saved;

    /* No other thread forks now: the flags can follow the pipe. */
    if (pipe(fds) < 0)
        return -1;
    fds[0] = above_stdio(fds[0]);
    fds[1] = above_stdio(fds[1]);
    if (fds[0] < 0 || fds[1] < 0) {
        saved = errno;
        if (fds[0] >= 0)
            close(fds[0]);
        if (fds[1] >= 0)
            close(fds[1]);
        errno = saved;
        return -1;
    }
    fflush(NULL);
    pid = fork();
    if (pid == 0)
        capture_child(parent, fds[1], path, argv, skip);
    saved = errno;
    close(fds[1]);
    if (pid < 0) {
        close(fds[0]);
        errno = saved;
        return -1;
    }
    rc = read_capped(fds[0], max, out);
    saved = errno;
    if (rc < 0)
        kill(pid, SIGKILL); /* it does not stop talking: no chance to go on */
    close(fds[0]);
    while (waitpid(pid, status, 0) < 0)
        if (errno != EINTR)
            return -1;
    errno = saved;
    return rc;
}
