# pkggate.sh - shell functions that keep pip, npm and python -m pip checked
# in interactive bash and zsh even when something is put ahead of the shims
# on PATH (an activated virtualenv's bin/, nvm's node bin/): functions win
# over PATH lookups. One function per link in the shim directory, so
# pip3.N and python3.N are covered exactly where install.sh linked them.
# Sourced from the shell start-up files by install.sh.
#
# After `./install.sh --uninstall` a shell that sourced this still has the
# functions: each falls back to the command on PATH when the shim is gone,
# so pip and npm keep working there.
__pkggate_dir="$(cd "$(dirname "${BASH_SOURCE[0]:-${(%):-%x}}")" && pwd)"
__pkggate_shim="$__pkggate_dir/pkggate-shim"
__pkggate_funcs=""
if [ -x "$__pkggate_shim" ]; then
    for __pkggate_t in "$__pkggate_dir"/shims/*; do
        __pkggate_t=${__pkggate_t##*/}
        # Names are install.sh's links (pip3.11); anything else is not eval'd.
        case $__pkggate_t in '' | *[!A-Za-z0-9._-]*) continue ;; esac
        eval "$__pkggate_t() {
            if [ -x \"\$__pkggate_shim\" ]; then \"\$__pkggate_shim\" $__pkggate_t \"\$@\";
            else command $__pkggate_t \"\$@\"; fi; }"
        __pkggate_funcs="$__pkggate_funcs $__pkggate_t"
    done
    unset __pkggate_t
    # `pkggate doctor` cannot see a shell's functions: tell it, for that
    # one call, which names this shell checks.
    pkggate() {
        if [ "${1:-}" = doctor ]; then
            PKGGATE_SHELL_FUNCTIONS="$__pkggate_funcs" command pkggate "$@"
        else
            command pkggate "$@"
        fi
    }
fi
