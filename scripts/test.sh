#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds, and runs every test with ctest.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Cores this process may use. GNU nproc lets OMP_NUM_THREADS (set to 1 below for the tests) override
# its answer, which would run one test at a time; the OpenMP variables are dropped for the count.
cores() { env -u OMP_NUM_THREADS -u OMP_THREAD_LIMIT nproc; }
bash "$root/scripts/build.sh"
build="${BUILD_DIR:-$root/build}"
# One BLAS/torch thread per test process: ctest runs two at once on this 2-core class of machine.
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
ctest --test-dir "$build" --output-on-failure -j "$(cores)" "$@"
