/*
 * The built-in default policy: layer 1, read by the same parser as every
 * other layer, so it is also the reference for every key and its default.
 * Every scalar key is set here; the getters rely on that (a unit test
 * checks it).
 */
#include "pg_policy.h"
#include "banned.h"

static const char default_policy[] =
    "{\n"
    "  \"_comment\": \"pkggate built-in default policy\",\n"
    "  \"mode\": \"enforce\",\n"
    "  \"undecidable\": \"block\",\n"
    "  \"unknown_arguments\": \"block\",\n"
    "  \"insecure_registries\": \"warn\",\n"
    "  \"notes\": \"on\",\n"
    "  \"syslog\": \"off\",\n"
    "  \"timeout\": \"20s\",\n"
    "  \"deadline\": \"2m\",\n"
    "  \"revalidate\": \"1d\",\n"
    "  \"allow\": [],\n"
    "  \"deny\": [],\n"
    "  \"exceptions\": [],\n"
    "  \"require_provenance\": [],\n"
    "  \"rules\": {\n"
    "    \"non_registry_source\": {\"action\": \"warn\"},\n"
    "    \"typosquat\": {\"action\": \"block\", \"extra_popular\": [], \"ignore\": [],\n"
    "                  \"popularity_ratio\": 1000, \"established_age\": \"365d\"},\n"
    "    \"unknown_package\": {\"action\": \"block\"},\n"
    "    \"min_version_age\": {\"action\": \"block\", \"age\": \"48h\"},\n"
    "    \"min_package_age\": {\"action\": \"warn\", \"age\": \"30d\"},\n"
    "    \"deprecated\": {\"action\": \"warn\"},\n"
    "    \"yanked\": {\"action\": \"warn\"},\n"
    "    \"quarantined\": {\"action\": \"block\"},\n"
    "    \"install_scripts\": {\"action\": \"warn\", \"allow\": []},\n"
    "    \"registry_signature\": {\"action\": \"block\", \"require_keys\": false},\n"
    "    \"provenance_downgrade\": {\"action\": \"block\"},\n"
    "    \"publisher_change\": {\"action\": \"warn\"},\n"
    "    \"integrity\": {\"action\": \"block\"},\n"
    "    \"index_confusion\": {\"action\": \"block\"},\n"
    "    \"provenance\": {\"action\": \"block\"}\n"
    "  }\n"
    "}\n";

const char *pg_policy_default_json(void)
{
    return default_policy;
}
