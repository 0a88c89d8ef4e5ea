#!/usr/bin/env bash
# npm's engines and pip's requires-python depend on the node and python the
# tool runs on. When the npm or pip pkggate would exec names no such
# interpreter (a wrapper script, a version manager's shim), the node or
# python3 PATH finds is asked, as npm-cli.js's `#!/usr/bin/env node` would
# find it. Without that, pkggate judged the newest version while the tool
# installed an older one: here the older one is the one the policy refuses.
. "$(dirname "$0")/lib.sh"
need npm
need node
make_venv
start_registry

# Wrappers that run the real tools, as a version manager's shim does.
real_npm=$(PATH="$ORIG_PATH" command -v npm)
printf '#!/bin/sh\nexec "%s" "$@"\n' "$real_npm" >"$T/npm-wrap"
printf '#!/bin/sh\nexec "%s" -m pip "$@"\n' "$T/venv/bin/python" >"$T/pip-wrap"
chmod +x "$T/npm-wrap" "$T/pip-wrap"

mkdir -p proj && cd proj
echo '{"name":"proj","version":"1.0.0"}' >package.json
echo '{"rules": {"typosquat": {"ignore": ["pkg:npm/*", "pkg:pypi/*"]}},
       "deny": ["pkg:pypi/needs-future-python@1.0.0"]}' >.pkggate.json
trust_project

# engine-lib: latest 2.0.0 needs node >=99; npm on this node takes 1.1.0,
# two hours old, which min_version_age blocks.
export npm_config_registry="$REG_URL" npm_config_ignore_scripts=true
PKGGATE_REAL_NPM="$T/npm-wrap" expect_status 10 npm install engine-lib
expect_in "engine-lib@1.1.0"
[ ! -e node_modules/engine-lib ] || fail "engine-lib installed"
pass "npm behind a wrapper: engines judged against the node on PATH"

# needs-future-python: 2.0.0 requires Python >=4; pip takes 1.0.0, denied here.
PKGGATE_REAL_PIP="$T/pip-wrap" expect_status 10 pip install --index-url "$PYPI_URL" \
    needs-future-python
expect_in "needs-future-python@1.0.0"
[ ! -e "$SITE/needs_future_python" ] || fail "needs-future-python installed"
pass "pip behind a wrapper: requires-python judged against the python3 on PATH"
