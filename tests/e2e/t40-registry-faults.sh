#!/usr/bin/env bash
# A registry that misbehaves, through the real `pkggate check` and once
# through the real npm via the shim. Each fault must give one line naming
# its cause, block under the default policy (what cannot be decided is
# blocked), pass with {"undecidable": "warn"}, never crash (the suite runs
# under ASan/UBSan: a crash is a status other than 10 or 0) and install
# nothing. The faults come from faultreg.py (faultserver.py's behaviours
# named as npm packages).
. "$(dirname "$0")/lib.sh"
need python3
need openssl

# start_faultreg VAR [--tls CERT KEY]: a fault registry; its port into VAR.
start_faultreg() {
    local var=$1 out="$T/faultreg-$1.port"
    shift
    bg_start "$out" "$T/faultreg-$var.err" python3 "$PG_SOURCE_DIR/tests/e2e/faultreg.py" "$@"
    wait_file "$out" "$BG_PID" || fail "faultreg.py did not start: $(cat "$T/faultreg-$var.err")"
    printf -v "$var" '%s' "$(head -n1 "$out")"
}

# sane: the output is whole lines from pkggate, nothing from a sanitizer.
sane() {
    case "$OUT" in
    *AddressSanitizer* | *"runtime error"* | *LeakSanitizer* | *"Segmentation fault"*)
        fail "sanitizer or crash output:
$OUT" ;;
    esac
}

# one_line NAME CAUSE: exactly one verdict line, naming the package and CAUSE.
one_line() {
    local n
    n=$(printf '%s\n' "$OUT" | grep -c "^pkggate: \(blocked\|warning\) npm $1[:@]" || true)
    [ "$n" -eq 1 ] || fail "$1: wanted one verdict line, got $n:
$OUT"
    printf '%s\n' "$OUT" | grep "^pkggate: \(blocked\|warning\) npm $1[:@]" | grep -qi -- "$2" ||
        fail "$1: the verdict line does not name the cause '$2':
$OUT"
}

# Timeouts: a busy 2-core machine can take seconds to start a sanitized
# pkggate, so only the hanging registry gets a short timeout; every other
# fault runs under a generous one and must fail on its own cause, not on
# the clock. The hang's bound (HANG_BOUND_MS) proves the timeout ends it
# (the server sleeps an hour) without betting on how loaded the machine is.
SLOW=60s
HANG_BOUND_MS=60000

# fault NAME CAUSE [TIMEOUT]: blocked by default, a warning with
# "undecidable": "warn".
fault() {
    local name=$1 cause=$2 timeout=${3:-$SLOW} t0 t1
    printf '{"timeout": "%s"}\n' "$timeout" >.pkggate.json
    trust_project
    t0=$(date +%s%N)
    expect_status 10 "$PKGGATE" check --ecosystem npm "$name"
    t1=$(date +%s%N)
    sane
    one_line "$name" "$cause"
    expect_in "[undecidable]"
    [ $(((t1 - t0) / 1000000)) -lt "$HANG_BOUND_MS" ] ||
        fail "$name: took $(((t1 - t0) / 1000000)) ms with a $timeout timeout"
    printf '{"timeout": "%s", "undecidable": "warn"}\n' "$timeout" >.pkggate.json
    trust_project
    expect_status 0 "$PKGGATE" check --ecosystem npm "$name"
    sane
    one_line "$name" "$cause"
    expect_in "warning npm $name"
    pass "$name: blocked, allowed with a warning under \"undecidable\": \"warn\"; ${OUT%%$'\n'*}"
}

start_faultreg FPORT
export npm_config_registry="http://127.0.0.1:$FPORT/"
mkdir -p app
cd app || fail "no app directory"
echo '{"name":"app","version":"1.0.0"}' >package.json

# The control: the same registry answers a sane packument, and it passes.
printf '{"timeout": "%s"}\n' "$SLOW" >.pkggate.json
trust_project
expect_status 0 "$PKGGATE" check --ecosystem npm pgfault-ok
sane
pass "control: pgfault-ok allowed"

# 404 is an answer, not a failure: the unknown_package rule blocks it,
# whatever "undecidable" says.
expect_status 10 "$PKGGATE" check --ecosystem npm pgfault-nonesuch
sane
one_line pgfault-nonesuch "unknown_package"
printf '{"undecidable": "warn"}\n' >.pkggate.json
trust_project
expect_status 10 "$PKGGATE" check --ecosystem npm pgfault-nonesuch
one_line pgfault-nonesuch "unknown_package"
pass "404: unknown_package blocks under either undecidable setting"

fault pgfault-500 "HTTP 500"
fault pgfault-hang "timed out" 2s
fault pgfault-cut "truncated"
fault pgfault-halfjson "not valid JSON"
fault pgfault-badutf8 "unable to decode byte 0xc3"
fault pgfault-big "larger than 64 MiB"
fault pgfault-bigstream "larger than 64 MiB"
fault pgfault-gzipbomb "larger than 64 MiB"
fault pgfault-away "refusing plain http to 'registry.example.invalid'"
fault pgfault-loop "redirects"

# TLS: a certificate from a CA nobody here trusts.
mkdir -p "$T/ca"
sh "$PG_SOURCE_DIR/tests/fixture/mkca.sh" "$T/ca"
start_faultreg TPORT --tls "$T/ca/server.pem" "$T/ca/server.key"
export npm_config_registry="https://127.0.0.1:$TPORT/"
unset PIP_CERT SSL_CERT_FILE CURL_CA_BUNDLE npm_config_cafile || true
fault pgfault-ok "certificate"
export npm_config_registry="http://127.0.0.1:$FPORT/"

# Through npm: one sane package beside two faults, all fetched together.
# npm must not run at all, so nothing is installed and no lock file written.
need npm
printf '{"timeout": "5s"}\n' >.pkggate.json
# 5 s covers the hang; the sane package and the 500 answer in milliseconds
# even on a loaded machine, because the three are fetched in parallel.
t0=$(date +%s%N)
expect_status 10 npm install --no-audit --no-fund pgfault-ok pgfault-500 pgfault-hang
t1=$(date +%s%N)
sane
one_line pgfault-500 "HTTP 500"
one_line pgfault-hang "timed out"
case "$OUT" in *"npm pgfault-ok"*) fail "pgfault-ok got a verdict line:
$OUT" ;; esac
[ $(((t1 - t0) / 1000000)) -lt "$HANG_BOUND_MS" ] || fail "npm install took $(((t1 - t0) / 1000000)) ms"
[ ! -e node_modules ] || fail "node_modules appeared although blocked"
[ ! -e package-lock.json ] || fail "package-lock.json appeared although blocked"
printf "%s\n" "$OUT" | sed "s/^/  /"
pass "npm install with faults: blocked within the timeout, nothing installed"
