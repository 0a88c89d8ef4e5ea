/*
 * pg_npmrc.h - npm's registry configuration, read the way npm 9-11 reads it.
 *
 * pkggate must check a package against the registry npm will really use,
 * with the credentials npm would send there, so it reads the same layers as
 * @npmcli/config, highest priority first:
 *
 *   cli      opts->cli: "key=value" strings as given on the command line
 *            (--registry=URL becomes "registry=URL")
 *   env      npm_config_<key> variables, case-insensitive names, empty
 *            values ignored, '_' after the first character read as '-'
 *   project  <local prefix>/.npmrc: the nearest directory upwards from cwd
 *            holding package.json or node_modules (else cwd); --prefix on
 *            the command line sets it; skipped in global mode (-g,
 *            location=global) and when it is the user config file
 *   user     userconfig (cli/env/project may move it), default ~/.npmrc
 *   global   globalconfig, default <prefix>/etc/npmrc, where prefix is the
 *            `prefix` config or, failing that, $PREFIX or the directory
 *            above the node binary's directory (with $DESTDIR in front)
 *   builtin  <npm install dir>/npmrc
 *   default  https://registry.npmjs.org/
 *
 * Files use npm's ini dialect: `key = value`, comments after an unescaped
 * ';' or '#', "quoted" values, ${VAR} and ${VAR?} expanded from the
 * environment in keys and values, lines after a [section] header ignored.
 * Keys used: registry, @scope:registry, //host/path/:_authToken,
 * //host/path/:_auth, //host/path/:username + :_password (base64),
 * //host/path/:certfile + :keyfile, cafile, strict-ssl, prefix,
 * userconfig, globalconfig, global, location. `ca` (inline certificates)
 * is ignored. Un-nerfed top-level _auth/_authToken/username/_password are
 * ignored, as npm's fetch layer ignores them. npm workspaces (a workspace
 * root above the package) are not modelled.
 *
 * Secrets (tokens, passwords, the Authorization values built from them)
 * live in sodium_malloc'd memory owned by the struct and are wiped when it
 * is freed; file buffers holding them are wiped before they are freed. No
 * error message ever contains a secret. The loader calls sodium_init().
 */
#ifndef PG_NPMRC_H
#define PG_NPMRC_H

#include <stddef.h>

#include "pg_err.h"

#define PG_NPMRC_DEFAULT_REGISTRY "https://registry.npmjs.org/"
#define PG_NPMRC_FILE_MAX         (1024 * 1024)

struct pg_npmrc_opts {
    /* Directory npm runs in (absolute). Required. */
    const char *cwd;
    /* Required: the value of an environment variable or NULL (borrowed);
     * tests pass a table lookup instead of getenv(3). */
    const char *(*getenv_fn)(const char *name);
    /*
     * Optional "NAME=value" array ending in NULL (like environ). When given,
     * every npm_config_* variable in it is read, exactly as npm does (so
     * `npm_config_@scope:registry` and nerf-darted keys work). When NULL,
     * getenv_fn is asked for npm_config_<key> and NPM_CONFIG_<KEY> (in that
     * order) for the keys listed above that can be spelt as variable names.
     */
    const char *const *environ;
    /* Optional "key=value" (or "key", meaning true) strings, NULL-ended. */
    const char *const *cli;
    /* The real node binary; NULL: search PATH (from getenv_fn). */
    const char *node_path;
    /* npm's install directory (holds the builtin npmrc); NULL: derive
     * <node prefix>/lib/node_modules/npm. */
    const char *npm_dir;
};

struct pg_npmrc;

/*
 * Read every layer. Missing files are skipped; a file that exists but
 * cannot be read, is over PG_NPMRC_FILE_MAX, or sets a registry that is not
 * an http(s) URL is an error (pkggate fails closed rather than check
 * against a registry npm will not use). On success *out is the caller's,
 * freed with pg_npmrc_free.
 */
int pg_npmrc_load(struct pg_npmrc **out, const struct pg_npmrc_opts *opts,
                  struct pg_err *err) PG_WARN_UNUSED;
void pg_npmrc_free(struct pg_npmrc *cfg);

/* The default registry, always ending in '/'. Owned by cfg. */
const char *pg_npmrc_registry(const struct pg_npmrc *cfg);

/*
 * The registry for a package: its scope's `@scope:registry` when the name
 * is "@scope/x" and one is set, else the default. Ends in '/'. Owned by cfg.
 */
const char *pg_npmrc_registry_for(const struct pg_npmrc *cfg, const char *package_name);

/*
 * The Authorization header value npm would send with a request for url
 * ("Bearer <token>" or "Basic <base64>"), or NULL for none. Matching is
 * npm-registry-fetch's: the longest `//host[:port]/path` prefix of url that
 * has credentials, trimming one path segment (or one trailing '/') at a
 * time; if none matches and url is on the same host as the package's
 * registry, that registry's credentials. package_name may be NULL (default
 * registry). The value is owned by cfg (secure memory) and lives until
 * pg_npmrc_free: never print or log it.
 */
const char *pg_npmrc_auth_for_pkg(const struct pg_npmrc *cfg, const char *url,
                                  const char *package_name);
const char *pg_npmrc_auth_for(const struct pg_npmrc *cfg, const char *url);

/* cafile (absolute path) or NULL; strict-ssl (default 1). */
const char *pg_npmrc_cafile(const struct pg_npmrc *cfg);
int pg_npmrc_strict_ssl(const struct pg_npmrc *cfg);

/*
 * Every other setting npm would see, at the layer that wins, for the
 * settings that change what npm installs (pg_npmset.h). Credentials
 * (`//host/:...` keys, top-level _auth, _authToken, _password, username,
 * password, email, otp) are not kept: NULL. where (may be NULL) names the place: "the command
 * line", "the environment (npm_config_tag)" or the file's path. Owned by
 * cfg.
 */
const char *pg_npmrc_get(const struct pg_npmrc *cfg, const char *key, const char **where);

/* The config files that were read, in reading order (for doctor). */
size_t pg_npmrc_nfiles(const struct pg_npmrc *cfg);
const char *pg_npmrc_file(const struct pg_npmrc *cfg, size_t i);

#endif
