#!/usr/bin/env bash
# t62-routes: the "checked" cells of README's coverage matrix, each run
# against the fixture registry through a fresh `install.sh --python-hook`
# install, each refusing the too-young requests-mini 2.32.0 before pip
# starts (exit 10, nothing installed).
#
# The python hook goes into the interpreter's stdlib directory, so the
# whole test runs in a private mount namespace with an overlay on that
# directory (as t55 does with /etc): the host's Python is never written.
# Needs root and unshare; skipped (77) otherwise.
. "$(dirname "$0")/lib.sh"
need python3
need npm
[ "$(id -u)" -eq 0 ] || skip "needs root for a private mount namespace"
command -v unshare >/dev/null || skip "unshare not installed"
PY=$(python3 -c 'import sys; print(sys.executable)')
STDLIB=$("$PY" -I -c 'import sysconfig; print(sysconfig.get_path("stdlib"))')
[ ! -e "$STDLIB/sitecustomize.py" ] || skip "$PY has its own sitecustomize.py"

if [ "${1:-}" != inside ]; then
    mkdir -p "$T/ovl"
    unshare -m bash -c '
        set -e
        mount -t tmpfs none "$1"
        mkdir "$1/up" "$1/work"
        mount -t overlay overlay -o "lowerdir=$2,upperdir=$1/up,workdir=$1/work" "$2"' \
        sh "$T/ovl" "$STDLIB" 2>/dev/null || skip "no overlay mount here"
    # lib.sh's EXIT trap removes $T; the inner run makes its own.
    exec unshare -m bash -c '
        mount -t tmpfs none "$1" && mkdir "$1/up" "$1/work" &&
        mount -t overlay overlay -o "lowerdir=$2,upperdir=$1/up,workdir=$1/work" "$2" &&
        exec bash "$3" inside' sh "$T/ovl" "$STDLIB" "$0"
fi

