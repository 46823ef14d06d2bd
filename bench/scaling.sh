#!/usr/bin/env bash
# Data-parallel scaling on this machine: the same short training at 1 and 2 ranks (or RANKS="1 2 4"),
# timed by the trainer itself in the last of two epochs (progress.csv: time/rollout_seconds,
# time/update_seconds, time/allreduce_seconds, each the mean over ranks), so start-up and the first
# epoch's cold caches stay out. Per rank count it prints:
#   samples/s     env steps per second of rollout time, all ranks together
#   updates/s     gradient computations (batch_size rows each) per second of update time, all ranks together
#   allreduce_ms  time per update inside the gradient all-reduces: the transfer plus waiting for the
#                 slower rank (bench/allreduce_bench times the transfer alone)
#   compute_ms    the rest of an update's time on one rank
# and each rate's ratio to the first rank count (ideal: the rank ratio; the target at 2 ranks is >= 1.8).
# Usage: bench/scaling.sh [BUILD_DIR]
#   env: CONFIG (configs/flat/FetchPickAndPlace.yaml with workers=0: flat, 3x256, batch 256 per rank, 40
#        updates per cycle, one baselines worker per rank, so the figures do not move when a preset's data
#        scale changes), CYCLES (10), RANKS ("1 2"), MPIEXEC
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$(cd "${1:-$root/build}" && pwd)"
config="${CONFIG:-$root/configs/flat/FetchPickAndPlace.yaml}"
cycles="${CYCLES:-10}"
ranks_list="${RANKS:-1 2}"
mpiexec="${MPIEXEC:-mpirun}"
cores="$(getconf _NPROCESSORS_ONLN)"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

# Containers run as root and may block CMA; ranks may outnumber cores; one BLAS thread per rank; a rank
# waiting in a collective yields its core, which matters whenever ranks share cores with other work.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
export OMPI_MCA_btl_vader_single_copy_mechanism=none OMPI_MCA_mpi_yield_when_idle=1
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 OMP_WAIT_POLICY=PASSIVE

echo "scaling bench: config=$(basename "$(dirname "$config")")/$(basename "$config") cycles=$cycles cores=$cores load average: $(cut -d' ' -f1-3 /proc/loadavg)"
printf "%5s %10s %10s %13s %11s %10s %10s\n" ranks samples/s updates/s allreduce_ms compute_ms x_samples \
  x_updates
base=""
for n in $ranks_list; do
  run="$out/np$n/bench"
  "$mpiexec" -n "$n" "$build/hindsight" train --config "$config" --epochs 2 --out "$out/np$n" run_name=bench \
    cycles="$cycles" test_episodes=0 norm_warmup_episodes=0 workers=0 best_episodes=0 >/dev/null 2>"$out/np$n.log" ||
    { cat "$out/np$n.log" >&2; exit 1; }
  # Updates per epoch and rank, from the resolved config.
  upd="$(awk '/^(cycles|updates_per_cycle):/ {p = p ? p * $2 : $2} END {print p}' "$run/config.yaml")"
  # The last row against the one before: env_steps is cumulative, the times are per epoch.
  read -r samples updates allreduce compute < <(awk -F, -v n="$n" -v upd="$upd" '
    NR == 1 { for (i = 1; i <= NF; ++i) col[$i] = i; next }
    { prev = steps; steps = $col["env_steps"]; r = $col["time/rollout_seconds"]
      u = $col["time/update_seconds"]; a = $col["time/allreduce_seconds"] }
    END { printf "%f %f %f %f\n", (steps - prev) / r, n * upd / u, 1000 * a / upd,
          1000 * (u - a) / upd }' \
    "$run/progress.csv")
  [ -n "$base" ] || base="$samples $updates"
  read -r s0 u0 <<<"$base"
  ratio() { awk -v a="$1" -v b="$2" 'BEGIN {print a / b}'; }
  printf "%5d %10.0f %10.1f %13.3f %11.3f %10.2f %10.2f\n" \
    "$n" "$samples" "$updates" "$allreduce" "$compute" \
    "$(ratio "$samples" "$s0")" "$(ratio "$updates" "$u0")"
done
