/*
 * pg_tool.h - which tool a command runs: enum pg_tool, from pg_tools.def.
 *
 * Header only and libc free, because pkggate-shim (which links libc
 * alone) needs the same answers as pkggate and the libraries.
 */
#ifndef PG_TOOL_H
#define PG_TOOL_H

#include "pg_req.h"

enum pg_tool {
#define PG_TOOL(id, name, eco, route, parse, regconf) id,
#define PG_TOOL_ALIAS(id, name, match)
#include "pg_tools.def"
    PG_TOOL_COUNT /* not a tool: the number of them */
};

/* The tool's own name: "pip" (also for pip3, pip3.N), "npm", "npx". */
static inline const char *pg_tool_name(enum pg_tool tool)
{
    switch (tool) {
#define PG_TOOL(id, name, eco, route, parse, regconf)                                              \
    case id:                                                                                       \
        return name;
#define PG_TOOL_ALIAS(id, name, match)
#include "pg_tools.def"
    case PG_TOOL_COUNT:
        break;
    }
    return "?";
}

/* The ecosystem the tool installs from. */
static inline enum pg_eco pg_tool_eco(enum pg_tool tool)
{
    switch (tool) {
#define PG_TOOL(id, name, eco, route, parse, regconf)                                              \
    case id:                                                                                       \
        return eco;
#define PG_TOOL_ALIAS(id, name, match)
#include "pg_tools.def"
    case PG_TOOL_COUNT:
        break;
    }
    return PG_ECO_NPM;
}

#endif
