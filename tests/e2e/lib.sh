# tests/e2e/lib.sh - shared set-up for the end-to-end tests.
#
# Each test gets a private HOME, caches, audit log and a shim directory whose
# pip/pip3/npm/npx links point at the freshly built pkggate-shim, placed first
# on PATH exactly as install.sh does. Tests drive the real pip and npm.
set -euo pipefail

: "${PG_BUILD_DIR:?run through ctest, or set PG_BUILD_DIR}"
: "${PG_SOURCE_DIR:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
SHIM_BIN="$PG_BUILD_DIR/shim/pkggate-shim"
PKGGATE="$PG_BUILD_DIR/shim/pkggate"

T=$(mktemp -d "${TMPDIR:-/tmp}/pkggate-e2e.XXXXXX")
cleanup() {
    local pid
    for pid in ${PG_BG_PIDS:-}; do kill "$pid" 2>/dev/null || true; done
    # Reap them, so no fixture process outlives its test (e2e/no-leftovers).
    for pid in ${PG_BG_PIDS:-}; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$T"
}
trap cleanup EXIT

ORIG_PATH=$PATH
SHIMS="$T/shims"
mkdir -p "$SHIMS" "$T/home" "$T/work"
for t in pip pip3 npm npx; do ln -s "$SHIM_BIN" "$SHIMS/$t"; done

export HOME="$T/home"
export XDG_CONFIG_HOME="$T/home/.config" XDG_CACHE_HOME="$T/home/.cache"
export XDG_STATE_HOME="$T/home/.local/state"
export PKGGATE_AUDIT_LOG="$T/audit.jsonl"
export npm_config_cache="$T/npm-cache" npm_config_update_notifier=false
export npm_config_fund=false npm_config_audit=false
export PIP_CONFIG_FILE=/dev/null PIP_DISABLE_PIP_VERSION_CHECK=1
unset PIP_FIND_LINKS PIP_INDEX_URL PIP_EXTRA_INDEX_URL PIP_NO_INDEX PKGGATE_POLICY
unset PKGGATE_SEEN PKGGATE_TARGET NO_COLOR
export PATH="$SHIMS:$ORIG_PATH"
cd "$T/work"

fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }
pass() { printf 'ok: %s\n' "$*"; }
skip() { printf 'SKIP: %s\n' "$*"; exit 77; }

# expect_status WANT CMD... : run CMD, capture output in $OUT, check exit status.
expect_status() {
    local want=$1 got=0
    shift
    OUT=$("$@" 2>&1) || got=$?
    [ "$got" -eq "$want" ] || fail "'$*' exited $got, wanted $want; output:
$OUT"
}

expect_in() {
    case "$OUT" in *"$1"*) ;; *) fail "output lacks '$1':
$OUT" ;; esac
}

expect_not_in() {
    case "$OUT" in *"$1"*) fail "output has '$1':
$OUT" ;; esac
}

# wait_file FILE PID: until FILE is non-empty, PID dies, or 120 s pass. A
# busy machine can take seconds to start Python; a dead server ends the wait
# at once. Status 0 only when the file is there.
wait_file() {
    local _
    for _ in $(seq 1 2400); do
        [ -s "$1" ] && return 0
        kill -0 "$2" 2>/dev/null || break
        sleep 0.05
    done
    [ -s "$1" ]
}

# bg_start OUT ERR CMD...: CMD in the background (stdout to OUT, stderr to
# ERR), killed and reaped at exit; its pid in BG_PID. Called directly, not in
# $(...), so the pid reaches PG_BG_PIDS of this shell.
bg_start() {
    local out=$1 err=$2
    shift 2
    "$@" >"$out" 2>"$err" &
    BG_PID=$!
    PG_BG_PIDS="${PG_BG_PIDS:-} $BG_PID"
}

# trust_project: `pkggate policy trust` the .pkggate.json that applies here,
# for tests whose project file loosens the policy (allow, exceptions,
# typosquat.ignore, warn, off, a longer timeout) and is not what they test.
trust_project() { "$PKGGATE" policy trust >/dev/null; }

need() { command -v "$1" >/dev/null 2>&1 || skip "$1 not installed"; }

# A virtualenv (not activated) whose pip the shim finds first on PATH.
make_venv() {
    need python3
    python3 -m venv "$T/venv" >/dev/null 2>&1 || skip "python3 -m venv unavailable"
    export PATH="$SHIMS:$T/venv/bin:$ORIG_PATH"
    SITE=$("$T/venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
}

# start_registry [ARGS...]: the fixture registry on loopback; sets REG_PORT,
# REG_URL (npm registry), PYPI_URL (simple index) and REG_STATE.
# REG_FORGE=0 start_registry: no attestations at all, for tests of an installed
# (Release) pkggate, which trusts only the public-good Sigstore root and so
# rightly blocks the fixture's test-root bundles as invalid.
# start_fixture_registry VAR PACKAGES STATE: one more fixture registry
# serving the package files in PACKAGES (no attestations), its state in
# STATE; its port into VAR. Not run inside $(...): a subshell's pid list
# would not reach the cleanup.
start_fixture_registry() {
    need python3
    bg_start /dev/null "$3.err" python3 "$PG_SOURCE_DIR/tests/fixture/registry.py" \
        --packages "$2" --state "$3"
    wait_file "$3/port" "$BG_PID" || fail "fixture registry did not start: $(cat "$3.err")"
    printf -v "$1" '%s' "$(cat "$3/port")"
}

start_registry() {
    need python3
    need openssl
    REG_STATE="$T/registry"
    local forge=(--forge "$PG_BUILD_DIR/tests/pg_forge_sigstore")
    [ "${REG_FORGE:-1}" = 1 ] || forge=(--no-attestations)
    bg_start "$T/registry.out" "$T/registry.err" python3 "$PG_SOURCE_DIR/tests/fixture/registry.py" \
        --packages "$PG_SOURCE_DIR/tests/fixture/packages" --state "$REG_STATE" \
        "${forge[@]}" "$@"
    wait_file "$REG_STATE/port" "$BG_PID" || fail "fixture registry did not start: $(cat "$T/registry.err")"
    # Its attestations are signed under a test root: the test build trusts it.
    export PKGGATE_TEST_SIGSTORE_ROOT="$REG_STATE/sigstore-root.json"
    REG_PORT=$(cat "$REG_STATE/port")
    REG_URL="http://127.0.0.1:$REG_PORT/"
    PYPI_URL="http://127.0.0.1:$REG_PORT/simple"
}
