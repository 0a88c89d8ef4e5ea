#!/usr/bin/env bash
# bench/faithful_npm.sh - does pkggate judge the tree npm really installs?
# For each of 40 real npm packages and projects (popular frameworks, CLIs
# with deep trees, packages with peer and optional dependencies), against
# the npm registry this machine reaches:
#
#   pkggate run --json-out judged.jsonl -- npm install --package-lock-only \
#       --ignore-scripts --no-audit --no-fund <package>
#
# in a fresh folder gives both sides at once: the name@version set pkggate
# judged (one JSON object per package, dependencies included) and the
# package-lock.json npm then writes (when pkggate blocks, npm is run bare
# for its lockfile). Coverage is the share of the lockfile's name@version
# entries that were judged; printed per case with the misses, then the
# median and the minimum. Targets (issue 10): median >= 99.5%, none below
# 98%. Judging more than npm locks (optional dependencies for other
# platforms, say) is not counted against pkggate.
#
# Usage: bench/faithful_npm.sh [BUILD_DIR] [CASE...]
#   a CASE is a package spec or "name=dep1+dep2" (a project with those
#   dependencies); the default list is below.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$src/build/bench}
shift || true

command -v npm >/dev/null || { echo "bench/faithful_npm.sh: needs npm" >&2; exit 1; }
cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release -DPKGGATE_TESTS=OFF >/dev/null
cmake --build "$build" -j"$(nproc)" --target pkggate pkggate-shim >/dev/null

cases=("$@")
if [ ${#cases[@]} -eq 0 ]; then
    cases=(express react-dom next webpack jest eslint @babel/core typescript vite mocha
        lodash axios @angular/core vue rollup prettier nodemon ts-node sass esbuild
        webpack-cli @nestjs/core karma gulp socket.io mongoose tailwindcss postcss
        styled-components @mui/material @typescript-eslint/eslint-plugin eslint-plugin-react
        @storybook/react puppeteer @aws-sdk/client-s3 firebase-tools
        "react-app=react+react-dom+vite+@vitejs/plugin-react+eslint"
        "api-app=express+mongoose+jest+nodemon+dotenv+supertest"
        "vue-app=vue+vite+@vitejs/plugin-vue+typescript+vue-tsc"
        "lib-app=rollup+@rollup/plugin-node-resolve+@rollup/plugin-typescript+tslib+vitest")
fi

T=$(mktemp -d "${TMPDIR:-/tmp}/pkggate-faithful.XXXXXX")
trap 'rm -rf "$T"' EXIT
mkdir -p "$T/home"
export HOME="$T/home" XDG_CONFIG_HOME="$T/home/.config" XDG_STATE_HOME="$T/home/.state"
export XDG_CACHE_HOME="$T/home/.cache" PKGGATE_AUDIT_LOG="$T/audit.jsonl"
export npm_config_cache="$T/npm-cache" npm_config_update_notifier=false
unset PKGGATE_POLICY npm_config_registry NPM_CONFIG_REGISTRY PKGGATE_SEEN || true

echo "bench/faithful_npm.sh: npm $(npm --version), node $(node --version), registry $(npm config get registry)"
python3 "$src/bench/faithful.py" "$build/shim/pkggate" "$T" "${cases[@]}"
