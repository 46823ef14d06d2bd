#!/usr/bin/env bash
# Learning benchmark: trains one preset on several seeds and prints, per seed, the env steps and wall
# seconds (training time, progress.csv) and episodes at which the per-epoch test success first reached
# 0.5 and 0.9, the last epoch's test success, and `hindsight eval --episodes 100` of the best and of the
# last checkpoint; then the median over the seeds. Env steps include demonstration steps (demos=N).
# Every row names the commit of the tree it ran in (git HEAD, "+" for uncommitted changes to tracked files).
# The runs stay in OUT (default runs/learning) with their progress.csv, for plots and docs/results.md.
#
# Usage: bench/learning.sh CONFIG SEEDS EPOCHS [RANKS] [key=value ...]
#   CONFIG  a preset file (e.g. configs/flat/FetchPush-demos.yaml)
#   SEEDS   e.g. "1 2 3" (the seeds run one after another; PARALLEL=1 runs them all at once)
#   EPOCHS  epochs per run (a run directory OUT/NAME[-npRANKS]-sSEED that exists already is refused)
#   RANKS   MPI ranks per run, started with mpirun here (default: none given, the config's own `ranks`
#           decides; `ranks: auto` presets start one rank per core themselves)
# env: BUILD_DIR (build; a copy of a build for a long run holds hindsight, libhindsight.so and
#      libhindsight_torch.so side by side: the binary finds its libraries beside itself), OUT (runs/learning), NAME (run name prefix, default the config's basename),
#      PARALLEL (0), MPIEXEC (mpirun), SUMMARY_ONLY (1: summarize runs already in OUT, train nothing),
#      COMMIT (the commit the binary in BUILD_DIR was built from, when it is not the tree's HEAD)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[ $# -ge 3 ] || { echo "usage: bench/learning.sh CONFIG SEEDS EPOCHS [RANKS] [key=value ...]" >&2; exit 2; }
config="$1" seeds="$2" epochs="$3"
shift 3
ranks=""
if [ $# -gt 0 ] && [[ "$1" =~ ^[0-9]+$ ]]; then ranks="$1"; shift; fi
tag="${ranks:+-np$ranks}"
build="${BUILD_DIR:-$root/build}"
bin="$build/hindsight"
out="${OUT:-runs/learning}"
name="${NAME:-$(basename "$config" .yaml)}"
[ -x "$bin" ] || { echo "learning bench: $bin not built (scripts/build.sh)" >&2; exit 1; }
[ -f "$config" ] || { echo "learning bench: no config file $config" >&2; exit 1; }
mkdir -p "$out"

source "$root/scripts/lib.sh"
bench_env
# Several runs at once share the cores: their ranks may outnumber them and must yield while they wait.
# One run alone keeps Open MPI's default (a waiting rank polls), the fastest on dedicated cores.
if [ "${PARALLEL:-0}" = 1 ]; then
  export OMPI_MCA_rmaps_base_oversubscribe=1 OMPI_MCA_mpi_yield_when_idle=1
fi

train() {  # seed [key=value ...]
  local seed="$1"
  shift
  local run="$name$tag-s$seed"
  # train never overwrites a run (it would add a "-2" suffix) while the summary reads $run: refuse instead.
  [ ! -e "$out/$run" ] || { echo "learning bench: $out/$run exists; use a fresh OUT or NAME" >&2; return 1; }
  local cmd=("$bin" train --config "$config" --seed "$seed" --epochs "$epochs" --out "$out" run_name="$run" "$@")
  if [ "${ranks:-1}" -gt 1 ]; then cmd=("${MPIEXEC:-mpirun}" -n "$ranks" "${cmd[@]}"); fi
  echo "learning bench: ${cmd[*]}" >&2
  "${cmd[@]}" >"$out/$run.log" 2>&1 || { tail -3 "$out/$run.log" >&2; return 1; }
}

pids=()
[ "${SUMMARY_ONLY:-0}" = 1 ] && seeds_to_train="" || seeds_to_train="$seeds"
for s in $seeds_to_train; do
  if [ "${PARALLEL:-0}" = 1 ]; then train "$s" "$@" & pids+=($!); else train "$s" "$@"; fi
done
for p in "${pids[@]}"; do wait "$p"; done

# First epoch at or above a threshold: env steps, wall seconds and episodes ("-" when never reached).
first_at() {  # progress.csv threshold
  awk -F, -v th="$2" 'NR == 1 { for (i = 1; i <= NF; ++i) c[$i] = i; next }
    !done && $c["test/success_rate"] >= th {
      printf "%d %.0f %d\n", $c["env_steps"], $c["wall_seconds"], $c["episodes"]; done = 1 }
    END { if (!done) printf "- - -\n" }' "$1"
}
last_of() {  # progress.csv column
  awk -F, -v col="$2" 'NR == 1 { for (i = 1; i <= NF; ++i) c[$i] = i; next } { v = $c[col] } END { print v }' "$1"
}
eval_of() {  # run checkpoint
  "$bin" eval "$1" --episodes 100 --checkpoint "$2" 2>/dev/null | awk -F= '/^success_rate=/ { print $2 }'
}

summary="$out/$name$tag-summary.csv"
# The commit the binary was built from (with "+" when the tree had uncommitted changes), on every row.
commit="${COMMIT:-$(commit_stamp "$root")}"
echo "seed,steps_to_0.5,wall_to_0.5,steps_to_0.9,wall_to_0.9,env_steps,wall_seconds,last_test,eval100_best,eval100_last,episodes_to_0.5,episodes_to_0.9,commit" >"$summary"
for s in $seeds; do
  run="$out/$name$tag-s$s"
  p="$run/progress.csv"
  read -r s5 w5 e5 < <(first_at "$p" 0.5)
  read -r s9 w9 e9 < <(first_at "$p" 0.9)
  echo "$s,$s5,$w5,$s9,$w9,$(last_of "$p" env_steps),$(last_of "$p" wall_seconds),$(last_of "$p" test/success_rate),$(eval_of "$run" best),$(eval_of "$run" latest),$e5,$e9,$commit" >>"$summary"
done
column -s, -t "$summary"
# Median per column over the seeds ("-", never reached, sorts above every number).
printf "median"
for col in $(seq 2 12); do
  m="$(tail -n +2 "$summary" | cut -d, -f"$col" | sed 's/^-$/1e18/; s/^$/1e18/' | sort -g |
    awk '{ v[NR] = $1 } END { x = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
           if (x >= 1e17) print "-"; else print x }')"
  printf "  %s" "$m"
done
printf "\n"
echo "learning bench: summary in $summary"
