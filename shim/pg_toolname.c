/*
 * pg_tool_from_name - libc only, because pkggate-shim compiles it too: the
 * shim and pkggate must agree on which names are pip, npm and npx.
 */
#include <string.h>

#include "pg_cmd.h"
#include "banned.h"

int pg_tool_from_name(const char *name)
{
    if (strcmp(name, "npm") == 0)
        return PG_TOOL_NPM;
    if (strcmp(name, "npx") == 0)
        return PG_TOOL_NPX;
    if (strcmp(name, "pip") == 0 || strcmp(name, "pip3") == 0)
        return PG_TOOL_PIP;
    /* pip3.N, pip3.NN */
    if (strncmp(name, "pip3.", 5) == 0 && name[5]) {
        for (const char *p = name + 5; *p; p++)
            if (*p < '0' || *p > '9')
                return -1;
        return PG_TOOL_PIP;
    }
    return -1;
}
