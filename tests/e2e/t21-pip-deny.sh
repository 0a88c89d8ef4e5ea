#!/usr/bin/env bash
# A PyPI package on the deny list is blocked before pip starts; a local wheel
# installs for real.
. "$(dirname "$0")/lib.sh"
make_venv

echo '{"deny": ["pkg:pypi/Requests"]}' >.pkggate.json
expect_status 10 pip install requests==2.31.0
expect_in "blocked pypi requests"
[ ! -e "$SITE/requests" ] || fail "requests appeared in site-packages"
pass "denied package blocked (PEP 503 names: Requests == requests)"

# Through a requirements file, with the name spelled differently.
printf '# deps\nREQUESTS[socks] >= 2.0 ; python_version > "3"\n' >requirements.txt
expect_status 10 pip install -r requirements.txt
expect_in "blocked pypi REQUESTS"
PIP_REQUIREMENT=requirements.txt expect_status 10 pip install
expect_in "blocked pypi REQUESTS"
pass "requirements file checked (also through PIP_REQUIREMENT)"

# A local wheel installs for real.
whl=$(python3 "$PG_SOURCE_DIR/tests/e2e/mkwheel.py" localwheel 1.0 "$T")
expect_status 0 pip install --no-index "$whl"
expect_in "non_registry_source"
[ -f "$SITE/localwheel/__init__.py" ] || fail "localwheel not installed"
pass "local wheel installed"

# pip list passes straight through.
expect_status 0 pip list
expect_in "localwheel"
pass "pip list passes through"
