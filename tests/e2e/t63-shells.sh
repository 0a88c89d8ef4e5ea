#!/usr/bin/env bash
# t63-shells: the zsh and fish columns of README's coverage matrix. A fresh
# `install.sh` into a prefix (HOME, ZDOTDIR and XDG_CONFIG_HOME inside the
# test dir, so .zshrc and fish's conf.d/pkggate.fish are the test's), then
# each route typed in `zsh -i`, `zsh -l -i`, `zsh -l`, `fish -i` and
# `fish -l`: the too-young requests-mini 2.32.0 / fresh-lib is refused
# before pip or npm starts (exit 10, nothing installed).
#
# Installed WITHOUT --python-hook, unlike t62: with the hook, an activated
# venv's pip would be refused by the hook even if the shell's functions were
# missing, and these cells are the functions' (and PATH lines') to pass.
# No root needed: nothing is written outside the test dir (pip installs use
# --target or the test's venv).
#
# A shell that is not installed is reported "SKIP: <shell> ..." and the test
# then ends skipped (77) after running the other shell's cells: never a pass
# for a cell that did not run.
. "$(dirname "$0")/lib.sh"
need python3
need npm
[ "$(id -u)" -eq 0 ] || command -v cmake >/dev/null || skip "cannot build here"
shells=()
missing=""
for sh in zsh fish; do
    if command -v "$sh" >/dev/null; then shells+=("$sh"); else missing="$missing $sh"; fi
done
[ ${#shells[@]} -gt 0 ] || skip "neither zsh nor fish installed (./install.sh --test installs them)"

# The installed pkggate is a Release build: no test Sigstore root.
REG_FORGE=0 start_registry
prefix="$T/prefix"
export PATH="$ORIG_PATH"
export ZDOTDIR="$HOME"
expect_status 0 "$PG_SOURCE_DIR/install.sh" --prefix "$prefix"
for sh in "${shells[@]}"; do
    case $sh in
    zsh)
        expect_in "added the PATH line to $HOME/.zshrc"
        expect_in "added the PATH line to $HOME/.zprofile"
        ;;
    fish) expect_in "added $XDG_CONFIG_HOME/fish/conf.d/pkggate.fish" ;;
    esac
done
# The interpreter itself, not a pyenv shim in front of it (as t62).
PY=$(python3 -c 'import sys; print(sys.executable)')
N=$("$PY" -c 'import sys; print(sys.version_info[1])')
[ -L "$prefix/lib/pkggate/shims/pip3.$N" ] || fail "install.sh did not link pip3.$N"
"$PY" -m venv "$T/venv" >/dev/null 2>&1 || skip "python3 -m venv unavailable"
SITE=$("$T/venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
# Outside the venv, pip installs into --target: a route that slipped through
# lands there, never in the host's Python.
TGT="$T/target"
IDX="--index-url $PYPI_URL"
# The PATH the shells start with: python3 and npm, no shims (the start-up
# files put those first).
lpath="$(dirname "$PY"):$(dirname "$(command -v npm)"):/usr/bin:/bin"

# in_shell KIND CMD: run CMD in the shell KIND names, from a clean
# environment with the test's HOME and configuration directories.
in_shell() {
    local argv
    case $1 in
    "zsh -i") argv=(zsh -i -c) ;;
    "zsh -l -i") argv=(zsh -l -i -c) ;;
    "zsh -l") argv=(zsh -l -c) ;;
    "fish -i") argv=(fish -i -c) ;;
    "fish -l") argv=(fish -l -c) ;;
    *) fail "unknown shell kind $1" ;;
    esac
    env -i HOME="$HOME" TERM=dumb PATH="$lpath" ZDOTDIR="$ZDOTDIR" \
        XDG_CONFIG_HOME="$XDG_CONFIG_HOME" XDG_DATA_HOME="$HOME/.local/share" \
        XDG_CACHE_HOME="$XDG_CACHE_HOME" XDG_STATE_HOME="$XDG_STATE_HOME" \
        PIP_DISABLE_PIP_VERSION_CHECK=1 npm_config_update_notifier=false \
        "${argv[@]}" "$2" </dev/null
}

# pip_refused KIND ROUTE CMD: the route is checked; requests-mini landed
# neither in the venv nor in --target.
pip_refused() {
    expect_status 10 in_shell "$1" "$3"
    expect_in "blocked pypi requests-mini@2.32.0"
    [ ! -e "$SITE/requests_mini" ] && [ ! -e "$TGT/requests_mini" ] ||
        fail "$1: $2: requests-mini installed"
    pass "$1: $2"
}

npm_refused() {
    expect_status 10 in_shell "$1" "$3"
    expect_in "blocked npm fresh-lib"
    [ ! -e "$T/work/node_modules/fresh-lib" ] && [ ! -e "$T/npmdir/node_modules/fresh-lib" ] ||
        fail "$1: $2: fresh-lib installed"
    pass "$1: $2"
}

