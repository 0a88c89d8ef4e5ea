#!/usr/bin/env bash
#
# selftest_layering.sh - check_layering.sh must catch each kind of violation.
#
# Builds a small tree in a temporary directory: a clean one first (must
# pass), then one broken copy per rule (each must fail and name the file).
# A checker that passes everything would otherwise go unnoticed.
set -u
export LC_ALL=C

here=$(cd "$(dirname "$0")" && pwd)
check="$here/check_layering.sh"
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
failures=0

# A clean miniature of the real layout.
mk_clean() {
    local t=$1
    mkdir -p "$t"/lib/{core,version,npm,pypi,eco,crypto,names} "$t"/policy "$t"/shim/cli
    cat >"$t/CMakeLists.txt" <<'EOF'
pg_folder_library(pg_core lib/core PkgConfig::CURL)
pg_folder_library(pg_crypto lib/crypto pg_core)
pg_folder_library(pg_version lib/version pg_core)
pg_folder_library(pg_npm lib/npm pg_version)
pg_folder_library(pg_pypi lib/pypi pg_version)
pg_folder_library(pg_names lib/names pg_core pg_data)
pg_folder_library(pg_eco lib/eco pg_npm pg_pypi pg_crypto)
pg_folder_library(pg_policy policy pg_eco pg_names)
EOF
    printf '#include <stddef.h>\nint pg_util_x(void);\n' >"$t/lib/core/pg_util.h"
    printf '#include "pg_util.h"\nint pg_util_x(void)\n{\n    return 0;\n}\n' >"$t/lib/core/pg_util.c"
    printf '#include "pg_req.h"\n' >"$t/lib/core/pg_cmd.h"
    printf 'struct pg_tool;\n' >"$t/lib/core/pg_tool.h"
    printf 'struct pg_req;\n' >"$t/lib/core/pg_req.h"
    printf '/* bans */\n' >"$t/lib/core/banned.h"
    printf '#include "pg_util.h"\nint pg_semver_y(void);\n' >"$t/lib/version/pg_semver.h"
    printf '#include "pg_semver.h"\nint pg_semver_y(void)\n{\n    return pg_util_x();\n}\n' \
        >"$t/lib/version/pg_semver.c"
    printf '#include "pg_semver.h"\n' >"$t/lib/npm/pg_npmrc.h"
    printf '#include "pg_util.h"\n' >"$t/lib/crypto/pg_sri.h"
    printf '#include "pg_npmrc.h"\n#include "pg_sri.h"\n' >"$t/lib/eco/pg_registry.h"
    printf '#include "pg_registry.h"\n' >"$t/policy/pg_decide.h"
    printf '#include "pg_tool.h"\n' >"$t/shim/pg_route.h"
    printf '#include <stdio.h>\n#include <sys/stat.h>\n#include "pg_tool.h"\n#include "banned.h"\n' \
        >"$t/shim/shim.c"
    printf '#include "pg_decide.h"\n#include "pg_route.h"\n#include <jansson.h>\n' \
        >"$t/shim/cli/cmd_run.c"
}

# expect NAME PATTERN: the broken tree in $tmp/NAME must fail, saying PATTERN.
expect() {
    local name=$1 pattern=$2 out
    out=$(bash "$check" "$tmp/$name" 2>&1)
    if [ $? -ne 1 ]; then
        echo "FAIL $name: check_layering.sh did not fail"
        echo "$out" | sed 's/^/    /'
        failures=$((failures + 1))
    elif ! grep -qE -- "$pattern" <<<"$out"; then
        echo "FAIL $name: output lacks /$pattern/"
        echo "$out" | sed 's/^/    /'
        failures=$((failures + 1))
    else
        echo "ok   $name"
    fi
}

broken() {
    mk_clean "$tmp/$1"
}

mk_clean "$tmp/clean"
if out=$(bash "$check" "$tmp/clean" 2>&1); then
    echo "ok   clean"
else
    echo "FAIL clean: a clean tree was refused"
    echo "$out" | sed 's/^/    /'
    failures=$((failures + 1))
fi

broken lib-policy
printf '#include "pg_decide.h"\n' >>"$tmp/lib-policy/lib/eco/pg_registry.h"
expect lib-policy 'lib/eco/pg_registry.h:3: lib/ must not include policy/'

broken lib-shim
printf '#include "pg_route.h"\n' >>"$tmp/lib-shim/lib/eco/pg_registry.h"
expect lib-shim 'lib/eco/pg_registry.h:3: lib/ must not include shim/'

