#!/usr/bin/env bash
# The unit tests under AddressSanitizer + UndefinedBehaviorSanitizer (and LeakSanitizer): configures a separate
# build (${SANITIZE_BUILD_DIR:-build-asan}, -O1 -g1, -DHINDSIGHT_SANITIZE=ON), builds the test binary and
# the CLI it starts, and runs the tests; the first report stops the process and fails the run.
# Suppressions (scripts/sanitizers/) cover third-party libraries only, never hindsight code.
#   usage: scripts/sanitize.sh [extra gtest flags]    SANITIZE_FILTER overrides the test selection,
#   SANITIZE_SHARDS the number of shards (8)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/lib.sh"  # cores
build="${SANITIZE_BUILD_DIR:-$root/build-asan}"
bash "$root/scripts/setup.sh"
# -O1 -g1: what the sanitizer documentation recommends for usable reports, and half the compile time of
# -O2 -g on the LibTorch and JSON-heavy sources (measured 41 s -> 17 s for one test file).
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHINDSIGHT_SANITIZE=ON \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" -DHINDSIGHT_BUILD_BENCH=OFF ${HINDSIGHT_CMAKE_ARGS:-} >/dev/null
cmake --build "$build" -j "${JOBS:-$(cores)}" --target hindsight_tests hindsight_torch_tests hindsight hindsight_torch

export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
export ASAN_OPTIONS="halt_on_error=1:detect_leaks=1:check_initialization_order=1:strict_init_order=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:suppressions=$root/scripts/sanitizers/ubsan.supp"
export LSAN_OPTIONS="suppressions=$root/scripts/sanitizers/lsan.supp:print_suppressions=0"
# Everything except
# - the learning tests (5 full FetchReach epochs in one and in two processes, 150 MountainCar episodes:
#   minutes under ASan, and they check learning, not memory; the same code paths run in the short trainer,
#   HAC and mpirun tests), and
# - the mpirun jobs that end normally: OpenMPI leaks by design at MPI_Finalize, much of it from plugins it
#   has unloaded by then, which LeakSanitizer cannot name and so no suppression can single out.
excluded="Trainer.FetchReachLearnsWithinFiveEpochs:HacLearning.*:MpirunTrain.*"
filter="${SANITIZE_FILTER:--$excluded}"
# The tests run in SANITIZE_SHARDS gtest shards (default 8) of hindsight_tests plus one of hindsight_torch_tests
# (the LibTorch-calling files), one per core at a time: the binaries' own sharding, so every shard is one
# process (ASan start-up once per shard, not once per test) and the small shards even out the slow tests.
# Each shard writes its own log; a failing shard's log is printed.
shards="${SANITIZE_SHARDS:-8}"
logs="$build/sanitize-logs"
rm -rf "$logs" && mkdir -p "$logs"
start=$(date +%s)
extra_flags="$*"
export build filter logs extra_flags
run_shard() {  # binary shards index
  # shellcheck disable=SC2086 # the extra gtest flags are words
  GTEST_TOTAL_SHARDS="$2" GTEST_SHARD_INDEX="$3" \
    "$build/tests/$1" --gtest_filter="$filter" --gtest_brief=1 $extra_flags >"$logs/$1-$3.log" 2>&1 \
    || { echo "sanitize: shard $3 of $2 of $1 failed:"; cat "$logs/$1-$3.log"; return 255; }
}
export -f run_shard
{ echo "hindsight_torch_tests 1 0"; for i in $(seq 0 $((shards - 1))); do echo "hindsight_tests $shards $i"; done; } |
  xargs -P "$(cores)" -L 1 bash -c 'run_shard "$@"' _
passed=$(awk '/^\[  PASSED  \]/ { n += $4 } END { print n + 0 }' "$logs"/*.log)
echo "sanitize: $passed tests passed under ASan + UBSan + LSan in $(( $(date +%s) - start )) s," \
  "$shards + 1 shards, $(cores) at a time (filter: $filter)"
