/* Names of policy enums as they appear in policy files and output. */
#include "pg_policy.h"
#include "banned.h"

const char *pg_mode_name(enum pg_mode m)
{
    switch (m) {
    case PG_MODE_AUDIT:
        return "audit";
    case PG_MODE_WARN:
        return "warn";
    case PG_MODE_ENFORCE:
        return "enforce";
    }
    return "?";
}

const char *pg_action_name(enum pg_action a)
{
    switch (a) {
    case PG_ACT_OFF:
        return "off";
    case PG_ACT_WARN:
        return "warn";
    case PG_ACT_BLOCK:
        return "block";
    }
    return "?";
}
