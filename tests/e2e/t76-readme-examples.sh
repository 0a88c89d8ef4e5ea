#!/usr/bin/env bash
# README examples cannot drift: every fenced block between
# "<!-- readme-example" and "<!-- /readme-example -->" in README.md holds
# "$ COMMAND" and then the exact "pkggate:" lines it prints. Each command
# runs in a fresh project against the fixture registry (npm and PyPI), and
# the pkggate lines it prints must be those lines, in order.
. "$(dirname "$0")/lib.sh"
need npm
start_registry
export npm_config_registry="$REG_URL" PIP_INDEX_URL="$PYPI_URL"

python3 - "$PG_SOURCE_DIR/README.md" "$T/examples" <<'PY'
import os, re, sys
text = open(sys.argv[1], encoding="utf-8").read()
blocks = re.findall(r"<!-- readme-example.*?-->\s*```[a-z]*\n(.*?)```\s*<!-- /readme-example -->",
                    text, re.S)
if not blocks:
    sys.exit("no readme-example blocks in README.md")
os.makedirs(sys.argv[2])
for i, b in enumerate(blocks):
    lines = b.rstrip("\n").split("\n")
    assert lines[0].startswith("$ "), "example %d does not start with '$ '" % i
    open(os.path.join(sys.argv[2], "%02d.cmd" % i), "w").write(lines[0][2:] + "\n")
    open(os.path.join(sys.argv[2], "%02d.want" % i), "w").write("\n".join(lines[1:]) + "\n")
PY

n=0
for cmd in "$T"/examples/*.cmd; do
    want=${cmd%.cmd}.want
    dir="$T/ex$n" && mkdir -p "$dir" && cd "$dir"
    echo '{"name": "app", "version": "1.0.0"}' >package.json
    rm -rf "$XDG_STATE_HOME/pkggate/once"
    # The README shows commands as a person types them: through the shims.
    got=$(PKGGATE_BIN="$PKGGATE" bash -c "pkggate() { \"\$PKGGATE_BIN\" \"\$@\"; }; $(cat "$cmd")" 2>&1 |
        grep '^pkggate:' || true)
    [ "$got" = "$(cat "$want")" ] || fail "README example '$(cat "$cmd")' drifted:
--- README.md
$(cat "$want")
--- pkggate
$got"
    n=$((n + 1))
done
pass "$n README examples print what README.md says"
