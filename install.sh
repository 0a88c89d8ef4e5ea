#!/usr/bin/env bash
# install.sh - set up pkggate: Debian packages, build, install, shims on PATH.
#
#   ./install.sh                 install into ~/.local, shims first on PATH
#   ./install.sh --system        install into /usr/local for every user
#   ./install.sh --prefix DIR    install into DIR
#   ./install.sh --no-rc         do not touch shell start-up files
#   ./install.sh --python-hook[=PY,...]  also hook the Python interpreters a
#                                login shell finds (or those named): scripts,
#                                CI steps and venvs cannot reach pip around it
#   ./install.sh --uninstall     remove everything a previous run installed
#   ./install.sh --uninstall --purge   also the cache, state (audit log,
#                                trusted files) and configuration under HOME
#   ./install.sh --test          build with sanitizers and run the whole suite
#
# Idempotent: running it twice changes nothing the second time.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
prefix="$HOME/.local"
system=0
rc=1
hook=""
purge=0
action=install
marker_begin='# >>> pkggate >>>'
marker_end='# <<< pkggate <<<'

build_deps=(gcc make cmake pkg-config libcurl4-openssl-dev libjansson-dev libsodium-dev
            libssl-dev libcmocka-dev python3 openssl ca-certificates)
# The suite also runs the real pip (in a venv) and npm, the real minisign,
# a short libFuzzer run of every parser of untrusted input (clang), and
# the coverage matrix's zsh and fish cells (t63-shells) in those shells.
test_deps=(python3-venv python3-pip minisign clang libclang-rt-dev zsh fish)

usage() { sed -n '2,17s/^# \{0,1\}//p' "$0"; }
say() { printf 'install.sh: %s\n' "$*"; }
die() { printf 'install.sh: error: %s\n' "$*" >&2; exit 1; }

while [ $# -gt 0 ]; do
    case "$1" in
    --prefix) [ $# -ge 2 ] || die "--prefix needs a directory"; prefix=$2; shift ;;
    --prefix=*) prefix=${1#--prefix=} ;;
    --system) system=1; prefix=/usr/local ;;
    --no-rc) rc=0 ;;
    --python-hook) hook=login ;;
    --python-hook=*) hook=${1#--python-hook=} ;;
    --uninstall) action=uninstall ;;
    --purge) purge=1 ;;
    --test) action=test ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option '$1'" ;;
    esac
    shift
