#!/usr/bin/env bash
# Runs after every e2e test (ctest FIXTURES_CLEANUP): fails if a fixture
# server (registry.py, faultreg.py, authproxy.py, policyserver.py, any
# process started from this tree's tests/) outlived the test that started it.
set -u
src=${PG_SOURCE_DIR:?}
# Fixture servers and helpers run from tests/fixture, tests/e2e and
# tests/diff; a fuzzer reading tests/fuzz/corpus at the same time is not one.
# Only this run's: a second run from the same tree (another build dir) is
# told apart by the PG_BUILD_DIR ctest gave its processes.
build=${PG_BUILD_DIR:-}
left=""
while read -r pid args; do
    [ -n "$build" ] && ! tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null |
        grep -qxF "PG_BUILD_DIR=$build" && continue
    left="$left$pid $args
"
done < <(ps -eo pid=,args= | grep -F -e "$src/tests/fixture/" -e "$src/tests/e2e/" -e "$src/tests/diff/" |
    grep -v -e grep -e no-leftovers.sh)
if [ -n "$left" ]; then
    printf 'FAIL: processes outlived their e2e test:\n%s\n' "$left" >&2
    exit 1
fi
echo "ok: no fixture process left behind"
