#!/usr/bin/env bash
# The unit tests under AddressSanitizer + UndefinedBehaviorSanitizer (and LeakSanitizer): configures a separate
# build (${SANITIZE_BUILD_DIR:-build-asan}, RelWithDebInfo, -DHINDSIGHT_SANITIZE=ON), builds the test binary and
# the CLI it starts, and runs the tests; the first report stops the process and fails the run.
# Suppressions (scripts/sanitizers/) cover third-party libraries only, never hindsight code.
#   usage: scripts/sanitize.sh [extra gtest flags]    SANITIZE_FILTER overrides the test selection
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${SANITIZE_BUILD_DIR:-$root/build-asan}"
bash "$root/scripts/setup.sh"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHINDSIGHT_SANITIZE=ON \
  -DHINDSIGHT_BUILD_BENCH=OFF ${HINDSIGHT_CMAKE_ARGS:-} >/dev/null
cmake --build "$build" -j "${JOBS:-$(nproc)}" --target hindsight_tests hindsight

export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
export ASAN_OPTIONS="halt_on_error=1:detect_leaks=1:check_initialization_order=1:strict_init_order=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:suppressions=$root/scripts/sanitizers/ubsan.supp"
export LSAN_OPTIONS="suppressions=$root/scripts/sanitizers/lsan.supp:print_suppressions=0"
# Everything except the learning tests (5 full FetchReach epochs, 150 MountainCar episodes: minutes under
# ASan, and they check learning, not memory; the same code paths run in the short trainer and HAC tests).
filter="${SANITIZE_FILTER:--Trainer.FetchReachLearnsWithinFiveEpochs:HacLearning.*}"
start=$(date +%s)
"$build/tests/hindsight_tests" --gtest_filter="$filter" --gtest_brief=1 "$@"
echo "sanitize: tests passed under ASan + UBSan + LSan in $(( $(date +%s) - start )) s (filter: $filter)"
