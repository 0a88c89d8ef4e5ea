#!/usr/bin/env bash
# The registry rules through the real pip against the fixture index.
. "$(dirname "$0")/lib.sh"
make_venv
start_registry

expect_status 10 pip install --index-url "$PYPI_URL" requests-mini
expect_in "blocked pypi requests-mini@2.32.0"
expect_in "pip install -i $PYPI_URL 'requests-mini==2.31.0'"
[ ! -e "$SITE/requests_mini" ] || fail "requests-mini appeared although blocked"
pass "too-young version blocked with the pin suggestion"

expect_status 0 pip install --index-url "$PYPI_URL" 'requests-mini==2.31.0'
[ -f "$SITE/requests_mini/__init__.py" ] || fail "requests-mini 2.31.0 not installed"
pass "the pinned old-enough version installs"

PIP_INDEX_URL="$PYPI_URL" expect_status 0 "$PKGGATE" check --ecosystem pypi 'requests-mini==2.31'
pass "a pin is matched by PEP 440 equality (==2.31 is 2.31.0)"

PIP_INDEX_URL="$PYPI_URL" expect_status 10 pip install no-such-project-here
expect_in "unknown_package"
pass "nonexistent project blocked (PIP_INDEX_URL honoured)"

PIP_INDEX_URL="$PYPI_URL" expect_status 10 pip install quarantined-pkg
expect_in "quarantined"
pass "quarantined project blocked"