done
case "$prefix" in /*) ;; *) prefix="$(pwd)/$prefix" ;; esac
[ "$purge" -eq 0 ] || [ "$action" = uninstall ] || die "--purge goes with --uninstall"
shims="$prefix/lib/pkggate/shims"

missing_packages() {
    local p
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
            printf '%s ' "$p"
    done
}

ensure_packages() {
    local missing
    command -v dpkg-query >/dev/null || die "not a Debian system: install by hand: $*"
    missing=$(missing_packages "$@")
    [ -z "$missing" ] && return 0
    if [ "$(id -u)" -ne 0 ]; then
        say "missing Debian packages; run this, then ./install.sh again:"
        printf '  sudo apt-get install -y %s\n' "$missing"
        exit 1
    fi
    say "installing Debian packages: $missing"
    apt-get update -qq
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
}

ensure_node() {
    # npm may come from nodesource or nvm rather than Debian; only fill a gap.
    command -v npm >/dev/null && return 0
    ensure_packages nodejs npm
}

rc_files() {
    if [ "$system" -eq 1 ]; then
        echo /etc/profile.d/pkggate.sh
        return
    fi
    # .profile for login shells and .bashrc for bash's non-login interactive
    # ones (a terminal in a desktop), made when missing: a shell that reads
    # neither has no functions. .bash_profile only when it exists (bash then
    # reads no .profile); when zsh is installed (zsh reads no .profile),
    # .zshrc for its interactive shells and .zprofile for its login ones
    # (`zsh -l -c`, which reads no .zshrc).
    echo "$HOME/.profile"
    echo "$HOME/.bashrc"
    [ -e "$HOME/.bash_profile" ] && echo "$HOME/.bash_profile"
    if [ -e "$HOME/.zshrc" ] || command -v zsh >/dev/null; then
        echo "$HOME/.zshrc"
        echo "$HOME/.zprofile"
    fi
    return 0
}


strip_block() {
    local f=$1 tmp
    [ -f "$f" ] && grep -qF "$marker_begin" "$f" || return 0
    # A block without its end marker is left alone rather than eating the
    # rest of the user's file.
    grep -qF "$marker_end" "$f" || { say "warning: $f has an unterminated pkggate block; left as is"; return 0; }
    tmp=$(mktemp "$f.pkggate.XXXXXX")
    awk -v b="$marker_begin" -v e="$marker_end" \
        '$0==b{skip=1;next} $0==e{skip=0;next} !skip' "$f" >"$tmp"
    chmod --reference="$f" "$tmp" 2>/dev/null || true
    mv -f "$tmp" "$f"
}

add_path_line() {
    local f qshims qbin qsh
    # Quoted for the shell that reads the start-up file: a prefix is data.
    qshims=$(printf '%q' "$shims")
    qbin=$(printf '%q' "$prefix/bin")
    qsh=$(printf '%q' "$prefix/lib/pkggate/pkggate.sh")
    while IFS= read -r f; do
        strip_block "$f"
        {
            echo "$marker_begin"
            echo "# pkggate checks pip/npm installs; its shims must come first on PATH."
            echo "case \":\$PATH:\" in *:$qbin:*) ;; *) PATH=\"\$PATH\":$qbin ;; esac"
            echo "case \"\$PATH\" in $qshims:*) ;; *) PATH=$qshims:\"\$PATH\" ;; esac"
            echo "export PATH"
            echo "[ -n \"\${BASH_VERSION:-}\${ZSH_VERSION:-}\" ] && [ -r $qsh ] && . $qsh"
            echo "$marker_end"
        } >>"$f"
        say "added the PATH line to $f"
    done < <(rc_files)
    [ "$system" -eq 0 ] && command -v fish >/dev/null && add_fish
    return 0
}

# fish reads no POSIX start-up file: conf.d/ is its own, read by every fish.
fish_conf() { echo "${XDG_CONFIG_HOME:-$HOME/.config}/fish/conf.d/pkggate.fish"; }
add_fish() {
    local f
    f=$(fish_conf)
    mkdir -p "${f%/*}"
    sed -e "s|@SHIMS@|$shims|g" -e "s|@SHIM@|$prefix/lib/pkggate/pkggate-shim|g" -e "s|@BIN@|$prefix/bin|g" \
        "$here/shim/pkggate.fish" >"$f"
    say "added $f"
}

# The PATH a new login shell of this user has: the one that matters for
# which pip3.N and python3.N a link can stand in front of.
login_path() {
    env -i HOME="$HOME" USER="$(id -un)" LOGNAME="$(id -un)" SHELL=/bin/bash TERM=dumb \
        bash -lc 'printf "\n@PKGGATE_PATH@%s\n" "$PATH"' 2>/dev/null </dev/null |
        sed -n 's/^@PKGGATE_PATH@//p' | tail -n 1
}

# versioned_names PREFIX...: for each python3.N (or pip3.N) a login shell
# finds and whose interpreter runs there, every PREFIX followed by that N.
# pyenv's shims dir lists every version pyenv has, runnable or not: the run
# is what tells.
versioned_names() {
    local lp d f n ns=" " IFS=:
    lp=$(login_path)
    for d in $lp; do
        [ "$d" = "$shims" ] && continue
        for f in "$d"/python3.[0-9]* "$d"/pip3.[0-9]*; do
            n=${f##*/}; n=${n#python3.}; n=${n#pip3.}
            [[ -x "$f" && -n "$n" && "$n" != *[!0-9]* && "$ns" != *" $n "* ]] || continue
            if env -i HOME="$HOME" PATH="$lp" "python3.$n" -c '' >/dev/null 2>&1 </dev/null; then
                ns="$ns$n "
            else
                say "not linking pip3.$n/python3.$n: python3.$n does not run in a login shell (pkggate doctor lists it)" >&2
            fi
        done
    done
    unset IFS
    for n in $ns; do for f in "$@"; do echo "$f$n"; done; done
}

hook_mark='>>> pkggate python hook >>>'
hook_list() { echo "$prefix/lib/pkggate/python-hooks"; }

# The interpreters --python-hook means: those named, or every python3 and
# python3.N a login shell finds.
hook_targets() {
    if [ "$hook" != login ]; then
        tr ',' '\n' <<<"$hook"
        return
    fi
    local lp d f IFS=:
    lp=$(login_path)
    for d in $lp; do
        [ "$d" = "$shims" ] && continue
        for f in "$d"/python3 "$d"/python3.[0-9]*; do [ -x "$f" ] && echo "$f"; done
    done
    return 0
}

# One interpreter: its stdlib directory and the sitecustomize it would
# import today (empty: none). The stdlib directory comes before every
# site-packages on sys.path, venvs' included, so a venv cannot shadow it.
py_layout() {
    "$1" -I -c 'import sysconfig, importlib.util as u
s = u.find_spec("sitecustomize")
print(sysconfig.get_path("stdlib"))
print(s.origin if s and s.origin else "")' 2>/dev/null </dev/null
}