# run_cells KIND ACTIVATE: every route of the matrix's shell columns.
run_cells() {
    local k=$1 act=$2 ti="install $IDX --target $TGT requests-mini" vi="install $IDX requests-mini"
    # pkggate itself (doctor, run, allow) is on PATH too.
    case $k in
    zsh*) expect_status 0 in_shell "$k" "whence -p pkggate" ;;
    fish*) expect_status 0 in_shell "$k" "command -s pkggate" ;;
    esac
    [ "$OUT" = "$prefix/bin/pkggate" ] || fail "$k: pkggate is not $prefix/bin/pkggate: $OUT"
    pass "$k: pkggate on PATH"
    pip_refused "$k" pip "pip $ti"
    pip_refused "$k" pip3 "pip3 $ti"
    pip_refused "$k" "pip3.$N" "pip3.$N $ti"
    if (PATH=$lpath; command -v python >/dev/null); then
        pip_refused "$k" "python -m pip" "python -m pip $ti"
    else
        # Debian without python-is-python3: not a route here at all.
        expect_status 127 in_shell "$k" "python -m pip $ti"
        expect_in "no real python found"
        printf 'SKIP: %s: python -m pip outside a venv: no python command here\n' "$k"
    fi
    pip_refused "$k" "python3 -m pip" "python3 -m pip $ti"
    pip_refused "$k" "python3.$N -m pip" "python3.$N -m pip $ti"
    pip_refused "$k" "venv activated: pip" "$act; pip $vi"
    pip_refused "$k" "venv activated: pip3.$N" "$act; pip3.$N $vi"
    pip_refused "$k" "venv activated: python -m pip" "$act; python -m pip $vi"
    # pyenv's shims put ahead of pkggate's after start-up (as an
    # `eval "$(pyenv init -)"` below our lines does): the functions still win.
    if [ -n "$pyshims" ]; then
        case $k in
        zsh*) pip_refused "$k" "pyenv's shims first: pip" "PATH=$pyshims:\$PATH; pip $ti" ;;
        fish*) pip_refused "$k" "pyenv's shims first: pip" "set -gx PATH $pyshims \$PATH; pip $ti" ;;
        esac
    else
        printf 'SKIP: %s: pyenv shims: pyenv not installed\n' "$k"
    fi
    local R="--registry $REG_URL"
    npm_refused "$k" "npm install" "npm install $R fresh-lib"
    npm_refused "$k" "npm --prefix DIR install" "npm --prefix $T/npmdir install $R fresh-lib"
    npm_refused "$k" npx "npx $R -y fresh-lib"
    npm_refused "$k" "npm exec" "npm exec $R -y -- fresh-lib"
}

# pyenv's shim directory, when the pip on this PATH is one of its shims.
pyshims=$(dirname "$(command -v pip || echo /none/pip)")
grep -qs 'PYENV_ROOT=' "$pyshims/pip" || pyshims=""
mkdir -p "$T/npmdir"
for sh in "${shells[@]}"; do
    case $sh in
    zsh)
        run_cells "zsh -i" ". $T/venv/bin/activate"
        run_cells "zsh -l -i" ". $T/venv/bin/activate"
        # Not interactive: reads .zprofile, not .zshrc (as `bash -lc` does).
        run_cells "zsh -l" ". $T/venv/bin/activate"
        ;;
    fish)
        run_cells "fish -i" "source $T/venv/bin/activate.fish"
        run_cells "fish -l" "source $T/venv/bin/activate.fish"
        ;;
    esac
done

# The checked command still runs: an allowed version lands, once.
sh=${shells[0]}
expect_status 0 in_shell "$sh -i" "pip install $IDX --target $TGT 'requests-mini==2.31.0'"
[ -f "$TGT/requests_mini/__init__.py" ] || fail "$sh: the allowed install did not land"
pass "$sh -i: an allowed install runs pip"

# A shell opened before the uninstall keeps working after it.
for sh in "${shells[@]}"; do
    expect_status 0 "$PG_SOURCE_DIR/install.sh" --prefix "$prefix"
    case $sh in
    zsh) old='"$0" --prefix "$1" --uninstall >/dev/null && pip --version >/dev/null && npm --version >/dev/null && echo alive' ;;
    fish) old='$argv[1] --prefix $argv[2] --uninstall >/dev/null; and pip --version >/dev/null; and npm --version >/dev/null; and echo alive' ;;
    esac
    expect_status 0 env -i HOME="$HOME" TERM=dumb PATH="$lpath" ZDOTDIR="$ZDOTDIR" \
        XDG_CONFIG_HOME="$XDG_CONFIG_HOME" "$sh" -i -c "$old" "$PG_SOURCE_DIR/install.sh" "$prefix" </dev/null
    expect_in alive
    [ ! -e "$XDG_CONFIG_HOME/fish/conf.d/pkggate.fish" ] || fail "fish's conf.d/pkggate.fish left"
    ! grep -q pkggate "$HOME/.zshrc" "$HOME/.zprofile" 2>/dev/null || fail "zsh start-up lines left"
    pass "$sh: uninstall; a $sh opened before it still runs pip and npm"
done

[ -z "$missing" ] || skip "the cells of$missing did not run: not installed (./install.sh --test installs them)"
