#!/usr/bin/env bash
# How evaluation episodes reach their goal and how they lose it again, from `hindsight eval --steps-csv`
# files (one row per env step: episode, step, success, ag_*, g_*, and for a hierarchy s_*, l1_*, ...).
# An episode is kept when it ends at the goal (the scoring rule) and lost when it was at the goal at some
# step and is not at the last. Printed per file and for all files together:
#   episodes, reached (at the goal at some step), kept, lost;
#   entry speed: how far the achieved goal moved in the step it first entered the goal window (episodes
#     that start inside the window are left out), median over every reached episode;
#   travel after entry: how far the achieved goal moved from that step to the last, median over kept and
#     over lost episodes, with their median final distance to the goal;
#   for the lost: the achieved goal's move in the step it left the window (min-max), their final distance
#     (min-max), and, when the rows hold s_0..s_2 (a Fetch subgoal space that starts with the gripper
#     position), how many left while the gripper was moving away from the block in the table's plane
#     ("slides") or not ("pushed");
#   when the rows also hold l1_0..l1_2 (level 1's subgoal for level 0): how far that subgoal was from the gripper
#     (s_0..s_2) in the step before the achieved goal entered the window, median over the reached episodes
#     (how far ahead the top aims as it brings the block in);
#   lifted: for a 3-D goal (Fetch: the block's x, y, z), the episodes whose ag_2 rose more than 0.025 above its
#     value after the first step (the block carried off the table).
# Usage: bench/step_traces.sh STEPS.csv [STEPS.csv ...]
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: bench/step_traces.sh STEPS.csv [STEPS.csv ...]" >&2; exit 2; }
for f in "$@"; do
  [ -r "$f" ] || { echo "step_traces: cannot read $f" >&2; exit 2; }
done

