#!/usr/bin/env bash
# One test-success figure per Fetch task from the per-epoch CSVs kept in docs/results/: flat and 2 levels
# from scratch, and with demonstrations (dashed), every run scored by the one rule (at the goal at the
# episode's last step). Runs measured under the old HAC rule are left out. Writes
# docs/images/overview-<task>/test_success_rate.png, beside the published from-scratch medians' points,
# and flat from scratch alone beside those points: docs/images/{push,pnp}-scratch/test_success_rate.png;
# and the normalizer A/B on FetchPush from scratch (online, off, file; the seeds whose off arm is in
# docs/results): docs/images/norm-ab/test_success_rate.png.
# Usage: bench/overview_plots.sh        env: BUILD_DIR (build)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${BUILD_DIR:-$root/build}/hindsight"
res="$root/docs/results"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# A run directory named LABEL holding CSV as its progress.csv (hindsight plot reads nothing else).
add() {  # task label csv
  [ -f "$3" ] || return 0
  mkdir -p "$tmp/$1/$2"
  cp "$3" "$tmp/$1/$2/progress.csv"
  printf '# copied from %s\n' "${3#"$root"/}" >"$tmp/$1/$2/config.yaml"
}
for s in 1 2 3; do
  add push "flat-scratch-s$s" "$res/FetchPush-scratch-s$s-progress.csv"
  add push "hac2-scratch-s$s" "$res/hac/push-hac2-scratch-tl-s$s-progress.csv"
  # The 2-level arms that learn from scratch: gripper-only subgoals, H = 5, level 0 without random actions
  # (docs/hierarchy.md #22), and the top's random subgoals at 0.1 on top of it (#23, the arm's value).
  add push "hac2-scratch-grip-h5-l0rand0-s$s" "$res/hac/push-hac2-scratch-tl-grip-h5-l0rand0-s$s-progress.csv"
  add push "hac2-scratch-grip-h5-l0rand0-l1rand01-s$s" \
    "$res/hac/push-hac2-scratch-tl-grip-h5-l0rand0-l1rand01-s$s-progress.csv"
  # ... and with the top's subgoal noise halved (#26).
  add push "hac2-scratch-grip-h5-l0rand0-l1rand01-l1noise01-s$s" \
    "$res/hac/push-hac2-scratch-tl-grip-h5-l0rand0-l1rand01-l1noise01-s$s-progress.csv"
  # ... and with the gripper's velocity in the subgoals (#30), and that with a looser velocity window (#32).
  add push "hac2-scratch-gripvel-h5-s$s" \
    "$res/hac/push-hac2-scratch-tl-gripvel-h5-l0rand0-l1rand01-l1noise01-s$s-progress.csv"
  add push "hac2-scratch-gripvel-thr002-h5-s$s" \
    "$res/hac/push-hac2-scratch-tl-gripvel-thr002-h5-l0rand0-l1rand01-l1noise01-s$s-progress.csv"
  # ... and #26 with level 0 holding its subgoals (#33).
  add push "hac2-scratch-grip-hold-h5-s$s" \
    "$res/hac/push-hac2-scratch-tl-grip-h5-hold-l0rand0-l1rand01-l1noise01-s$s-progress.csv"
  # ... and #26 without subgoal testing (#34), with a shallow replay at the top (#35), and with gripper + block
  # subgoals (#36).
  add push "hac2-scratch-grip-notest-h5-s$s" \
    "$res/hac/push-hac2-scratch-tl-grip-h5-l0rand0-l1rand01-l1noise01-test0-s$s-progress.csv"
  add push "hac2-scratch-grip-l1buf5k-h5-s$s" \
    "$res/hac/push-hac2-scratch-tl-grip-h5-l0rand0-l1rand01-l1noise01-l1buf5k-s$s-progress.csv"
  add push "hac2-scratch-gripblock-h5-s$s" \
    "$res/hac/push-hac2-scratch-tl-gripblock-h5-l0rand0-l1rand01-l1noise01-s$s-progress.csv"
  add pnp "hac2-scratch-grip-h10-s$s" "$res/hac/pnp-hac2-scratch-tl-grip-h10-s$s-progress.csv"
  # PickAndPlace's later 2-level arms (H = 5): subgoals with a finger's opening (#25), relative subgoals (#27)
  # and both (#28).
  add pnp "hac2-scratch-finger-h5-s$s" "$res/hac/pnp-hac2-scratch-tl-finger-h5-l0rand0-l1rand01-s$s-progress.csv"
  add pnp "hac2-scratch-relative-h5-s$s" \
    "$res/hac/pnp-hac2-scratch-tl-grip-h5-l0rand0-l1rand01-rel025-s$s-progress.csv"
  add pnp "hac2-scratch-relative-finger-h5-s$s" \
    "$res/hac/pnp-hac2-scratch-tl-finger-h5-l0rand0-l1rand01-rel025-s$s-progress.csv"
  # ... and the finger arm with the top's subgoal noise halved (#31).
  add pnp "hac2-scratch-finger-l1noise01-h5-s$s" \
    "$res/hac/pnp-hac2-scratch-tl-finger-h5-l0rand0-l1rand01-l1noise01-s$s-progress.csv"
  add push "flat-demos-s$s" "$res/FetchPush-demos-np1-s$s-progress.csv"
  add pnp "flat-scratch-s$s" "$res/FetchPickAndPlace-scratch-s$s-progress.csv"
  add pnp "flat-demos-s$s" "$res/pnp-flat-demos-t100-np1-s$s-progress.csv"
  add pnp "hac2-demos-s$s" "$res/hac/pnp-hac2-demos-tl-t100-np1-s$s-progress.csv"
  if [ -f "$res/FetchPush-norm-off-s$s-progress.csv" ]; then
    add norm "online-s$s" "$res/FetchPush-scratch-s$s-progress.csv"
    add norm "off-s$s" "$res/FetchPush-norm-off-s$s-progress.csv"
    add norm "file-s$s" "$res/FetchPush-norm-file-s$s-progress.csv"
  fi
