#!/usr/bin/env bash
# The normalizer A/B every HER and HAC user runs first, on a task that learns: the from-scratch FetchPush
# preset with its statistics learned online (the preset: baselines' rule), with no normalization
# (norm_init=off), and started from the statistics an earlier run saved (norm_init=file: the final
# normalizer.json of the online run of the same seed, still updated online), each on the same seeds,
# through bench/learning.sh (so the same 100-episode tests and thresholds), then one overlaid plot.
# Usage: bench/norm_ab.sh [SEEDS] [EPOCHS]      (default "1 2 3" and 16)
#   env: OUT (runs/learning), BUILD_DIR, COMMIT (as bench/learning.sh); ONLINE_NAME (push-scratch: the
#        name the online runs have in OUT, so runs made already by learning.sh are reused, not repeated)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seeds="${1:-1 2 3}" epochs="${2:-16}"
out="${OUT:-runs/learning}"
online="${ONLINE_NAME:-push-scratch}"
config="$root/configs/flat/FetchPush.yaml"
export OUT="$out"
missing=""
for s in $seeds; do [ -f "$out/$online-s$s/normalizer.json" ] || missing="$missing $s"; done
[ -z "$missing" ] || NAME="$online" bash "$root/bench/learning.sh" "$config" "${missing# }" "$epochs"
NAME=push-norm-off bash "$root/bench/learning.sh" "$config" "$seeds" "$epochs" norm_init=off
for s in $seeds; do
  # Each seed starts from its own online run's final statistics (a copy: the source run may be resumed).
  stats="$out/push-norm-file-stats-s$s.json"
  cp "$out/$online-s$s/normalizer.json" "$stats"
  NAME=push-norm-file bash "$root/bench/learning.sh" "$config" "$s" "$epochs" norm_init=file norm_file="$(cd "$(dirname "$stats")" && pwd)/$(basename "$stats")"
done
SUMMARY_ONLY=1 NAME=push-norm-file bash "$root/bench/learning.sh" "$config" "$seeds" "$epochs"
runs=()
for name in "$online" push-norm-off push-norm-file; do for s in $seeds; do runs+=("$out/$name-s$s"); done; done
"${BUILD_DIR:-$root/build}/hindsight" plot "${runs[@]}" --out "$out/norm-ab-plots"
echo "norm A/B: plots in $out/norm-ab-plots"
