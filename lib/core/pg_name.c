/*
 * pg_name.c - package names per ecosystem (pg_name.h).
 *
 * One place for "same package?" (PEP 503 normalisation for PyPI) and "could
 * this be a name at all?", so the policy and the registry clients never
 * disagree about what a name is.
 */
#include <ctype.h>
#include <string.h>

#include "pg_name.h"
#include "pg_util.h"
#include "banned.h"

static int is_sep(char c)
{
    return c == '-' || c == '_' || c == '.';
}

char *pg_name_normalize(enum pg_eco eco, const char *name)
{
    struct pg_sb sb = PG_SB_INIT;

    if (eco == PG_ECO_NPM)
        return pg_xstrdup(name);
    for (const char *p = name; *p; p++) {
        if (is_sep(*p)) {
            while (is_sep(p[1]))
                p++;
            pg_sb_addc(&sb, '-');
        } else {
            pg_sb_addc(&sb, (char)tolower((unsigned char)*p));
        }
    }
    return pg_sb_detach(&sb);
}

static int pypi_valid(const char *name)
{
    size_t n = strlen(name);

    if (n == 0 || !isalnum((unsigned char)name[0]) || !isalnum((unsigned char)name[n - 1]))
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)name[i]) && !is_sep(name[i]))
            return 0;
    return 1;
}

/* One part of an npm name: lowercase letters, digits, and - . _ ~ */
static int npm_part_valid(const char *s, size_t n)
{
    if (n == 0 || s[0] == '.' || s[0] == '_')
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];

        if (!(islower(c) || isdigit(c) || c == '-' || c == '.' || c == '_' || c == '~'))
            return 0;
    }
    return 1;
}

int pg_name_valid(enum pg_eco eco, const char *name)
{
    const char *slash;

    if (!name)
        return 0;
    if (eco == PG_ECO_PYPI)
        return pypi_valid(name);
    if (strlen(name) > 214)
        return 0;
    if (name[0] != '@')
        return npm_part_valid(name, strlen(name));
    slash = strchr(name, '/');
    if (!slash)
        return 0;
    return npm_part_valid(name + 1, (size_t)(slash - name - 1)) &&
           npm_part_valid(slash + 1, strlen(slash + 1));
}
