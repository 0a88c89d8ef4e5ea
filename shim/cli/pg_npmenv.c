/*
 * pg_npmenv.c - npm's settings and its node's version into struct pg_cmd.
 *
 * npm-pick-manifest prefers versions whose engines.node fits
 * process.version, so the version judged depends on the node npm runs on.
 * Learning it costs one `node --version` of that very node (found as npm's
 * #! line finds it, else on PATH: pg_interp.h), run with an empty
 * environment (no NODE_OPTIONS: no --require of anyone's code) and without
 * a shell; node answers --version before it loads any JavaScript, in about
 * 20 ms. The answer is cached keyed by the binary's path, size and mtime,
 * so an unchanged node is asked once (a node that is a script, a version
 * manager's shim, is asked every time: it chooses when it runs);
 * npm's own version is its package.json, a file read.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <jansson.h>

#include "pg_interp.h"
#include "pg_npmenv.h"
#include "pg_npmset.h"
#include "pg_regconf.h"
#include "pg_semver.h"
#include "pg_util.h"
#include "banned.h"

#define VERSION_MAX 64

extern char **environ;

static const char *env_get(const char *name)
{
    return getenv(name);
}

/*
 * The node npm's script runs on: the one its #! line names, found as the
 * kernel and env would find it. When that is no node (a wrapper script, a
 * version manager's shim, a stand-in; a binary has no #! line at all), the
 * node PATH finds, where npm-cli.js's own `#!/usr/bin/env node` leads.
 */
static char *node_of(const char *npm_script)
{
    static const char *const nodes[] = {"node", NULL};
    char line[PATH_MAX + 3] = "", *nl, *sp;
    FILE *f = fopen(npm_script, "re");

    if (f) {
        if (!fgets(line, sizeof(line), f))
            line[0] = '\0';
        fclose(f);
    }
    nl = strchr(line, '\n');
    if (nl)
        *nl = '\0';
    if (strncmp(line, "#!/", 3) == 0 && !strstr(line, "/env ")) {
        sp = strchr(line, ' ');
        if (sp)
            *sp = '\0';
        if (pg_interp_named(line + 2, nodes))
            return pg_xstrdup(line + 2);
    }
    return pg_interp_on_path("node");
}

static char *cache_path(void)
{
    const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");

    if (xdg && *xdg == '/')
        return pg_xasprintf("%s/pkggate/node-version", xdg);
    return home && *home ? pg_xasprintf("%s/.cache/pkggate/node-version", home) : NULL;
}

/* "v20.1.0\n" -> "20.1.0" when it is a version, else NULL. */
static char *clean_version(const char *out)
{
    char buf[VERSION_MAX];
    size_t n = strcspn(out, "\r\n");
    struct pg_semver v;

    if (n == 0 || n >= sizeof(buf))
        return NULL;
    memcpy(buf, out, n);
    buf[n] = '\0';
    return pg_semver_parse(buf[0] == 'v' ? buf + 1 : buf, &v, NULL) == 0
               ? pg_xstrdup(buf[0] == 'v' ? buf + 1 : buf)
               : NULL;
}

