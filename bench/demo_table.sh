#!/usr/bin/env bash
# The demonstration table on the one scoring rule: flat DDPG+HER (configs/flat/FetchPickAndPlace-demos.yaml)
# against 2-level HAC (configs/FetchPickAndPlace.yaml), both with 100 expert demonstrations, both scored by
# the Gymnasium-Robotics rule (at the goal at the last of 50 steps) on 100 test episodes per epoch, so the
# "env steps to 0.5 / 0.9" columns of bench/learning.sh come from 100-episode evaluations on both sides.
# Each seed runs flat, then 2 levels, in one process; then both summaries and one overlaid plot.
# Usage: bench/demo_table.sh [SEEDS] [EPOCHS] [key=value ...]   (default "1 2 3" and 6 epochs: 35k env
#        steps, the demonstrations' 5k included; the keys go to the 2-level runs, e.g. train_to_limit=true)
#   env: OUT (runs/learning), BUILD_DIR, COMMIT (as bench/learning.sh), HAC_NAME (pnp-hac2-demos-t100)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seeds="${1:-1 2 3}" epochs="${2:-6}"
shift $(($# < 2 ? $# : 2))
out="${OUT:-runs/learning}"
export OUT="$out"
hac_name="${HAC_NAME:-pnp-hac2-demos-t100}"
flat="$root/configs/flat/FetchPickAndPlace-demos.yaml" hac="$root/configs/FetchPickAndPlace.yaml"
for s in $seeds; do
  NAME=pnp-flat-demos-t100 bash "$root/bench/learning.sh" "$flat" "$s" "$epochs" 1 test_episodes=100
  NAME="$hac_name" bash "$root/bench/learning.sh" "$hac" "$s" "$epochs" 1 test_episodes=100 "$@"
done
SUMMARY_ONLY=1 NAME=pnp-flat-demos-t100 bash "$root/bench/learning.sh" "$flat" "$seeds" "$epochs" 1
SUMMARY_ONLY=1 NAME="$hac_name" bash "$root/bench/learning.sh" "$hac" "$seeds" "$epochs" 1
runs=()
for name in pnp-flat-demos-t100 "$hac_name"; do for s in $seeds; do runs+=("$out/$name-np1-s$s"); done; done
"${BUILD_DIR:-$root/build}/hindsight" plot "${runs[@]}" --out "$out/$hac_name-plots"
echo "demo table: plots in $out/$hac_name-plots"
