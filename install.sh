#!/usr/bin/env bash
# install.sh - set up pkggate: Debian packages, build, install, shims on PATH.
#
#   ./install.sh                 install into ~/.local, shims first on PATH
#   ./install.sh --system        install into /usr/local for every user
#   ./install.sh --prefix DIR    install into DIR
#   ./install.sh --no-rc         do not touch shell start-up files
#   ./install.sh --uninstall     remove everything a previous run installed
#   ./install.sh --test          build with sanitizers and run the whole suite
#
# Idempotent: running it twice changes nothing the second time.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
prefix="$HOME/.local"
system=0
rc=1
action=install
marker_begin='# >>> pkggate >>>'
marker_end='# <<< pkggate <<<'

build_deps=(gcc make cmake pkg-config libcurl4-openssl-dev libjansson-dev libsodium-dev
            libssl-dev libcmocka-dev python3 openssl ca-certificates)
# The suite also runs the real pip (in a venv) and npm, the real minisign,
# and a short libFuzzer run of every parser of untrusted input (clang).
test_deps=(python3-venv python3-pip minisign clang libclang-rt-dev)

usage() { sed -n '2,12s/^# \{0,1\}//p' "$0"; }
say() { printf 'install.sh: %s\n' "$*"; }
die() { printf 'install.sh: error: %s\n' "$*" >&2; exit 1; }

while [ $# -gt 0 ]; do
    case "$1" in
    --prefix) [ $# -ge 2 ] || die "--prefix needs a directory"; prefix=$2; shift ;;
    --prefix=*) prefix=${1#--prefix=} ;;
    --system) system=1; prefix=/usr/local ;;
    --no-rc) rc=0 ;;
    --uninstall) action=uninstall ;;
    --test) action=test ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option '$1'" ;;
    esac
    shift
done
case "$prefix" in /*) ;; *) prefix="$(pwd)/$prefix" ;; esac
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
    local f
    for f in "$HOME/.profile" "$HOME/.bash_profile" "$HOME/.bashrc" "$HOME/.zshrc"; do
        # .profile always; the others only when that shell is in use (bash
        # reads no .profile when a .bash_profile exists).
        [ "$f" = "$HOME/.profile" ] || [ -e "$f" ] && echo "$f"
    done
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
}

do_install() {
    ensure_packages "${build_deps[@]}"
    local build="$here/build/release"
    say "building (Release) in $build"
    cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=Release -DPKGGATE_TESTS=OFF >/dev/null
    cmake --build "$build" -j"$(nproc)" >/dev/null
    # Build first, install after: a failed build leaves nothing half-installed.
    cmake --install "$build" --prefix "$prefix" >/dev/null
    install -m 0644 "$here/shim/pkggate.sh" "$prefix/lib/pkggate/pkggate.sh"
    mkdir -p "$shims"
    local t tools names=() patterns=() d f rest
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
    local IFS=:
    for t in ${patterns[@]+"${patterns[@]}"}; do
        for d in $PATH; do
            for f in "$d/$t"[0-9]*; do
                rest=${f##*/}
                rest=${rest#"$t"}
                [ -x "$f" ] && [[ -n "$rest" && "$rest" != *[!0-9]* ]] && names+=("${f##*/}")
            done
        done
    done
    unset IFS
    for t in "${names[@]}"; do
        ln -sfn ../pkggate-shim "$shims/$t"
    done
    say "installed $prefix/bin/pkggate and $prefix/lib/pkggate/pkggate-shim"
    say "shims: $(cd "$shims" && ls | tr '\n' ' ')in $shims"
    [ "$rc" -eq 1 ] && add_path_line
    say "done; open a new shell (or: export PATH=\"$shims:\$PATH\"), then: pkggate doctor"
}

do_uninstall() {
    local f
    rm -f "$prefix/bin/pkggate"
    rm -rf "$prefix/lib/pkggate"
    for f in "$HOME/.profile" "$HOME/.bash_profile" "$HOME/.bashrc" "$HOME/.zshrc"; do
        strip_block "$f"
    done
    [ "$system" -eq 1 ] && rm -f /etc/profile.d/pkggate.sh
    say "removed pkggate from $prefix and the PATH lines from shell start-up files"
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
