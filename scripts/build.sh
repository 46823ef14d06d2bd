#!/usr/bin/env bash
# Installs what is missing, configures and builds hindsight (Release) into ${BUILD_DIR:-build}.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Cores this process may use. GNU nproc lets OMP_NUM_THREADS (set to 1 below for the tests) override
# its answer, which would run one test at a time; the OpenMP variables are dropped for the count.
cores() { env -u OMP_NUM_THREADS -u OMP_THREAD_LIMIT nproc; }
bash "$root/scripts/setup.sh"
build="${BUILD_DIR:-$root/build}"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release ${HINDSIGHT_CMAKE_ARGS:-} >/dev/null
cmake --build "$build" -j "$(cores)"
