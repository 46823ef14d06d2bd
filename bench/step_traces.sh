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
# The rows of one episode are rows 1..nrow of the arrays ag[row, k], g[row, k], s[row, k], ok[row].
function close_episode(   r, first, last, a, b, c, d, e, gb0, gb1, kept) {
  if (nrow == 0) return
  ++n_ep[part]
  if (ngoal >= 3) for (r = 2; r <= nrow; ++r) if (ag[r, 2] - ag[1, 2] > 0.025) { ++n_lifted[part]; break }
  first = 0; last = 0
  for (r = 1; r <= nrow; ++r) if (ok[r]) { if (!first) first = r; last = r }
  if (first) {
    ++n_reached[part]
    kept = ok[nrow]
    row_vec(first, a); row_vec(nrow, b); goal_vec(nrow, c)
    if (first > 1) { row_vec(first - 1, d); entry[part, ++n_entry[part]] = dist(d, a, ngoal) }
    if (kept) {
      ++n_kept[part]
      travel_kept[part, ++n_tk[part]] = dist(a, b, ngoal); final_kept[part, n_tk[part]] = dist(b, c, ngoal)
    } else {
      ++n_lost[part]
      travel_lost[part, ++n_tl[part]] = dist(a, b, ngoal); final_lost[part, n_tl[part]] = dist(b, c, ngoal)
      row_vec(last, d); row_vec(last + 1, e); leave[part, n_tl[part]] = dist(d, e, ngoal)
      if (have_s) {
        gb0 = sqrt((s[last, 0] - ag[last, 0]) ^ 2 + (s[last, 1] - ag[last, 1]) ^ 2)
        gb1 = sqrt((s[last + 1, 0] - ag[last + 1, 0]) ^ 2 + (s[last + 1, 1] - ag[last + 1, 1]) ^ 2)
        if (gb1 > gb0) ++n_slides[part]; else ++n_pushed[part]
      }
    }
  }
  nrow = 0
}
function row_vec(r, out,   k) { for (k = 0; k < ngoal; ++k) out[k] = ag[r, k] }
function goal_vec(r, out,   k) { for (k = 0; k < ngoal; ++k) out[k] = g[r, k] }
function report(p, name,   i, v, n) {
  printf "%s: episodes %d, reached %d, kept %d, lost %d\n", name, n_ep[p], n_reached[p], n_kept[p], n_lost[p]
  n = n_entry[p]; for (i = 1; i <= n; ++i) v[i] = entry[p, i]
  printf "  entry speed (m per step): median %s over %d episodes\n", median(v, n), n
  n = n_tk[p]; for (i = 1; i <= n; ++i) v[i] = travel_kept[p, i]; tk = median(v, n)
  for (i = 1; i <= n; ++i) v[i] = final_kept[p, i]; fk = median(v, n)
  printf "  kept: travel after entry median %s, final distance median %s\n", tk, fk
  n = n_tl[p]; for (i = 1; i <= n; ++i) v[i] = travel_lost[p, i]; tl = median(v, n)
  for (i = 1; i <= n; ++i) v[i] = final_lost[p, i]; fl = median(v, n); flr = range(v, n)
  for (i = 1; i <= n; ++i) v[i] = leave[p, i]; lr = range(v, n)
  printf "  lost: travel after entry median %s, final distance median %s (%s), move when leaving %s\n", tl, fl, flr, lr
  if (have_s) printf "  lost: slides %d, pushed %d\n", n_slides[p] + 0, n_pushed[p] + 0
  if (file_goal[p] >= 3) printf "  lifted more than 0.025: %d episodes\n", n_lifted[p] + 0
}
FNR == 1 {
  close_episode()
  if (NR > 1) copy_part()
  part = FILENAME; files[++nfiles] = FILENAME
  ngoal = 0; have_s = 0; col_ep = 0; col_ok = 0
  for (i = 1; i <= NF; ++i) {
    if ($i == "episode") col_ep = i
    else if ($i == "success") col_ok = i
    else if ($i ~ /^ag_[0-9]+$/) { agc[substr($i, 4) + 0] = i; ++ngoal }
    else if ($i ~ /^g_[0-9]+$/) gc[substr($i, 3) + 0] = i
    else if ($i == "s_0" || $i == "s_1") { sc[substr($i, 3) + 0] = i; ++have_s }
  }
  have_s = have_s == 2; file_s[FILENAME] = have_s; file_goal[FILENAME] = ngoal
  if (min_goal == "" || ngoal < min_goal) min_goal = ngoal
  if (!col_ep || !col_ok || ngoal == 0) { printf "step_traces: %s is not an eval --steps-csv file\n", FILENAME > "/dev/stderr"; bad = 1; exit 2 }
  if (any_s == "") any_s = have_s; else if (any_s != have_s) any_s = 0
  episode = ""
  next
}
{
  if ($col_ep != episode) { close_episode(); episode = $col_ep }
  ++nrow
  ok[nrow] = $col_ok == 1
  for (k = 0; k < ngoal; ++k) { ag[nrow, k] = $(agc[k]); g[nrow, k] = $(gc[k]) }
  if (have_s) { s[nrow, 0] = $(sc[0]); s[nrow, 1] = $(sc[1]) }
}
# Adds the finished file s counts to the "all" totals.
function copy_part(   i) {
  n_ep["all"] += n_ep[part]; n_reached["all"] += n_reached[part]; n_kept["all"] += n_kept[part]
  n_lost["all"] += n_lost[part]; n_slides["all"] += n_slides[part]; n_pushed["all"] += n_pushed[part]
  n_lifted["all"] += n_lifted[part]
  for (i = 1; i <= n_entry[part]; ++i) entry["all", ++n_entry["all"]] = entry[part, i]
  for (i = 1; i <= n_tk[part]; ++i) { ++n_tk["all"]; travel_kept["all", n_tk["all"]] = travel_kept[part, i]; final_kept["all", n_tk["all"]] = final_kept[part, i] }
  for (i = 1; i <= n_tl[part]; ++i) {
    ++n_tl["all"]; travel_lost["all", n_tl["all"]] = travel_lost[part, i]
    final_lost["all", n_tl["all"]] = final_lost[part, i]; leave["all", n_tl["all"]] = leave[part, i]
  }
}
END {
  if (bad) exit 2
  close_episode(); copy_part()
  for (i = 1; i <= nfiles; ++i) { have_s = file_s[files[i]]; report(files[i], files[i]) }
  if (nfiles > 1) { have_s = any_s; file_goal["all"] = min_goal; report("all", "all files") }
}
' "$@"