/* Run `node --version` (see the top of the file). NULL when it fails. */
static char *ask_node(const char *node)
{
    char out[VERSION_MAX] = "", *const argv[] = {(char *)node, "--version", NULL};
    char *const envp[] = {NULL};
    int fds[2], status = 0;
    ssize_t got = 0, r;
    pid_t pid;

    if (pipe(fds) < 0)
        return NULL;
    pid = fork();
    if (pid == 0) {
        int null = open("/dev/null", O_RDWR);

        dup2(fds[1], STDOUT_FILENO);
        if (null >= 0) {
            dup2(null, STDIN_FILENO);
            dup2(null, STDERR_FILENO);
        }
        close(fds[0]);
        execve(node, argv, envp);
        _exit(127);
    }
    close(fds[1]);
    while (pid > 0 && got < (ssize_t)sizeof(out) - 1 &&
           ((r = read(fds[0], out + got, sizeof(out) - 1 - (size_t)got)) > 0 ||
            (r < 0 && errno == EINTR)))
        got += r > 0 ? r : 0;
    close(fds[0]);
    while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (pid <= 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return NULL;
    return clean_version(out);
}

/* The cache line for node as it is now: "path\tsize\tmtime.ns\t". */
static char *cache_key(const char *node)
{
    struct stat st;

    if (stat(node, &st) < 0)
        return NULL;
    return pg_xasprintf("%s\t%lld\t%lld.%09ld\t", node, (long long)st.st_size,
                        (long long)st.st_mtim.tv_sec, (long)st.st_mtim.tv_nsec);
}

static char *cached_version(const char *path, const char *key)
{
    char *buf = NULL, *v = NULL;
    size_t len = 0;

    if (path && pg_read_file(path, 4096, &buf, &len, NULL) == 0 && pg_starts_with(buf, key))
        v = clean_version(buf + strlen(key));
    free(buf);
    return v;
}

/* Written whole or not at all: a temporary file renamed over the old one. */
static void remember(const char *path, const char *key, const char *version)
{
    char *tmp = pg_xasprintf("%s.%ld", path, (long)getpid());
    char *text = pg_xasprintf("%s%s\n", key, version);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

    if (fd >= 0 && pg_write_all(fd, text, strlen(text)) == 0 && close(fd) == 0)
        fd = rename(tmp, path);
    else if (fd >= 0)
        close(fd);
    if (fd != 0)
        unlink(tmp);
    free(tmp);
    free(text);
}

static char *node_version(const char *npm_script)
{
    char real[PATH_MAX], *node = node_of(npm_script), *key, *path, *v = NULL;

    if (!node || !realpath(node, real)) {
        free(node);
        return NULL;
    }
    free(node);
    /* A script (a version manager's shim) picks its node when it runs: asked every time. */
    key = pg_interp_is_script(real) ? NULL : cache_key(real);
    path = key ? cache_path() : NULL;
    v = key ? cached_version(path, key) : NULL;
    if (!v && (v = ask_node(real)) && key && path)
        remember(path, key, v);
    free(key);
    free(path);
    return v;
}

/* npm's version: the package.json above its bin/npm-cli.js. */
static char *npm_version(const char *npm_script)
{
    char *dir = pg_xstrdup(npm_script), *slash, *pj, *v = NULL;
    json_t *doc;

    for (int up = 0; up < 2 && (slash = strrchr(dir, '/')); up++)
        *slash = '\0';
    pj = pg_xasprintf("%s/package.json", dir);
    doc = json_load_file(pj, 0, NULL);
    if (json_is_string(json_object_get(doc, "version")) &&
        pg_streq(json_string_value(json_object_get(doc, "name")), "npm"))
        v = clean_version(json_string_value(json_object_get(doc, "version")));
    json_decref(doc);
    free(pj);
    free(dir);
    return v;
}

static void apply_settings(struct pg_cmd *cmd, const struct pg_npmrc *cfg)
{
    struct pg_npmset s = PG_NPMSET_INIT;

    pg_npmset_read(&s, cfg, time(NULL));
    free(cmd->npm_tag);
    cmd->npm_tag = s.tag;
    s.tag = NULL;
    cmd->npm_before = s.before;
    cmd->npm_ignore_scripts = s.ignore_scripts;
    if (!s.package_lock && cmd->has_lockfile) {
        cmd->has_lockfile = 0; /* npm neither reads nor writes it */
        free(cmd->lockfile_path);
        cmd->lockfile_path = NULL;
    }
    for (size_t i = 0; i < s.unmodelled.n; i++)
        pg_strlist_push(&cmd->unmodelled, s.unmodelled.v[i]);
    pg_npmset_release(&s);
}

void pg_npmenv_apply(struct pg_cmd *cmd, const char *real)
{
    struct pg_regconf_opts o = {0};
    struct pg_regconf *rc;
    char cwd[PATH_MAX], script[PATH_MAX];

    if (cmd->eco != PG_ECO_NPM || !cmd->installs || !getcwd(cwd, sizeof(cwd)))
        return;
    o.cwd = cwd;
    o.getenv_fn = env_get;
    o.environ = (const char *const *)environ;
    o.tool_path = real;
    rc = pg_regconf_load(cmd, &o);
    if (pg_regconf_npmrc(rc))
        apply_settings(cmd, pg_regconf_npmrc(rc));
    pg_regconf_free(rc);
    if (real && realpath(real, script)) {
        cmd->node_version = node_version(script);
        cmd->npm_version = npm_version(script);
    }
}