awk -F, '
function dist(a, b, n,   k, s) { s = 0; for (k = 0; k < n; ++k) s += (a[k] - b[k]) ^ 2; return sqrt(s) }
function sort_values(v, n,   i, j, x) {  # insertion sort of v[1..n]
  for (i = 2; i <= n; ++i) { x = v[i]; for (j = i - 1; j >= 1 && v[j] > x; --j) v[j + 1] = v[j]; v[j + 1] = x }
}
function median(v, n) {
  if (n == 0) return "-"
  sort_values(v, n)
  return sprintf("%.3f", n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2)
}
function range(v, n,   i, lo, hi) {
  if (n == 0) return "-"
  lo = v[1]; hi = v[1]
  for (i = 2; i <= n; ++i) { if (v[i] < lo) lo = v[i]; if (v[i] > hi) hi = v[i] }
  return sprintf("%.3f-%.3f", lo, hi)
}
# Per-file and "all files" tallies: tally() counts, keep() appends a value to a list, values() reads a list.
function tally(key) { ++cnt[part, key]; ++cnt["all", key] }
function keep(key, x) { val[part, key, ++len[part, key]] = x; val["all", key, ++len["all", key]] = x }
function values(p, key, v,   i, n) { n = len[p, key] + 0; for (i = 1; i <= n; ++i) v[i] = val[p, key, i]; return n }
function vec(src, r, n, out,   k) { for (k = 0; k < n; ++k) out[k] = src[r, k] }  # out[0..n-1] = src[r, 0..n-1]
# The rows of one episode are rows 1..nrow of the arrays ag[row, k], g[row, k], s[row, k], ok[row].
function close_episode(   r, first, last, a, b, c, d, e) {
  if (nrow == 0) return
  tally("episodes")
  if (ngoal >= 3) for (r = 2; r <= nrow; ++r) if (ag[r, 2] - ag[1, 2] > 0.025) { tally("lifted"); break }
  first = 0; last = 0
  for (r = 1; r <= nrow; ++r) if (ok[r]) { if (!first) first = r; last = r }
  if (first) {
    tally("reached")
    vec(ag, first, ngoal, a); vec(ag, nrow, ngoal, b); vec(g, nrow, ngoal, c)
    if (first > 1) {
      vec(ag, first - 1, ngoal, d); keep("entry", dist(d, a, ngoal))
      if (have_l1) { vec(l1, first - 1, 3, d); vec(s, first - 1, 3, e); keep("ahead", dist(d, e, 3)) }
    }
    if (ok[nrow]) {
      tally("kept"); keep("travel_kept", dist(a, b, ngoal)); keep("final_kept", dist(b, c, ngoal))
    } else {
      tally("lost"); keep("travel_lost", dist(a, b, ngoal)); keep("final_lost", dist(b, c, ngoal))
      vec(ag, last, ngoal, d); vec(ag, last + 1, ngoal, e); keep("leave", dist(d, e, ngoal))
      if (have_s) {  # gripper to block in the table plane, before and as it leaves
        vec(s, last, 2, a); vec(s, last + 1, 2, b)
        tally(dist(b, e, 2) > dist(a, d, 2) ? "slides" : "pushed")
      }
    }
  }
  nrow = 0
}
function report(p, name,   v, n) {
  printf "%s: episodes %d, reached %d, kept %d, lost %d\n", name, cnt[p, "episodes"], cnt[p, "reached"], cnt[p, "kept"], cnt[p, "lost"]
  n = values(p, "entry", v)
  printf "  entry speed (m per step): median %s over %d episodes\n", median(v, n), n
  if (have_l1) { n = values(p, "ahead", v); printf "  level 1 subgoal in the step before entry: median %s m from the gripper over %d episodes\n", median(v, n), n }
  n = values(p, "travel_kept", v); tk = median(v, n)
  n = values(p, "final_kept", v); fk = median(v, n)
  printf "  kept: travel after entry median %s, final distance median %s\n", tk, fk
  n = values(p, "travel_lost", v); tl = median(v, n)
  n = values(p, "final_lost", v); fl = median(v, n); flr = range(v, n)
  n = values(p, "leave", v); lr = range(v, n)
  printf "  lost: travel after entry median %s, final distance median %s (%s), move when leaving %s\n", tl, fl, flr, lr
  if (have_s) printf "  lost: slides %d, pushed %d\n", cnt[p, "slides"], cnt[p, "pushed"]
  if (file_goal[p] >= 3) printf "  lifted more than 0.025: %d episodes\n", cnt[p, "lifted"]
}
FNR == 1 {
  close_episode()
  part = FILENAME; files[++nfiles] = FILENAME
  split("", col)
  for (i = 1; i <= NF; ++i) col[$i] = i
  for (ngoal = 0; ("ag_" ngoal) in col && ("g_" ngoal) in col; ++ngoal) { agc[ngoal] = col["ag_" ngoal]; gc[ngoal] = col["g_" ngoal] }
  col_ep = col["episode"] + 0; col_ok = col["success"] + 0
  have_s = ("s_0" in col) && ("s_1" in col)
  have_l1 = have_s && ("s_2" in col) && ("l1_0" in col) && ("l1_1" in col) && ("l1_2" in col)
  for (k = 0; k < 3; ++k) { sc[k] = col["s_" k]; lc[k] = col["l1_" k] }
  file_s[FILENAME] = have_s; file_l1[FILENAME] = have_l1
  file_goal[FILENAME] = ngoal
  if (min_goal == "" || ngoal < min_goal) min_goal = ngoal
  if (!col_ep || !col_ok || ngoal == 0) { printf "step_traces: %s is not an eval --steps-csv file\n", FILENAME > "/dev/stderr"; bad = 1; exit 2 }
  if (any_s == "") any_s = have_s; else if (any_s != have_s) any_s = 0
  if (any_l1 == "") any_l1 = have_l1; else if (any_l1 != have_l1) any_l1 = 0
  episode = ""
  next
}
{
  if ($col_ep != episode) { close_episode(); episode = $col_ep }
  ++nrow
  ok[nrow] = $col_ok == 1
  for (k = 0; k < ngoal; ++k) { ag[nrow, k] = $(agc[k]); g[nrow, k] = $(gc[k]) }
  if (have_s) { s[nrow, 0] = $(sc[0]); s[nrow, 1] = $(sc[1]) }
  if (have_l1) { s[nrow, 2] = $(sc[2]); for (k = 0; k < 3; ++k) l1[nrow, k] = $(lc[k]) }
}
END {
  if (bad) exit 2
  close_episode()
  for (i = 1; i <= nfiles; ++i) { have_s = file_s[files[i]]; have_l1 = file_l1[files[i]]; report(files[i], files[i]) }
  if (nfiles > 1) { have_s = any_s; have_l1 = any_l1; file_goal["all"] = min_goal; report("all", "all files") }
}
' "$@"
