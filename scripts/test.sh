#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds, and runs every test with ctest.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/lib.sh"  # cores
bash "$root/scripts/build.sh"
build="${BUILD_DIR:-$root/build}"
# One BLAS/torch thread per test process: ctest runs two at once on this 2-core class of machine.
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
ctest --test-dir "$build" --output-on-failure -j "$(cores)" "$@"
