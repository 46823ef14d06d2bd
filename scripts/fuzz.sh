#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ (clang, everything under ASan + UBSan) in ${FUZZ_BUILD_DIR:-build-fuzz}
# and runs each for SECONDS (default 600), one after another, from the committed seeds in fuzz/seeds/<target>
# (plus configs/ for the config parser). New inputs collect in <build>/corpus/<target>, crashes in
# <build>/crashes/, each run's output in <build>/fuzz_<target>.log.
#   usage: scripts/fuzz.sh [SECONDS] [TARGET ...]     targets: config checkpoint normalizer learner replay
# Long runs share the machine: start it with `nice -n 10`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${FUZZ_BUILD_DIR:-$root/build-fuzz}"
seconds="${1:-600}"
[ $# -gt 0 ] && shift
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(config checkpoint normalizer learner replay)

CC=clang CXX=clang++ cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHINDSIGHT_FUZZ=ON \
  -DHINDSIGHT_BUILD_TESTS=OFF -DHINDSIGHT_BUILD_BENCH=OFF -DHINDSIGHT_WITH_MPI=OFF >/dev/null
cmake --build "$build" -j "${JOBS:-2}" --target "${targets[@]/#/fuzz_}"

export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
export ASAN_OPTIONS="halt_on_error=1:detect_leaks=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
export LSAN_OPTIONS="suppressions=$root/scripts/sanitizers/lsan.supp:print_suppressions=0"
mkdir -p "$build/crashes"
status=0
for t in "${targets[@]}"; do
  corpus="$build/corpus/$t"
  mkdir -p "$corpus"
  seeds=("$root/fuzz/seeds/$t")
  [ "$t" = config ] && seeds+=("$root/configs")
  echo "fuzz_$t: ${seconds}s"
  "$build/fuzz/fuzz_$t" "$corpus" "${seeds[@]}" -max_total_time="$seconds" -timeout=30 -rss_limit_mb=4096 \
    -print_final_stats=1 -artifact_prefix="$build/crashes/$t-" >"$build/fuzz_$t.log" 2>&1 || status=1
  # The last progress line (execs, coverage, corpus) and the totals, or the error that stopped it.
  { grep -E "^#[0-9]+" "$build/fuzz_$t.log" | tail -n 1
    grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb|SUMMARY|==[0-9]+==ERROR)" "$build/fuzz_$t.log"
  } || true
done
exit $status
