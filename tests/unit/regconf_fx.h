/*
 * regconf_fx.h - shared by test_regconf.c (npm) and test_regconf_pip.c (pip):
 * a fake environment, scratch directories with files written into them, and
 * real command lines parsed by pg_npmargs / pg_pipargs into the struct
 * pg_cmd fed to pg_regconf_load. Include after cmocka.h.
 */
#ifndef REGCONF_FX_H
#define REGCONF_FX_H

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pg_npmargs.h"
#include "pg_pipargs.h"
#include "pg_regconf.h"
#include "pg_util.h"

/* The fake environment the readers see: NAME=value strings, NULL-ended. */
static const char *const *test_env;

static inline const char *fake_getenv(const char *name)
{
    size_t n = strlen(name);

    for (const char *const *e = test_env; e && *e; e++)
        if (!strncmp(*e, name, n) && (*e)[n] == '=')
            return *e + n + 1;
    return NULL;
}

static inline char *scratch(void)
{
    char tmpl[] = "/tmp/pg-regconf-XXXXXX";

    assert_non_null(mkdtemp(tmpl));
    return pg_xstrdup(tmpl);
}

/* Write text to dir/rel, creating the directories on the way. */
static inline char *put(const char *dir, const char *rel, const char *text)
{
    char *path = pg_xasprintf("%s/%s", dir, rel);
    FILE *f;

    for (char *s = path + strlen(dir) + 1; (s = strchr(s, '/')) != NULL; s++) {
        *s = '\0';
        mkdir(path, 0755);
        *s = '/';
    }
    f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

static inline int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static inline void rm_tree(const char *dir)
{
    nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static inline void parse(struct pg_cmd *cmd, enum pg_tool tool, const char *cwd, char **argv)
{
    struct pg_err err = PG_ERR_INIT;
    int argc = 0, rc;

    while (argv[argc])
        argc++;
    pg_cmd_init(cmd, tool);
    if (tool == PG_TOOL_PIP)
        rc = pg_pipargs_parse(cmd, argc, argv, cwd, &err);
    else
        rc = pg_npmargs_parse(cmd, argc, argv, cwd, &err);
    if (rc < 0)
        fail_msg("parse failed: %s", err.msg);
}

/* The configuration behind cmd: what its argv said is in cmd itself. */
static inline struct pg_regconf *load(const struct pg_cmd *cmd, const char *cwd,
                                      const char *const *env)
{
    struct pg_regconf_opts o = {0};

    test_env = env;
    o.cwd = cwd;
    o.getenv_fn = fake_getenv;
    o.environ = env;
    o.node_path = "/nonexistent/bin/node"; /* no global or builtin npmrc */
    o.etc_dir = "/nonexistent";
    return pg_regconf_load(cmd, &o);
}

static inline int cli_has(char **cli, const char *want)
{
    for (char **p = cli; *p; p++)
        if (strcmp(*p, want) == 0)
            return 1;
    return 0;
}

static inline size_t cli_len(char **cli)
{
    size_t n = 0;

    while (cli[n])
        n++;
    return n;
}

#endif
