#!/usr/bin/env bash
# The bash completion, unit-style: source it, set COMP_WORDS/COMP_CWORD,
# call _pkggate, check COMPREPLY. Also that every completion file and the
# man page name exactly the rules of policy/pg_rules.def.
set -euo pipefail
: "${PG_SOURCE_DIR:?}"
fails=0
fail() { printf 'FAIL: %s\n' "$*" >&2; fails=$((fails + 1)); }

complete() { :; } # outside an interactive shell; the function is what we test
# shellcheck source=/dev/null
. "$PG_SOURCE_DIR/completion/pkggate.bash"

# comp "WORDS..." CWORD: COMPREPLY as one sorted line.
comp() {
    read -r -a COMP_WORDS <<<"$1"
    [ "${1: -1}" = " " ] && COMP_WORDS+=("")
    COMP_CWORD=$2
    _pkggate
    printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ' | sed 's/ $//'
}
expect() {
    local got
    got=$(comp "$1" "$2")
    [ "$got" = "$3" ] || fail "'$1' [$2]: got '$got', wanted '$3'"
}

expect "pkggate " 1 "--help --version allow check doctor explain policy report run trust-root"
expect "pkggate trust-root " 2 "show update"
expect "pkggate trust-root update --r" 3 "--root"
expect "pkggate report --since " 3 "24h 30d 7d all"
expect "pkggate ex" 1 "explain"
expect "pkggate policy " 2 "keygen show sign trust untrust verify"
expect "pkggate check --ecosystem " 3 "npm pypi"
expect "pkggate check --n" 2 "--names-only"
expect "pkggate run --j" 2 "--json --json-out"
expect "pkggate run -- n" 3 "npm npx"
expect "pkggate run -- npm " 4 ""
expect "pkggate allow --rule min_v" 3 "min_version_age"
expect "pkggate allow pkg:n" 2 "pkg:npm/"
expect "pkggate allow --p" 2 "--project"

rules=$(sed -n 's/^PG_RULE([A-Z_]*, "\([a-z_]*\)".*/\1/p' "$PG_SOURCE_DIR/policy/pg_rules.def" | sort)
[ -n "$rules" ] || fail "no rules read from pg_rules.def"
for f in completion/pkggate.bash completion/_pkggate completion/pkggate.fish doc/pkggate-policy.5; do
    for r in $rules; do
        grep -qw "$r" "$PG_SOURCE_DIR/$f" || fail "$f does not name the rule $r"
    done
done
for sub in allow check doctor explain policy run trust-root; do
    for f in completion/pkggate.bash completion/_pkggate completion/pkggate.fish doc/pkggate.1; do
        grep -q "$sub" "$PG_SOURCE_DIR/$f" || fail "$f does not name the command $sub"
    done
done
[ "$fails" -eq 0 ] || exit 1
echo "ok: bash completion and the rule and command lists"
