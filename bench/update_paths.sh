#!/usr/bin/env bash
# The DDPG update of the from-scratch presets on every path this machine offers, each beside its GEMMs
# alone (ddpg_bench: the same matrix multiplications, run alone in the same process): at batch 2048
# (FetchPush, 8 workers' data) and 4096 (FetchPickAndPlace, 16 workers'), one process with 1 thread, one
# process with one thread per core, and one rank per core with the batch split among them and the
# gradients all-reduced (what `ranks: auto` presets run). speedup = one thread's update time / the path's.
# Usage: bench/update_paths.sh [BUILD_DIR]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$(cd "${1:-$root/build}" && pwd)"
bench="$build/bench/ddpg_bench"
[ -x "$bench" ] || { echo "update paths: $bench not built (scripts/build.sh)" >&2; exit 1; }
source "$root/scripts/lib.sh"
n="$(cores)"
export OMP_WAIT_POLICY=PASSIVE
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_btl_vader_single_copy_mechanism=none
echo "update paths: commit $(commit_stamp "$root"), $n cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
field() { awk -F= -v k="$1" '$1 == k { print $2 }'; }
printf "%-6s %-28s %10s %14s %8s %8s\n" batch path update_ms gemm_only_ms ratio speedup
for batch in 2048 4096; do
  one=""
  for path in "1 process, 1 thread" "1 process, $n threads" "$n ranks, 1 thread each"; do
    case "$path" in
      "1 process, 1 thread") out="$(OMP_NUM_THREADS=1 "$bench" --batch "$batch" --threads 1)" ;;
      "1 process,"*) out="$(OMP_NUM_THREADS="$n" "$bench" --batch "$batch" --threads "$n")" ;;
      *) out="$(OMP_NUM_THREADS=1 mpirun -n "$n" "$bench" --batch $((batch / n)) --threads 1)" ;;
    esac
    ms="$(field update_ms <<<"$out")" mm="$(field matmul_only_ms <<<"$out")"
    [ -n "$one" ] || one="$ms"
    printf "%-6s %-28s %10s %14s %8.3f %8.2f\n" "$batch" "$path" "$ms" "$mm" \
      "$(awk -v a="$mm" -v b="$ms" 'BEGIN { print a / b }')" "$(awk -v a="$one" -v b="$ms" 'BEGIN { print a / b }')"
  done
done
echo "update paths: done, load average $(cut -d' ' -f1-3 /proc/loadavg)"
