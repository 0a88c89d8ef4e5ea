#!/usr/bin/env bash
# bench/sigstore.sh - what verifying a Sigstore bundle costs (target: at
# most 2 ms CPU a bundle). Builds bench/sigstore_bench.c on lib/crypto
# (Release, no sanitizers), runs it on a real npm provenance bundle, and
# prints OpenSSL's own P-256 and P-384 verify times as the floor (a bundle
# costs about: SET + checkpoint + DSSE = 3 P-256, chain = 2 P-384).
# Usage: bench/sigstore.sh [BUILD_DIR] [N]
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$src/build/bench-sig}
n=${2:-500}

cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release -DPKGGATE_TESTS=OFF \
      -DPKGGATE_BENCH=ON >/dev/null
cmake --build "$build" -j2 --target pg_bench_sigstore >/dev/null

"$build/bench/pg_bench_sigstore" "$src/tests/vectors/sigstore/npm/sigstore@2.0.0.provenance.json" "$n"
if command -v openssl >/dev/null; then
    openssl speed -seconds 2 ecdsap256 ecdsap384 2>/dev/null |
        awk '/ecdsa \(nistp(256|384)\)/ { printf "  openssl speed %s: %.1f us per verify\n", $3, 1e6 / $NF }'
fi
