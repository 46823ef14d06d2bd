#!/usr/bin/env bash
# The normalizer A/B every HER and HAC user runs first, on a task that learns: the from-scratch FetchPush
# preset with its statistics learned online (the preset: baselines' rule), with no normalization
# (norm_init=off), and started from the statistics an earlier run saved (norm_init=file: the final
# normalizer.json of the online run of the same seed, still updated online), each on the same seeds,
# through bench/learning.sh (so the same 100-episode tests and thresholds), then one overlaid plot.
# Usage: bench/norm_ab.sh [SEEDS] [EPOCHS]      (default "1 2 3" and 16)
# The arms run seed by seed (online, off, file), so a session that ends early leaves whole seeds; run the
# same command again to finish: finished runs are kept, cut-off ones resumed.
#   env: OUT (runs/learning), BUILD_DIR, COMMIT (as bench/learning.sh); ONLINE_NAME (push-scratch: the
#        name the online runs have in OUT, so runs made already by learning.sh are reused, not repeated)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seeds="${1:-1 2 3}" epochs="${2:-16}"
out="${OUT:-runs/learning}"
online="${ONLINE_NAME:-push-scratch}"
config="$root/configs/flat/FetchPush.yaml"
export OUT="$out"
bin="${BUILD_DIR:-$root/build}/hindsight"
source "$root/scripts/lib.sh"
bench_env
# One arm on one seed: skipped when its run has all its epochs, resumed from its checkpoint when it has
# fewer (a run cut off by the end of a session), started through bench/learning.sh otherwise; so the
# A/B can be run again after an interruption and only finishes what is missing.
arm() {  # name seed [key=value ...]
  local name="$1" s="$2" run="$out/$1-s$2"
  shift 2
  local have=0
  [ -f "$run/progress.csv" ] && have=$(($(wc -l <"$run/progress.csv") - 1))
  if [ "$have" -ge "$epochs" ]; then
    echo "norm A/B: $run has $have epochs, kept" >&2
  elif [ -e "$run" ]; then
    echo "norm A/B: $run has $have epochs, resumed to $epochs" >&2
    "$bin" train --resume "$run" --epochs "$epochs" >>"$run.log" 2>&1 || { tail -3 "$run.log" >&2; return 1; }
  else
    NAME="$name" bash "$root/bench/learning.sh" "$config" "$s" "$epochs" "$@"
  fi
}
for s in $seeds; do
  arm "$online" "$s"
  arm push-norm-off "$s" norm_init=off
  # Each seed starts from its own online run's final statistics (a copy: the source run may be resumed).
  stats="$out/push-norm-file-stats-s$s.json"
  [ -f "$stats" ] || cp "$out/$online-s$s/normalizer.json" "$stats"
  arm push-norm-file "$s" norm_init=file norm_file="$(cd "$(dirname "$stats")" && pwd)/$(basename "$stats")"
done
for name in "$online" push-norm-off push-norm-file; do
  SUMMARY_ONLY=1 NAME="$name" bash "$root/bench/learning.sh" "$config" "$seeds" "$epochs"
done
runs=()
for name in "$online" push-norm-off push-norm-file; do for s in $seeds; do runs+=("$out/$name-s$s"); done; done
"$bin" plot "${runs[@]}" --out "$out/norm-ab-plots"
echo "norm A/B: plots in $out/norm-ab-plots"
