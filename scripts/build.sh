#!/usr/bin/env bash
# Installs what is missing, configures and builds hindsight (Release) into ${BUILD_DIR:-build}.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/lib.sh"  # cores
bash "$root/scripts/setup.sh"
build="${BUILD_DIR:-$root/build}"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release ${HINDSIGHT_CMAKE_ARGS:-} >/dev/null
cmake --build "$build" -j "$(cores)"
