#!/usr/bin/env bash
# bench/sig.sh - what npm registry-signature and integrity checks cost.
#
# Builds bench/sigbench.c on lib/crypto (Release, no sanitizers), then prints
# microseconds per package verified (target: at most 50 us per signature),
# per keys document parsed, per MiB of artefact hashed, and OpenSSL's own
# ECDSA P-256 verify time (`openssl speed`) as the floor on this machine.
# Usage: bench/sig.sh [BUILD_DIR] [PACKAGES] [ROUNDS]
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$src/build/bench-sig}
n=${2:-2000}
rounds=${3:-5}

cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release -DPKGGATE_TESTS=OFF \
      -DPKGGATE_BENCH=ON >/dev/null
cmake --build "$build" -j"$(nproc)" --target pg_bench_sig >/dev/null

"$build/bench/pg_bench_sig" "$n" "$rounds"
if command -v openssl >/dev/null; then
    openssl speed -seconds 2 ecdsap256 2>/dev/null |
        awk '/ecdsa \(nistp256\)/ { printf "  openssl speed ecdsap256: %.1f us per verify (%s verify/s)\n", 1e6 / $NF, $NF }'
fi
