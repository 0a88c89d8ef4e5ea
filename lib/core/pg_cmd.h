/*
 * pg_cmd.h - a pip or npm command line, understood.
 *
 * Filled by pg_pipargs_parse() / pg_npmargs_parse(); released with
 * pg_cmd_release(). All strings are owned by the struct.
 */
#ifndef PG_CMD_H
#define PG_CMD_H

#include <stdint.h>

#include "pg_req.h"
#include "pg_tool.h"

struct pg_strlist {
    char **v;
    size_t n;
    size_t alloc;
};
#define PG_STRLIST_INIT {NULL, 0, 0}
void pg_strlist_push(struct pg_strlist *l, const char *s); /* copies s */
void pg_strlist_release(struct pg_strlist *l);
int pg_strlist_has(const struct pg_strlist *l, const char *s);

struct pg_cmd {
    enum pg_tool tool;
    enum pg_eco eco;
    char *subcmd;        /* canonical: "install", "ci", "update", "exec", "download",
                          * "wheel"; the raw word for anything else; NULL if none */
    int installs;        /* 1: this command can fetch and install packages */
    struct pg_reqlist reqs;

    /* Registries named on the command line (config files are read later). */
    char *index_url;               /* pip -i/--index-url; npm --registry */
    struct pg_strlist extra_index; /* pip --extra-index-url */
    struct pg_strlist find_links;  /* pip -f/--find-links (argv and requirement files) */
    int no_index;                  /* pip --no-index */

    int pre;      /* pip --pre */
    int upgrade;  /* pip -U */
    int dry_run;  /* pip --dry-run, npm --dry-run */
    int global;   /* npm -g */
    int no_deps;  /* pip --no-deps */
    int ignore_installed; /* pip -I, --force-reinstall, --target: nothing installed is kept */
    int upgrade_eager;    /* pip --upgrade-strategy eager */

    /*
     * pip: what narrows the version picked beyond each requirement's own
     * specifier, from argv, requirement files and (pg_pipsettings.h) pip's
     * configuration. formats: --only-binary/--no-binary values in the order
     * pip applies them, "only-binary=V" or "no-binary=V" (the sets they
     * build depend on order). constraints: the lines of -c files.
     */
    int prefer_binary;
    struct pg_strlist formats;
    struct pg_strlist constraints;
    char *python; /* version of the Python the real pip runs on ("3.11.7"), or NULL */

    /* npm: bare `npm install`/`npm ci` reads package.json (+ lockfile). */
    int from_manifest;       /* 1: packages came from package.json */
    int has_lockfile;        /* package-lock.json or npm-shrinkwrap.json present */
    char *lockfile_path;     /* its path when present */
    /* npm: "name@version" of each registry entry of lockfile_path, once
     * each, in file order; read by pg_npmlock_merge, so the tree
     * (pg_npmtree_project_load) does not parse the lockfile again */
    struct pg_strlist lock_pins;
    int lock_pins_read;      /* lock_pins holds what lockfile_path pins */
    char *manifest_dir;      /* directory holding package.json (npm --prefix aware) */

    /* npm uninstall: the names being removed (npm still installs the rest
     * of the tree, which is checked, but not these). */
    struct pg_strlist removing;

    /* Options this parser does not know: policy `unknown_arguments` decides. */
    struct pg_strlist unknown;

    /*
     * npm: what npm-pick-manifest takes from npm's settings (any layer:
     * argv, npm_config_*, .npmrc files) and the node npm runs on, filled
     * by pg_npmenv_apply(). NULL / 0 when unset. unmodelled: settings that
     * change what npm installs that pkggate does not follow, as
     * "key (set in WHERE)": like unknown, `unknown_arguments` decides.
     */
    char *npm_tag;
    int64_t npm_before;
    int npm_ignore_scripts;  /* ignore-scripts: npm runs no lifecycle script */
    char *node_version;
    char *npm_version;
    struct pg_strlist unmodelled;

    /*
     * The command line's layer of the tool's own configuration, so that
     * the registry-config readers need not read argv again (the argv
     * readers fill it: see shim/cli/pg_argconf.h). "key=value" strings in
     * the tool's config vocabulary, in the order the tool applies them:
     * npm: every option it reads ("registry=URL", "global=true",
     * "//host/:_authToken=T", "userconfig=PATH", ...); pip: what the
     * fields above do not hold ("cert=PATH", "isolated"). Values may be
     * tokens: pg_cmd_release() wipes them.
     */
    struct pg_strlist config;
};

void pg_cmd_init(struct pg_cmd *cmd, enum pg_tool tool);
void pg_cmd_release(struct pg_cmd *cmd);

#endif