# sitecustomize.py in each interpreter's stdlib, never over a file that is
# not ours (Debian's python ships its own: `dpkg -S` names the package).
add_python_hooks() {
    local py out stdlib have f owner
    while IFS= read -r py; do
        out=$(py_layout "$py") || { say "python hook: $py does not run; skipped"; continue; }
        stdlib=$(sed -n 1p <<<"$out")
        have=$(sed -n 2p <<<"$out")
        f="$stdlib/sitecustomize.py"
        if [ -n "$have" ] && ! grep -qF "$hook_mark" "$have" 2>/dev/null; then
            owner=$(dpkg-query -S "$have" 2>/dev/null | cut -d: -f1 | head -n 1)
            say "python hook: NOT installed for $py: it already imports $have${owner:+ (owned by the Debian package $owner)}, which pkggate does not edit"
            continue
        fi
        [ -w "$stdlib" ] || { say "python hook: NOT installed for $py: $stdlib is not writable"; continue; }
        sed "s|@SHIM@|$prefix/lib/pkggate/pkggate-shim|" "$here/shim/pkggate_hook.py" >"$f.pkggate.$$"
        chmod 0644 "$f.pkggate.$$"
        mv -f "$f.pkggate.$$" "$f"
        grep -qxF "$f" "$(hook_list)" 2>/dev/null || echo "$f" >>"$(hook_list)"
        say "python hook: installed $f (for $py and the virtualenvs made from it)"
    done < <(hook_targets)
}

remove_python_hooks() {
    local f
    [ -f "$(hook_list)" ] || return 0
    while IFS= read -r f; do
        grep -qF "$hook_mark" "$f" 2>/dev/null || continue
        rm -f "$f" "${f%/*}"/__pycache__/sitecustomize.*.pyc
        say "python hook: removed $f"
    done <"$(hook_list)"
}

# build_progress DIR: build, saying how far it got at each quarter, and the
# compiler's own output only when it fails.
build_progress() {
    local log="$1/build.log" next=25 pct
    if ! cmake --build "$1" -j"$(nproc)" >"$log" 2>&1; then
        tail -n 30 "$log" >&2
        die "the build failed (whole log: $log)"
    fi &
    local pid=$!
    while kill -0 "$pid" 2>/dev/null; do
        pct=$(grep -o '^\[ *[0-9]*%\]' "$log" 2>/dev/null | tail -n1 | tr -dc 0-9) || pct=""
        while [ -n "$pct" ] && [ "$pct" -ge "$next" ] && [ "$next" -le 100 ]; do
            say "building: $next%"
            next=$((next + 25))
        done
        sleep 1
    done
    wait "$pid"
}

