#pragma once
// The training loop (epochs x cycles x episodes x updates, as baselines HER), normalizer
// initialisation (warm-up, file, off, freeze), per-epoch tests, progress.csv, checkpoints and resume.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "hindsight/core/finite.hpp"
#include "hindsight/env/goal_env.hpp"
#include "hindsight/hac/hac_agent.hpp"
#include "hindsight/io/config.hpp"
#include "hindsight/io/metrics_log.hpp"
#include "hindsight/io/run_dir.hpp"
#include "hindsight/io/tb_events.hpp"
#include "hindsight/train/agent.hpp"
#include "hindsight/train/comm.hpp"
#include "hindsight/train/rank_sync.hpp"

namespace hindsight::train {

// The env and agent a config describes (agent seeded from config.seed and the rank).
struct Setup {
  std::unique_ptr<GoalEnv> env;
  std::unique_ptr<Agent> agent;
};
// Builds env and agent for rank `rank` of `ranks`; throws Error for settings that do not fit the env. run_dir,
// when set, is the run the env belongs to: a task file is then read from the run's own copy (RUN/task/).
Setup make_setup(const TrainConfig& cfg, int rank = 0, int ranks = 1, const std::string& run_dir = "");
// The LevelConfig of a flat agent under cfg for env with one rank's batch of `ranks` (gamma auto resolved).
LevelConfig flat_level_config(const TrainConfig& cfg, const GoalEnv& env, int ranks = 1);
// The HAC settings of cfg for env (levels >= 2): H resolved, the flat LevelConfig shared by the levels.
hac::HacConfig hac_config(const TrainConfig& cfg, const GoalEnv& env, int ranks = 1);

// What a deterministic evaluation measured.
struct EvalReport {
  int episodes = 0;
  double success_rate = 0.0;  // at the goal at the last step (the scoring rule, agent.hpp)
  double reached_rate = 0.0;  // at the goal at some step: shown beside, never compared against it
  double mean_reward = 0.0;  // sum of env rewards per episode, averaged
};
// Runs n deterministic episodes (seeds derived from seed) and reports their success.
EvalReport evaluate(Agent& agent, GoalEnv& env, int episodes, std::uint64_t seed);

// Saves the agent (networks, optimizers, normalizers, RNG; the replay buffers when with_replay) and the
// trainer's counters into a checkpoint file, atomically.
struct Counters {
  int epoch = 0;               // epochs completed
  long env_steps = 0;          // env steps taken in training episodes (all ranks)
  long episodes = 0;           // training episodes (all ranks)
  double wall_seconds = 0.0;   // training time, summed over resumed sessions
  double best_success = -1.0;  // best test success so far (over best_episodes episodes when they ran)
  int ranks = 1;               // MPI ranks the run trains with; a resume must use as many
};
// When previous is given, the file at path is kept there (see io::write_file_rotating).
void save_checkpoint(const std::string& path, const TrainConfig& cfg, Agent& agent, const Counters& counters,
                     bool with_replay, const std::string& previous = "");
// Restores a checkpoint written for the same env and level count into agent; returns its counters.
Counters load_checkpoint(const std::string& path, const TrainConfig& cfg, Agent& agent);
// Saves what is private to one rank of a multi-rank run (its random stream and replay buffers), atomically.
void save_rank_state(const std::string& path, Agent& agent, int rank, int epoch);
// Restores a save_rank_state file, checking it belongs to this rank and epoch.
void load_rank_state(const std::string& path, Agent& agent, int rank, int epoch);
// Writes every level's normalizer statistics as one JSON file (usable as norm_file by a later run).
void save_normalizers(const std::string& path, Agent& agent);
// Loads statistics written by save_normalizers into the agent's levels (dims must match).
void load_normalizers(const std::string& path, Agent& agent);

// Under MPI (comm.size() > 1) every rank runs its own episodes and keeps its own replay buffers; the
// ranks share one model through RankSync: parameters broadcast at the start, gradients averaged before
// every optimizer step, normalizer statistics merged after the warm-up and in every cycle before the
// updates. Rank 0 alone writes progress.csv, tb/, checkpoints and normalizer.json; each other rank writes its
// own state (random stream, replay buffers) next to the checkpoint, so a resume with as many ranks
// continues exactly where every rank stopped.
//
// Crash safety: every run file is written atomically; each epoch appends its progress.csv row and the
// same values as a TensorBoard event to tb/ (one fsync'd append), then writes checkpoints/latest.ckpt,
// keeping the one it replaces as previous.ckpt. An epoch-0 checkpoint follows the normalizer warm-up.
// Resume loads latest.ckpt, or previous.ckpt when latest is missing or unusable, drops the progress rows
// and events after that checkpoint's epoch (and a torn last event) and continues; a run killed before its
// first checkpoint starts again from the beginning. The run directory is locked while a trainer may write
// it (from construction until run() returns).
//
// NaN/Inf: levels check their inputs, normalizer statistics and updates (see Level); the first bad value
// stops the run with one line naming the level, what and where ("level 0 critic loss is NaN at epoch 3
// cycle 12 update 7", counted from 1), before that epoch's row and checkpoint are written, so the last
// good checkpoint stays. With nan_policy=skip a bad update is skipped instead (l0/skipped_updates).
class Trainer {
 public:
  // A new run: validates cfg and the normalizer file, creates the run directory with config.yaml (root
  // rank) and locks it.
  Trainer(TrainConfig cfg, Comm& comm);
  // Resumes the run in run_dir from its newest usable checkpoint; overrides may extend epochs. Everything
  // is checked before any file is changed. The job must have as many ranks as the run was trained with.
  static Trainer resume(const std::string& run_dir, const std::vector<std::string>& overrides, Comm& comm);
  // Trains until cfg.epochs epochs are complete; a NaN/Inf throws Error saying where.
  void run();
  // The run directory.
  const std::string& run_dir() const { return run_dir_; }
  // Counters so far.
  const Counters& counters() const { return counters_; }
  // The agent being trained.
  Agent& agent() { return *setup_.agent; }

