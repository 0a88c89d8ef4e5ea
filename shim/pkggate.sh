# pkggate.sh - shell functions that keep pip and npm checked in interactive
# shells even when something is put ahead of the shims on PATH (an activated
# virtualenv's bin/, nvm's node bin/). Functions win over PATH lookups.
# Sourced from the shell start-up files by install.sh.
__pkggate_shim="$(cd "$(dirname "${BASH_SOURCE[0]:-${(%):-%x}}")" && pwd)/pkggate-shim"
if [ -x "$__pkggate_shim" ]; then
    pip()  { "$__pkggate_shim" pip "$@"; }
    pip3() { "$__pkggate_shim" pip3 "$@"; }
    npm()  { "$__pkggate_shim" npm "$@"; }
    npx()  { "$__pkggate_shim" npx "$@"; }
fi
