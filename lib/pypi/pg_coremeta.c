/*
 * pg_coremeta.c - Requires-Dist from core metadata or the JSON API
 * (pg_coremeta.h).
 *
 * Read without running anything: the point of PEP 658 is that a
 * dependency list can be learnt without downloading, let alone building,
 * a distribution.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "pg_coremeta.h"
#include "pg_util.h"
#include "banned.h"

static int header_is(const char *line, size_t n, const char *name)
{
    size_t k = strlen(name);

    return n > k && line[k] == ':' && strncasecmp(line, name, k) == 0;
}

/* A header's value with its continuation lines folded in; caller frees. */
static char *value(const char *line, size_t n, size_t k)
{
    struct pg_sb sb = PG_SB_INIT;
    size_t i = k + 1;

    while (i < n && (line[i] == ' ' || line[i] == '\t'))
        i++;
    for (; i < n; i++)
        pg_sb_addc(&sb, line[i] == '\n' || line[i] == '\r' || line[i] == '\t' ? ' ' : line[i]);
    while (sb.len && sb.buf[sb.len - 1] == ' ')
        sb.buf[--sb.len] = '\0';
    return pg_sb_detach(&sb);
}

static void take(struct pg_coremeta *m, const char *line, size_t n)
{
    if (header_is(line, n, "Name") && !m->name)
        m->name = value(line, n, 4);
    else if (header_is(line, n, "Version") && !m->version)
        m->version = value(line, n, 7);
    else if (header_is(line, n, "Requires-Dist")) {
        char *v = value(line, n, 13);

        if (*v)
            pg_strlist_push(&m->requires, v);
        free(v);
    }
}

int pg_coremeta_parse(struct pg_coremeta *m, const char *text, size_t len, struct pg_err *err)
{
    size_t i = 0;

    if (len > PG_COREMETA_MAX)
        return pg_err_set(err, "core metadata larger than %u bytes", PG_COREMETA_MAX);
    if (memchr(text, '\0', len))
        return pg_err_set(err, "core metadata contains a NUL byte");
    while (i < len) {
        size_t start = i, end;

        /* A header runs to a newline not followed by whitespace. */
        for (end = i; end < len; end++)
            if (text[end] == '\n' && (end + 1 >= len || (text[end + 1] != ' ' &&
                                                         text[end + 1] != '\t')))
                break;
        i = end + 1;
        if (end > start && text[end - 1] == '\r')
            end--;
        if (end == start)
            break; /* the blank line: the body (description) follows */
        take(m, text + start, end - start);
    }
    m->known = 1;
    return 0;
}

int pg_coremeta_parse_json(struct pg_coremeta *m, const char *body, size_t len,
                           struct pg_err *err)
{
    json_t *doc = json_loadb(body, len, 0, NULL), *info, *rd, *x;
    size_t i;
    int rc = -1;

    info = json_object_get(doc, "info");
    if (!json_is_object(info)) {
        pg_err_set(err, "JSON API version document has no 'info'");
        goto out;
    }
    if (json_is_string(json_object_get(info, "name")))
        m->name = pg_xstrdup(json_string_value(json_object_get(info, "name")));
    if (json_is_string(json_object_get(info, "version")))
        m->version = pg_xstrdup(json_string_value(json_object_get(info, "version")));
    rd = json_object_get(info, "requires_dist");
    if (json_is_array(rd)) {
        json_array_foreach(rd, i, x)
            if (json_is_string(x))
                pg_strlist_push(&m->requires, json_string_value(x));
        m->known = 1;
    }
    rc = 0;
out:
    json_decref(doc);
    return rc;
}

void pg_coremeta_release(struct pg_coremeta *m)
{
    free(m->name);
    free(m->version);
    pg_strlist_release(&m->requires);
    memset(m, 0, sizeof(*m));
}
