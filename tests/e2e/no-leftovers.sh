#!/usr/bin/env bash
# Runs after every e2e test (ctest FIXTURES_CLEANUP): fails if a fixture
# server (registry.py, faultreg.py, authproxy.py, policyserver.py, any
# process started from this tree's tests/) outlived the test that started it.
set -u
src=${PG_SOURCE_DIR:?}
# Fixture servers and helpers run from tests/fixture, tests/e2e and
# tests/diff; a fuzzer reading tests/fuzz/corpus at the same time is not one.
left=$(ps -eo pid=,args= | grep -F -e "$src/tests/fixture/" -e "$src/tests/e2e/" -e "$src/tests/diff/" |
    grep -v -e grep -e no-leftovers.sh || true)
if [ -n "$left" ]; then
    printf 'FAIL: processes outlived their e2e test:\n%s\n' "$left" >&2
    exit 1
fi
echo "ok: no fixture process left behind"
