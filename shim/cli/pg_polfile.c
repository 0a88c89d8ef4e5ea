#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "pg_policy.h"
#include "pg_polfile.h"
#include "pg_util.h"
#include "banned.h"

#define POLICY_MAX ((size_t)1 << 20)

/* mkdir -p of file's directory, each new level 0700. */
static int make_parent(const char *file)
{
    char *dir = pg_xstrdup(file);
    char *slash = strrchr(dir, '/');
    int rc = 0;

    if (slash && slash != dir) {
        *slash = '\0';
        for (char *p = dir + 1; rc == 0; p++) {
            char c = *p;

            if (c != '/' && c != '\0')
                continue;
            *p = '\0';
            if (mkdir(dir, 0700) != 0 && errno != EEXIST)
                rc = -1;
            *p = c;
            if (!c)
                break;
        }
    }
    free(dir);
    return rc;
}

/* The file's JSON object, or a new one when there is no file. */
static json_t *load(const char *file, int *created, struct pg_err *err)
{
    char *text = NULL;
    size_t len = 0;
    json_error_t je;
    json_t *root;

    *created = access(file, F_OK) != 0 && errno == ENOENT;
    if (*created)
        return json_object();
    if (pg_read_file(file, POLICY_MAX, &text, &len, err) < 0)
        return NULL;
    root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    free(text);
    if (!json_is_object(root)) {
        pg_err_set(err, "%s:%d:%d: %s", file, je.line, je.column,
                   root ? "a policy is a JSON object" : je.text);
        json_decref(root);
        return NULL;
    }
    return root;
}

static json_t *entry(const struct pg_exception *ex)
{
    time_t t = (time_t)ex->expires;
    struct tm tm;
    char stamp[32] = "";
    json_t *e = json_object(), *rules;

    gmtime_r(&t, &tm);
    strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
    if (ex->nrules == 0) {
        rules = json_string("*");
    } else {
        rules = json_array();
        for (size_t i = 0; i < ex->nrules; i++)
            json_array_append_new(rules, json_string(ex->rules[i]));
    }
    json_object_set_new(e, "package", json_string(ex->package));
    json_object_set_new(e, "rules", rules);
    json_object_set_new(e, "reason", json_string(ex->reason));
    json_object_set_new(e, "expires", json_string(stamp));
    return e;
}

/* Write text beside file, then rename it over file: readers see old or new, never half. */
static int replace(const char *file, const char *text, mode_t mode, struct pg_err *err)
{
    char *tmp = pg_xasprintf("%s.XXXXXX", file);
    int fd = mkstemp(tmp), rc = -1;

    if (fd < 0) {
        pg_err_set(err, "%s: cannot create a temporary file: %s", file, strerror(errno));
        goto out;
    }
    if (fchmod(fd, mode) != 0 || pg_write_all(fd, text, strlen(text)) != 0 || fsync(fd) != 0) {
        pg_err_set(err, "%s: cannot write: %s", tmp, strerror(errno));
        close(fd);
        unlink(tmp);
        goto out;
    }
    close(fd);
    if (rename(tmp, file) != 0) {
        pg_err_set(err, "%s: cannot replace: %s", file, strerror(errno));
        unlink(tmp);
        goto out;
    }
    rc = 0;
out:
    free(tmp);
    return rc;
}

/* The new text must load as a layer on its own, or the file is left alone. */
static int loads(const char *file, const char *text, struct pg_err *err)
{
    const char *texts[] = {text}, *names[] = {file};
    struct pg_policy *pol = NULL;
    int rc = pg_policy_load_strings(&pol, texts, names, 1, err);

    pg_policy_free(pol);
    return rc;
}

int pg_polfile_add_exception(const char *file, const struct pg_exception *ex, mode_t new_mode,
                             int *created, struct pg_err *err)
{
    json_t *root = load(file, created, err), *list;
    struct stat st;
    char *text = NULL, *with_nl = NULL;
    int rc = -1;

    if (!root)
        return -1;
    list = json_object_get(root, "exceptions");
    if (!list) {
        list = json_array();
        json_object_set_new(root, "exceptions", list);
    }
    if (!json_is_array(list)) {
        pg_err_set(err, "%s: \"exceptions\" is not a list", file);
        goto out;
    }
    json_array_append_new(list, entry(ex));
    text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    with_nl = text ? pg_xasprintf("%s\n", text) : NULL;
    if (!with_nl || loads(file, with_nl, err) < 0)
        goto out;
    if (*created && make_parent(file) < 0) {
        pg_err_set(err, "%s: cannot create its directory: %s", file, strerror(errno));
        goto out;
    }
    rc = replace(file, with_nl, !*created && stat(file, &st) == 0 ? st.st_mode & 07777 : new_mode,
                 err);
out:
    free(with_nl);
    free(text);
    json_decref(root);
    return rc;
}