broken policy-shim
printf '#include "pg_route.h"\n' >>"$tmp/policy-shim/policy/pg_decide.h"
expect policy-shim 'policy/pg_decide.h:2: policy/ must not include shim/'

broken core-up
printf '#include "pg_semver.h"\n' >>"$tmp/core-up/lib/core/pg_util.c"
expect core-up 'lib/core/pg_util.c:6: lib/core/ \(pg_core\) may not include "pg_semver.h" from lib/version/'

broken npm-pypi
printf 'int pg_pep508_z(void);\n' >"$tmp/npm-pypi/lib/pypi/pg_pep508.h"
printf '#include "pg_pep508.h"\n' >>"$tmp/npm-pypi/lib/npm/pg_npmrc.h"
expect npm-pypi 'lib/npm/pg_npmrc.h:2: .*may not include "pg_pep508.h" from lib/pypi/'

broken crypto-version
printf '#include "pg_semver.h"\n' >>"$tmp/crypto-version/lib/crypto/pg_sri.h"
expect crypto-version 'lib/crypto/pg_sri.h:2: lib/crypto/ .*from lib/version/'

broken shim-lib
printf '#include "pg_util.h"\n' >>"$tmp/shim-lib/shim/shim.c"
expect shim-lib 'shim/shim.c:5: pkggate-shim is libc only, but this includes "pg_util.h"'

broken shim-cli
printf 'int pg_gate_q(void);\n' >"$tmp/shim-cli/shim/cli/pg_gate.h"
printf '#include "pg_gate.h"\n' >>"$tmp/shim-cli/shim/pg_route.h"
expect shim-cli 'shim/pg_route.h:2: pkggate-shim is libc only.*shim/cli/pg_gate.h'

broken shim-angle
printf '#include <sodium.h>\n' >>"$tmp/shim-angle/shim/shim.c"
expect shim-angle 'shim/shim.c:5: pkggate-shim is libc only, but this includes <sodium.h>'

broken header-cycle
printf '#include "pg_b.h"\n' >"$tmp/header-cycle/lib/core/pg_a.h"
printf '#include "pg_a.h"\n' >"$tmp/header-cycle/lib/core/pg_b.h"
expect header-cycle 'circle: lib/core/pg_(a|b).h lib/core/pg_(a|b).h need each other'

broken file-cycle
cat >"$tmp/file-cycle/lib/npm/pg_npmrc_int.h" <<'EOF'
#include "pg_npmrc.h"
int pg_npmrc_build(void); /* pg_npmrc_auth.c */
int pg_npmrc_kv_get(void); /* pg_npmrc.c */
EOF
printf '#include "pg_npmrc_int.h"\nint pg_npmrc_kv_get(void)\n{\n    return 1;\n}\nstatic int f(void)\n{\n    return pg_npmrc_build();\n}\n' \
    >"$tmp/file-cycle/lib/npm/pg_npmrc.c"
printf '#include "pg_npmrc_int.h"\nint pg_npmrc_build(void)\n{\n    return pg_npmrc_kv_get();\n}\n' \
    >"$tmp/file-cycle/lib/npm/pg_npmrc_auth.c"
expect file-cycle 'lib/npm/pg_npmrc_auth.c uses pg_npmrc_kv_get defined in lib/npm/pg_npmrc.c'

# Only a real use counts: a name in a comment or a string is no edge, and
# a file that defines the name itself (static) does not use the other one.
broken no-cycle
printf '#include "pg_util.h"\n/* see pg_semver_y() */\nstatic const char *s = "pg_semver_y";\nstatic int pg_semver_y(void)\n{\n    return 0;\n}\n' \
    >>"$tmp/no-cycle/lib/core/pg_util.c"
if out=$(bash "$check" "$tmp/no-cycle" 2>&1); then
    echo "ok   no-cycle"
else
    echo "FAIL no-cycle: comment, string or static name taken for a use"
    echo "$out" | sed 's/^/    /'
    failures=$((failures + 1))
fi

broken too-long
for i in $(seq 601); do echo "/* $i */"; done >"$tmp/too-long/policy/pg_long.c"
expect too-long 'policy/pg_long.c: 601 lines, over the 600-line limit'

if [ "$failures" -ne 0 ]; then
    echo "selftest_layering: $failures case(s) failed"
    exit 1
fi
echo "selftest_layering: all cases passed"