 private:
  // Where the loop is, for NaN/Inf messages: "epoch 3 cycle 12 update 7" (counted from 1).
  struct Position {
    const char* what = "start";  // "episode", "update", "test episode", "normalizer warm-up episode"
    int epoch = 0, cycle = 0, index = 0;
    std::string describe() const;
  };

  Trainer(TrainConfig cfg, Comm& comm, std::string run_dir);
  void train();
  void init_normalizers();
  // Records this rank's share of cfg.demos scripted-expert episodes into level 0's demonstration buffer;
  // fresh: a new run (they feed the normalizers and count as env steps), else a resume re-recording them.
  void record_demos(bool fresh);
  // Root rank, plot_every=K: the run's curves into RUN_DIR/plots; a failure is a warning (once), never fatal.
  void write_plots();
  std::vector<std::string> columns() const;
  // Multi-rank runs: every rank but 0 writes its own state (RNG, replay) for epoch, then all wait.
  void save_rank_states(int epoch);
  void save_epoch(int epoch, const std::map<std::string, double>& row, bool best);
  // Loads latest.ckpt, else previous.ckpt, and returns the path used ("" when neither exists); why a file
  // was skipped goes to skipped. Error when files exist but none is usable.
  std::string load_newest_checkpoint(const io::RunPaths& paths, std::string& skipped);
  // The one-line message for a NaN/Inf: level, what, where.
  std::string describe(const NonFiniteError& e);

  TrainConfig cfg_;
  Comm* comm_;
  std::string run_dir_;
  // On the heap: the learners' gradient reducers point to it, and a Trainer may be moved.
  std::unique_ptr<RankSync> sync_;
  Setup setup_;
  std::optional<io::MetricsLog> log_;
  std::optional<io::TbEventWriter> tb_;  // root rank: progress.csv's rows for TensorBoard, in RUN_DIR/tb/
  Counters counters_;
  bool resumed_ = false;
  bool plot_warned_ = false;
  std::optional<io::RunLock> lock_;  // root rank: held from construction (or run()) until run() ends
  Position at_;
};

}  // namespace hindsight::train