done
# The published from-scratch medians (TianhongDai's port, 5 seeds; 8 workers on Push, 16 on PickAndPlace).
published() {  # task label steps_to_0.5 steps_to_0.9
  mkdir -p "$tmp/$1/$2"
  printf 'epoch,env_steps,episodes,wall_seconds,test/success_rate\n1,%s,0,0,0.5\n2,%s,0,0,0.9\n' "$3" "$4" \
    >"$tmp/$1/$2/progress.csv"
  echo "# published points" >"$tmp/$1/$2/config.yaml"
}
published push published-median-8workers 480000 640000
published pnp published-median-16workers 900000 2600000
for task in push pnp; do
  name=$([ "$task" = push ] && echo FetchPush || echo FetchPickAndPlace)
  "$bin" plot "$tmp/$task"/* --out "$tmp/plots-$task" --dashed demos >/dev/null
  mkdir -p "$root/docs/images/overview-$name"
  cp "$tmp/plots-$task/test_success_rate.png" "$root/docs/images/overview-$name/test_success_rate.png"
  echo "overview: docs/images/overview-$name/test_success_rate.png"
  # Flat from scratch alone beside the published points (results.md's from-scratch sections).
  "$bin" plot "$tmp/$task"/flat-scratch-* "$tmp/$task"/published-* --out "$tmp/scratch-$task" >/dev/null
  mkdir -p "$root/docs/images/$task-scratch"
  cp "$tmp/scratch-$task/test_success_rate.png" "$root/docs/images/$task-scratch/test_success_rate.png"
  echo "overview: docs/images/$task-scratch/test_success_rate.png"
done
"$bin" plot "$tmp/norm"/* --out "$tmp/plots-norm" >/dev/null
mkdir -p "$root/docs/images/norm-ab"
cp "$tmp/plots-norm/test_success_rate.png" "$root/docs/images/norm-ab/test_success_rate.png"
echo "overview: docs/images/norm-ab/test_success_rate.png"
