#!/usr/bin/env bash
# pip settings that change which version pip installs, wherever pip reads
# them (argv, PIP_* variables, pip.conf, requirement files): pkggate must
# judge the version pip will really take, or refuse to guess.
. "$(dirname "$0")/lib.sh"
make_venv
start_registry
export PIP_INDEX_URL="$PYPI_URL"
echo '{"rules": {"typosquat": {"ignore": ["pkg:pypi/*"]}}}' >.pkggate.json
trust_project
conf() { printf '%s\n' "$@" >"$T/pip.conf"; }
gone() { pip uninstall -y "$@" >/dev/null 2>&1 || true; }

# 1. prereleases: PIP_PRE and pip.conf pre, as pip's strtobool reads them.
PIP_PRE=1 expect_status 10 pip install rc-pkg
expect_in "rc-pkg@1.1.0rc1"
[ ! -e "$SITE/rc_pkg" ] || fail "rc-pkg installed"
pass "PIP_PRE=1: the hour-old release candidate is what is judged"
PIP_PRE=no expect_status 0 pip install rc-pkg
grep -q '"1.0.0"' "$SITE/rc_pkg/__init__.py" || fail "PIP_PRE=no installed another rc-pkg"
gone rc-pkg
pass "PIP_PRE=no: the final release"
for sect in install global; do
    conf "[$sect]" "pre = true"
    PIP_CONFIG_FILE="$T/pip.conf" expect_status 10 pip install rc-pkg
    expect_in "rc-pkg@1.1.0rc1"
done
pass "pip.conf [install]/[global] pre = true"

# 2. find-links: a local wheel newer than the index's release. pip takes
# it, with whatever its own metadata requires; pkggate reads no local
# file, so what it pulls in is undecidable (the policy's "undecidable"),
# never the index release's dependencies.
mkdir -p "$T/links"
python3 "$PG_SOURCE_DIR/tests/e2e/mkwheel.py" fl-pkg 9.9.9 "$T/links" >/dev/null
expect_status 10 pip install -f "$T/links" fl-pkg
expect_in "non_registry_source"
expect_in "[undecidable] pypi fl-pkg==9.9.9 (fl-pkg): pip may take it from the find-links file"
[ ! -e "$SITE/fl_pkg" ] || fail "fl-pkg installed although its dependencies are undecidable"
pass "-f DIR: the local 9.9.9's dependencies are undecidable (blocked by default)"
echo '{"undecidable": "warn", "rules": {"typosquat": {"ignore": ["pkg:pypi/*"]}}}' >.pkggate.json
trust_project
expect_status 0 pip install -f "$T/links" fl-pkg
expect_in "non_registry_source"
expect_in "fl_pkg-9.9.9-py3-none-any.whl"
expect_in "newer than the index"
gone fl-pkg
pass "-f DIR: the local 9.9.9 is named as a non-registry source"
PIP_FIND_LINKS="$T/links" expect_status 0 pip install fl-pkg
expect_in "fl_pkg-9.9.9-py3-none-any.whl"
gone fl-pkg
conf "[global]" "find-links = $T/links"
PIP_CONFIG_FILE="$T/pip.conf" expect_status 0 pip install fl-pkg
expect_in "fl_pkg-9.9.9-py3-none-any.whl"
gone fl-pkg
printf -- '-f links\nfl-pkg\n' >"$T/fl-req.txt"
expect_status 0 pip install -r "$T/fl-req.txt"
expect_in "fl_pkg-9.9.9-py3-none-any.whl"
gone fl-pkg
pass "PIP_FIND_LINKS, pip.conf find-links and -f in a requirements file likewise"
echo '{"undecidable": "warn", "rules": {"non_registry_source": {"action": "block"}, "typosquat": {"ignore": ["pkg:pypi/*"]}}}' >.pkggate.json
trust_project
expect_status 10 pip install -f "$T/links" fl-pkg
expect_in "[non_registry_source]"
[ ! -e "$SITE/fl_pkg" ] || fail "fl-pkg installed although blocked"
echo '{"rules": {"typosquat": {"ignore": ["pkg:pypi/*"]}}}' >.pkggate.json
pass "non_registry_source: block stops the find-links wheel"

# 3. pip.conf requirement = FILE (relative to the working directory).
echo requests-mini >"$T/work/r.txt"
conf "[install]" "requirement = r.txt"
PIP_CONFIG_FILE="$T/pip.conf" expect_status 10 pip install
expect_in "requests-mini@2.32.0"
[ ! -e "$SITE/requests_mini" ] || fail "requests-mini installed"
pass "pip.conf requirement = r.txt is read"

# 4. requires-python: 2.0.0 needs Python 4, so pip takes the hour-old 1.1.0.
expect_status 10 pip install py-gated
expect_in "py-gated@1.1.0"
[ ! -e "$SITE/py_gated" ] || fail "py-gated installed"
pass "requires-python of the real pip's interpreter decides the version"

# 5. constraints and binary formats.
echo 'rc-pkg==1.1.0rc1' >"$T/c.txt"
expect_status 10 pip install -c "$T/c.txt" rc-pkg
expect_in "rc-pkg@1.1.0rc1"
PIP_CONSTRAINT="$T/c.txt" expect_status 10 pip install rc-pkg
expect_in "rc-pkg@1.1.0rc1"
conf "[install]" "constraint = $T/c.txt"
PIP_CONFIG_FILE="$T/pip.conf" expect_status 10 pip install rc-pkg
expect_in "rc-pkg@1.1.0rc1"
[ ! -e "$SITE/rc_pkg" ] || fail "rc-pkg installed"
pass "constraints (-c, PIP_CONSTRAINT, pip.conf constraint) narrow the pick"
expect_status 10 pip install --prefer-binary bin-pkg
expect_in "bin-pkg@1.5.0"
expect_status 10 pip install --only-binary :all: bin-pkg
expect_in "bin-pkg@1.5.0"
PIP_ONLY_BINARY=bin-pkg expect_status 10 pip install bin-pkg
expect_in "bin-pkg@1.5.0"
conf "[install]" "prefer-binary = yes"
PIP_CONFIG_FILE="$T/pip.conf" expect_status 10 pip install bin-pkg
expect_in "bin-pkg@1.5.0"
[ ! -e "$SITE/bin_pkg" ] || fail "bin-pkg installed"
pass "--prefer-binary / --only-binary pick the newest wheel"

# 6. a setting pkggate does not model: unknown_arguments, named with its place.
PIP_PLATFORM=manylinux2014_x86_64 expect_status 10 pip install requests-mini==2.31.0
expect_in "unknown_arguments"
expect_in "PIP_PLATFORM"
conf "[install]" "ignore-requires-python = true"
PIP_CONFIG_FILE="$T/pip.conf" expect_status 10 pip install requests-mini==2.31.0
expect_in "ignore-requires-python"
expect_in "$T/pip.conf"
expect_status 10 pip install --python-version 3.7 --only-binary :all: --target "$T/tgt" \
    requests-mini==2.31.0
expect_in "--python-version"
conf "[install]" "timeout = 30" "no-cache-dir = true"
PIP_CONFIG_FILE="$T/pip.conf" expect_status 0 pip install requests-mini==2.31.0
pass "settings pkggate does not model follow unknown_arguments; harmless ones pass"
