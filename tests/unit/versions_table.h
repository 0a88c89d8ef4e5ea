/*
 * versions_table.h - reading the version tables under unit/data/versions/
 * (TSV, '#' comments, \\t \\n \\r \\\\ escapes), shared by test_semver.c and
 * test_pep440.c. Include after cmocka.h, pg_util.h and string.h.
 */
#ifndef VERSIONS_TABLE_H
#define VERSIONS_TABLE_H

#define MAXF 8

/* Undo the table's \t \n \r \\ escapes in place. */
static void unescape(char *s)
{
    char *d = s;

    for (; *s; s++) {
        if (*s == '\\' && s[1]) {
            s++;
            *d++ = *s == 't' ? '\t' : *s == 'n' ? '\n' : *s == 'r' ? '\r' : *s;
        } else {
            *d++ = *s;
        }
    }
    *d = '\0';
}

/* Calls fn for each data row of a TSV table; returns the number of rows. */
static size_t each_row(const char *name, void (*fn)(char **f, size_t nf, void *ctx), void *ctx)
{
    char path[512], *buf = NULL, *line, *next, *f[MAXF];
    struct pg_err err = PG_ERR_INIT;
    size_t len, rows = 0, nf;

    snprintf(path, sizeof(path), "%s/unit/data/versions/%s", PG_TEST_DATA_DIR, name);
    if (pg_read_file(path, 8u << 20, &buf, &len, &err) < 0)
        fail_msg("%s", err.msg);
    for (line = buf; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        if (line[0] == '#' || !line[0])
            continue;
        for (nf = 0; nf < MAXF; nf++) {
            f[nf] = line;
            line = strchr(line, '\t');
            if (line)
                *line++ = '\0';
            unescape(f[nf]);
            if (!line) {
                nf++;
                break;
            }
        }
        fn(f, nf, ctx);
        rows++;
    }
    free(buf);
    return rows;
}

#endif
