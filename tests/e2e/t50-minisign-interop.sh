#!/usr/bin/env bash
# t50-minisign-interop: `pkggate policy keygen|sign|verify` speaks minisign.
#
# A policy signed by the real minisign verifies in pkggate, one signed by
# pkggate verifies in minisign, keys move both ways (encrypted or not), and
# every forgery in tests/vectors/minisign fails in both tools. Exit codes are
# minisign's: verify 0 only for a good signature, 1 not verified, 2 errors.
#
# Runs `pkggate policy` when the program is built; until then the unit test
# binary's driver mode (test_minisign --cli), which compiles the same CLI.
# Skipped (77) only when minisign is not installed, after the pkggate-only
# checks have run.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

VEC="$PG_SOURCE_DIR/tests/vectors/minisign"
if "$PKGGATE" policy verify -h >/dev/null 2>&1; then
    PG=("$PKGGATE" policy)
elif [ -x "$PG_BUILD_DIR/tests/test_minisign" ]; then
    PG=("$PG_BUILD_DIR/tests/test_minisign" --cli)
else
    fail "neither pkggate nor tests/test_minisign is built"
fi
HAVE_MINISIGN=0
command -v minisign >/dev/null 2>&1 && HAVE_MINISIGN=1

pg() { "${PG[@]}" "$@"; }
# expect STATUS cmd...: run cmd (output to $T/out) and require its exit status.
expect() {
    local want=$1 rc=0
    shift
    "$@" >"$T/out" 2>&1 </dev/null || rc=$?
    [ "$rc" = "$want" ] || fail "exit $rc, want $want: $* -- $(head -c 400 "$T/out")"
}
has() { grep -qF -- "$1" "$T/out" || fail "output lacks '$1': $(head -c 400 "$T/out")"; }

# 1. Every vector: pkggate's verdict, and minisign's when it is here.
n=0
while read -r want sig msg pub reason; do
    case $want in ''|'#'*) continue ;; esac
    code=0
    [ "$want" = ok ] || code=1
    expect "$code" pg verify -p "$VEC/$pub" -m "$VEC/$msg" -x "$VEC/$sig"
    [ -z "$reason" ] || has "$reason"
    if [ "$HAVE_MINISIGN" = 1 ]; then
        rc=0
        minisign -V -q -p "$VEC/$pub" -m "$VEC/$msg" -x "$VEC/$sig" >/dev/null 2>&1 || rc=$?
        if [ "$want" = ok ]; then [ "$rc" = 0 ]; else [ "$rc" != 0 ]; fi ||
            fail "minisign disagrees on $sig/$msg/$pub (exit $rc, want $want)"
    fi
    n=$((n + 1))
done <"$VEC/MANIFEST"
[ "$n" -ge 24 ] || fail "only $n vector cases"
pass "$n vectors: good ones verify, forgeries fail"

# 2. The CLI on its own: keys, refusal to overwrite, exit codes.
cd "$T/work"
printf '{"version": 1, "serial": 3}\n' >policy.json
expect 0 pg keygen -W -p org.pub -s org.key
[ "$(stat -c %a org.key)" = 600 ] || fail "secret key mode $(stat -c %a org.key)"
cp org.key before.key
expect 2 pg keygen -W -p org.pub -s org.key
has "already exists"
cmp -s org.key before.key || fail "keygen without -f replaced the secret key"
expect 0 pg keygen -W -f -p org.pub -s org.key
expect 0 pg sign -s org.key -m policy.json --serial 3 --expires 2027-06-30
expect 0 pg verify -Q -p org.pub -m policy.json
has $'\tfile:policy.json\tserial:3\texpires:2027-06-30\thashed'
expect 0 pg verify -q -P "$(sed -n 2p org.pub)" -m policy.json -x policy.json.minisig
[ ! -s "$T/out" ] || fail "-q printed: $(cat "$T/out")"
expect 1 pg verify -p "$VEC/key.pub" -m policy.json
has "not verified: signed by key"
cp policy.json good.json
printf '{"version": 1, "serial": 4}\n' >policy.json
expect 1 pg verify -p org.pub -m policy.json
cp good.json policy.json
expect 2 pg verify -p org.pub -m missing.json
expect 2 pg verify -p org.pub -P "$(sed -n 2p org.pub)" -m policy.json
expect 2 pg verify -P 'RWQ!!' -m policy.json
expect 2 pg verify -p org.pub -m policy.json stray
expect 2 pg sign -s org.key -m policy.json --serial -1
expect 2 pg sign -s org.key -m policy.json --expires 2027-02-30
expect 2 pg sign -s org.key -m policy.json -t $'two\nlines'
expect 2 pg sign -s org.key -m policy.json -t 'serial:1' --serial 2
expect 2 pg keygen -p only.pub
expect 0 pg sign --help
has "usage: pkggate policy sign"
pass "keygen, sign and verify: files, modes and exit codes"

# 3. An encrypted key at minisign's full scrypt strength, password on stdin.
printf 'pass phrase\npass phrase\n' | pg keygen -p enc.pub -s enc.key >"$T/out" 2>&1 ||
    fail "encrypted keygen: $(cat "$T/out")"
printf 'wrong\n' | pg sign -s enc.key -m policy.json -x enc.sig >"$T/out" 2>&1 &&
    fail "signed with a wrong password"
has "wrong password for that key"
printf 'pass phrase\n' | pg sign -s enc.key -m policy.json -x enc.sig >"$T/out" 2>&1 ||
    fail "encrypted sign: $(cat "$T/out")"
expect 0 pg verify -p enc.pub -m policy.json -x enc.sig
pass "password-encrypted key"

[ "$HAVE_MINISIGN" = 1 ] || skip "minisign is not installed; pkggate-only checks passed"

# 4. minisign signs, pkggate verifies and reads the trusted comment.
TC=$'timestamp:1700000000\tfile:policy.json\tserial:8\texpires:2030-01-01'
expect 0 minisign -G -W -p ms.pub -s ms.key
expect 0 minisign -S -s ms.key -m policy.json -x ms.sig -t "$TC"
expect 0 pg verify -Q -p ms.pub -m policy.json -x ms.sig
[ "$(cat "$T/out")" = "$TC" ] || fail "trusted comment '$(cat "$T/out")'"
expect 0 minisign -S -l -s ms.key -m policy.json -x legacy.sig
expect 0 pg verify -p ms.pub -m policy.json -x legacy.sig
expect 1 pg verify -H -p ms.pub -m policy.json -x legacy.sig
pass "minisign's signatures verify in pkggate"

# 5. pkggate signs, minisign verifies; keys cross both ways.
expect 0 pg sign -s org.key -m policy.json --serial 9
expect 0 minisign -V -Q -p org.pub -m policy.json
has $'\tserial:9\thashed'
expect 0 pg sign -l -s org.key -m policy.json -x org-legacy.sig
expect 0 minisign -V -p org.pub -m policy.json -x org-legacy.sig
printf 'pass phrase\n' | minisign -S -s enc.key -m policy.json -x enc-ms.sig >/dev/null 2>&1 ||
    fail "minisign cannot use pkggate's encrypted key"
expect 0 pg verify -p enc.pub -m policy.json -x enc-ms.sig
expect 0 pg sign -s ms.key -m policy.json -x by-ms-key.sig
expect 0 minisign -V -p ms.pub -m policy.json -x by-ms-key.sig
printf '{"version": 1, "serial": 5}\n' >policy.json
expect 1 minisign -V -p org.pub -m policy.json
pass "pkggate's keys and signatures work in minisign"
