#pragma once
// The files a run keeps beside its progress: checkpoints (agent + counters), the normalizer file and the
// per-rank state of multi-rank runs, each saved and loaded side by side; every write is atomic.
#include <string>

#include "hindsight/io/config.hpp"
#include "hindsight/io/run_dir.hpp"
#include "hindsight/learn/agent.hpp"

namespace hindsight::train {

// The trainer's counters, saved in every checkpoint.
struct Counters {
  int epoch = 0;               // epochs completed
  long env_steps = 0;          // env steps taken in training episodes (all ranks)
  long episodes = 0;           // training episodes (all ranks)
  double wall_seconds = 0.0;   // training time, summed over resumed sessions
  double best_success = -1.0;  // best test success so far (over best_episodes episodes when they ran)
  int ranks = 1;               // MPI ranks the run trains with; a resume must use as many
};

// Saves the agent (networks, optimizers, normalizers, RNG; the replay buffers when with_replay) and the
// counters into a checkpoint file, atomically. When previous is given, the file at path is kept there
// (see io::write_file_rotating).
void save_checkpoint(const std::string& path, const TrainConfig& cfg, learn::Agent& agent, const Counters& counters,
                     bool with_replay, const std::string& previous = "");
// Restores a checkpoint written for the same env and level count into agent; returns its counters.
Counters load_checkpoint(const std::string& path, const TrainConfig& cfg, learn::Agent& agent);
// Saves what is private to one rank of a multi-rank run (its random stream and replay buffers), atomically.
void save_rank_state(const std::string& path, learn::Agent& agent, int rank, int epoch);
// Restores a save_rank_state file, checking it belongs to this rank and epoch.
void load_rank_state(const std::string& path, learn::Agent& agent, int rank, int epoch);
// Writes every level's normalizer statistics as one JSON file (usable as norm_file by a later run).
void save_normalizers(const std::string& path, learn::Agent& agent);
// Loads statistics written by save_normalizers into the agent's levels (dims must match).
void load_normalizers(const std::string& path, learn::Agent& agent);

// A run without a usable checkpoint restarts from the beginning, which only a run with no progress row
// may do: Error otherwise; prints a note that it starts again.
void check_restartable(const io::RunPaths& paths);
// After the checks of a resume from `used` (skipped: why newer checkpoints were not usable): an unusable
// latest.ckpt is moved aside (kept for a post-mortem, out of the rotation), stale temporary files of
// interrupted writes are removed, and a warning names what was skipped.
void tidy_resumed_run(const io::RunPaths& paths, const std::string& used, const std::string& skipped);

}  // namespace hindsight::train