# The installed pkggate is a Release build: no test Sigstore root.
REG_FORGE=0 start_registry
prefix="$T/prefix"
export PATH="$ORIG_PATH"
expect_status 0 "$PG_SOURCE_DIR/install.sh" --prefix "$prefix" --python-hook="$PY"
expect_in "python hook: installed $STDLIB/sitecustomize.py"
N=$("$PY" -c 'import sys; print(sys.version_info[1])')
"$PY" -m venv "$T/venv" >/dev/null 2>&1 || skip "python3 -m venv unavailable"
SITE=$("$T/venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
# A login shell runs python3.N (Debian's /usr/bin), so its venvs' pip3.N is linked.
for t in python python3 "pip3.$N" "python3.$N"; do
    [ -L "$prefix/lib/pkggate/shims/$t" ] || fail "install.sh did not link $t"
done
IDX="--index-url $PYPI_URL"
lpath="$(dirname "$PY"):/usr/bin:/bin"

# refused KIND CMD...: the route is checked; requests-mini did not land.
refused() {
    local kind=$1
    shift
    expect_status 10 env -i HOME="$HOME" TERM=dumb PATH="$lpath" "$@"
    expect_in "blocked pypi requests-mini@2.32.0"
    [ ! -e "$SITE/requests_mini" ] || fail "$kind: requests-mini installed"
    pass "$kind"
}
act=". $T/venv/bin/activate"
refused "login bash: python3 -m pip" bash -lc "python3 -m pip install $IDX requests-mini"
refused "login bash: python3 -I -m pip" bash -lc "python3 -I -m pip install $IDX requests-mini"
refused "login bash: pip" bash -lc "pip install $IDX requests-mini"
refused "interactive bash, venv activated: pip3.$N" bash -ic "$act; pip3.$N install $IDX requests-mini"
refused "interactive bash, venv activated: python -m pip" bash -ic "$act; python -m pip install $IDX requests-mini"
refused "interactive bash, venv activated: pip" bash -ic "$act; pip install $IDX requests-mini"
printf '%s\npip install %s requests-mini\n' "$act" "$IDX" >"$T/ci.sh"
refused "bash script.sh, venv activated: pip (python hook)" bash "$T/ci.sh"
printf '%s\npython -m pip install %s requests-mini\n' "$act" "$IDX" >"$T/ci2.sh"
refused "bash script.sh, venv activated: python -m pip" bash "$T/ci2.sh"
refused "venv bin/pip by absolute path" "$T/venv/bin/pip" install $IDX requests-mini
refused "venv bin/python -m pip by absolute path" "$T/venv/bin/python" -m pip install $IDX requests-mini
refused "sh -c from a login PATH" bash -lc "sh -c 'pip3 install $IDX requests-mini'"
refused "env -i PATH=venv/bin" env -i PATH="$T/venv/bin:/usr/bin" pip install $IDX requests-mini
# The hook's "handled already" mark is a pipe it verifies: values planted
# in the environment (any fd, a guessed inode, the old pid marker) do not
# make it pass a pip command through.
refused "venv bin/pip with a planted PKGGATE_HANDLED" \
    env PKGGATE_HANDLED=0:1:1 PKGGATE_TARGET="1:1:$$" "$T/venv/bin/pip" install $IDX requests-mini
refused "venv bin/pip with a planted PKGGATE_HANDLED on an open fd" \
    bash -c 'exec 3</dev/null; st=$(stat -L -c %d:%i /dev/null); PKGGATE_HANDLED="3:$st" exec "$@"' _ \
    "$T/venv/bin/pip" install $IDX requests-mini
printf 'pip3 install %s requests-mini\n' "$IDX" >"$T/plain.sh"
refused "bash script.sh from a login shell: pip3" bash -lc "bash $T/plain.sh"

# npm's routes: the shims (and functions) only; fresh-lib is too young.
npm_refused() {
    local kind=$1
    shift
    expect_status 10 env -i HOME="$HOME" TERM=dumb PATH="$lpath:$(dirname "$(command -v npm)")" "$@"
    expect_in "blocked npm fresh-lib"
    pass "$kind"
}
R="--registry $REG_URL"
mkdir -p "$T/npmdir"
npm_refused "login bash: npm install" bash -lc "npm install $R fresh-lib"
npm_refused "login bash: npm --prefix DIR install" bash -lc "npm --prefix $T/npmdir install $R fresh-lib"
npm_refused "login bash: npx" bash -lc "npx $R -y fresh-lib"
npm_refused "interactive bash: npm exec" bash -ic "npm exec $R -y -- fresh-lib"

# The checked command still runs, once (the hook lets pkggate's own exec pass).
expect_status 0 "$T/venv/bin/pip" install $IDX 'requests-mini==2.31.0'
[ -f "$SITE/requests_mini/__init__.py" ] || fail "allowed install did not land"
pass "an allowed install through the hook runs pip once"
expect_status 0 env -i PATH="$prefix/lib/pkggate/shims:$lpath" python3 -c 'print("hi")'
[ "$OUT" = hi ] || fail "python3 -c through the shim: $OUT"
pass "other python starts pass through"

# A shell opened before the uninstall keeps working after it.
cat >"$T/old-shell.sh" <<EOS
. "$prefix/lib/pkggate/pkggate.sh"
"$PG_SOURCE_DIR/install.sh" --prefix "$prefix" --uninstall >/dev/null
pip --version >/dev/null && npm --version >/dev/null && python3 -c pass && echo alive
EOS
expect_status 0 env -i HOME="$HOME" PATH="$prefix/lib/pkggate/shims:$lpath" bash "$T/old-shell.sh"
expect_in alive
[ ! -e "$STDLIB/sitecustomize.py" ] || fail "the python hook is left after --uninstall"
grep -q pkggate "$HOME/.bashrc" "$HOME/.profile" && fail "start-up lines left"
pass "uninstall removes the hook; an old shell still runs pip and npm"
