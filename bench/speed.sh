#!/usr/bin/env bash
# Speed benchmarks in one go, for the speed table of docs/development.md: env steps against bare mj_step (env_bench),
# DDPG updates against the same matrix multiplications alone (ddpg_bench), the training loop's two
# halves with an empty and a full 1M-transition buffer (train_bench), headless frames (render_bench),
# replay storage against memcpy (replay_bench), the update at batch 2048/4096 on one thread, all threads
# and one rank per core (bench/update_paths.sh), and 1 vs 2 ranks (bench/scaling.sh). Every
# figure is printed beside its limit measured in the same run. The output starts with the commit of the
# tree (git HEAD, "+" for uncommitted changes to tracked files), the date, the core count and the load
# average before and after, so a table row says what it describes and how busy the machine was.
# Usage: bench/speed.sh [BUILD_DIR]    (the binaries of scripts/build.sh; HINDSIGHT_BUILD_BENCH=ON)
#   env: SKIP_SCALING=1 leaves out the MPI runs
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$(cd "${1:-$root/build}" && pwd)"
for b in env_bench ddpg_bench train_bench render_bench replay_bench; do
  [ -x "$build/bench/$b" ] || { echo "speed bench: $build/bench/$b not built (scripts/build.sh)" >&2; exit 1; }
done
source "$root/scripts/lib.sh"
commit="$(commit_stamp "$root")"
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 OMP_WAIT_POLICY=PASSIVE

echo "speed bench: commit $commit, $(date -u +%Y-%m-%dT%H:%MZ), $(getconf _NPROCESSORS_ONLN) cores," \
  "load average $(cut -d' ' -f1-3 /proc/loadavg)"
for b in env_bench ddpg_bench train_bench render_bench replay_bench; do
  echo "== $b"
  "$build/bench/$b"
done
echo "== bench/update_paths.sh"
bash "$root/bench/update_paths.sh" "$build"
if [ "${SKIP_SCALING:-0}" != 1 ]; then
  echo "== bench/scaling.sh"
  bash "$root/bench/scaling.sh" "$build"
fi
echo "speed bench: done, load average $(cut -d' ' -f1-3 /proc/loadavg)"