do_install() {
    ensure_packages "${build_deps[@]}"
    local build="$here/build/release"
    say "building (Release) in $build; about a minute on two cores"
    cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=Release -DPKGGATE_TESTS=OFF >/dev/null
    build_progress "$build"
    # Build first, install after: a failed build leaves nothing half-installed.
    cmake --install "$build" --prefix "$prefix" >/dev/null
    # What was installed, so --uninstall removes exactly that (man pages and
    # completions included), never a file it did not put there.
    cp "$build/install_manifest.txt" "$prefix/lib/pkggate/installed-files"
    install -m 0644 "$here/shim/pkggate.sh" "$prefix/lib/pkggate/pkggate.sh"
    install -m 0644 "$here/shim/pkggate.fish" "$prefix/lib/pkggate/pkggate.fish"
    mkdir -p "$shims"
    local t tools names=() patterns=()
    # The tools are the program's own table (pg_tools.def), so a new tool
    # needs no edit here. A name ending in N (pip3.N) stands for every such
    # command on PATH now (pip3.11 install x): N is one or more digits.
    tools=$("$prefix/bin/pkggate" --list-tools) || die "cannot list the tools pkggate guards"
    for t in $tools; do
        case "$t" in
        *N) patterns+=("${t%N}") ;;
        *) names+=("$t") ;;
        esac
    done
    # pip3.N and python3.N: the versions a login shell runs (a venv made
    # from python3.N has pip3.N even where the system has none).
    [ ${#patterns[@]} -gt 0 ] && while IFS= read -r t; do names+=("$t"); done \
        < <(versioned_names "${patterns[@]}")
    rm -f "$shims"/*
    for t in "${names[@]}"; do
        ln -sfn ../pkggate-shim "$shims/$t"
    done
    say "installed $prefix/bin/pkggate and $prefix/lib/pkggate/pkggate-shim"
    say "shims: $(cd "$shims" && ls | tr '\n' ' ')in $shims"
    [ "$rc" -eq 1 ] && add_path_line
    [ -n "$hook" ] && add_python_hooks
    say "done; open a new shell (or, in this one: export PATH=\"$shims:$prefix/bin:\$PATH\"), then: pkggate doctor"
}

do_uninstall() {
    local f
    remove_python_hooks
    rm -f "$prefix/bin/pkggate"
    # Every file cmake installed (man pages, completions), from the list the
    # install kept; only paths under the prefix.
    if [ -f "$prefix/lib/pkggate/installed-files" ]; then
        # (cmake writes no newline after the last path)
        while IFS= read -r f || [ -n "$f" ]; do
            case "$f" in "$prefix"/*) rm -f "$f" ;; esac
        done <"$prefix/lib/pkggate/installed-files"
    fi
    rm -rf "$prefix/lib/pkggate"
    for f in "$HOME/.profile" "$HOME/.bash_profile" "$HOME/.bashrc" "$HOME/.zshrc" "$HOME/.zprofile"; do
        strip_block "$f"
    done
    f=$(fish_conf)
    [ -f "$f" ] && grep -q pkggate "$f" && rm -f "$f"
    [ "$system" -eq 1 ] && rm -f /etc/profile.d/pkggate.sh
    say "removed pkggate from $prefix and the PATH lines from shell start-up files"
    local data=("${XDG_CACHE_HOME:-$HOME/.cache}/pkggate" "${XDG_STATE_HOME:-$HOME/.local/state}/pkggate"
                "${XDG_CONFIG_HOME:-$HOME/.config}/pkggate")
    if [ "$purge" -eq 1 ]; then
        rm -rf "${data[@]}"
        say "purged the cache, state (audit log, trusted policy files) and configuration: ${data[*]}"
    else
        for f in "${data[@]}"; do
            [ -e "$f" ] && say "kept $f ($(du -sh "$f" 2>/dev/null | cut -f1)); --uninstall --purge removes it"
        done
    fi
    return 0
}

# step NAME CMD...: one step of --test. Each runs even when an earlier one
# failed (a failing step must not hide what the later ones would say), and
# each ends with one line saying how it went.
steps_passed=0
steps_failed=0
failed_steps=""
step() {
    local name=$1 rc=0
    shift
    say "step: $name"
    "$@" || rc=$?
    if [ "$rc" -eq 0 ]; then
        steps_passed=$((steps_passed + 1))
        say "step: $name: ok"
    else
        steps_failed=$((steps_failed + 1))
        failed_steps="$failed_steps $name"
        say "step: $name: FAILED (status $rc)"
    fi
    return 0
}

build_test() {
    cmake -S "$here" -B "$1" -DCMAKE_BUILD_TYPE=Debug -DPKGGATE_SANITIZE=address,undefined \
        >/dev/null && cmake --build "$1" -j"$(nproc)" >/dev/null
}

build_fuzz() {
    CC=clang cmake -S "$here" -B "$1" -DCMAKE_BUILD_TYPE=Debug -DPKGGATE_FUZZ=ON \
        -DPKGGATE_TESTS=OFF -DPKGGATE_FUZZ_SECONDS="${PKGGATE_FUZZ_SECONDS:-10}" \
        -DPKGGATE_SANITIZE=address,undefined >/dev/null && cmake --build "$1" -j"$(nproc)" >/dev/null
}

do_test() {
    ensure_packages "${build_deps[@]}" "${test_deps[@]}"
    ensure_node
    local build="$here/build/test" fuzz="$here/build/fuzz"
    step "build with AddressSanitizer and UBSan in $build" build_test "$build"
    step "unit, layout and end-to-end tests (ctest)" \
        ctest --test-dir "$build" --output-on-failure -j"$(nproc)"
    step "build the libFuzzer targets in $fuzz" build_fuzz "$fuzz"
    step "fuzz every parser for ${PKGGATE_FUZZ_SECONDS:-10} s each" \
        ctest --test-dir "$fuzz" --output-on-failure -j"$(nproc)" -L fuzz
    [ "$steps_failed" -eq 0 ] || say "failed steps:$failed_steps"
    # The closing line CI reads.
    echo "steps: $steps_passed passed, $steps_failed failed"
    [ "$steps_failed" -eq 0 ]
}

case "$action" in
install) do_install ;;
uninstall) do_uninstall ;;
test) do_test ;;
esac
