#pragma once
// The training loop (epochs x cycles x episodes x updates, as baselines HER): per-epoch tests and the
// best checkpoint, progress.csv and TensorBoard rows, checkpoints, and resume. Agents are built by
// agents/make_agent, the run's files written by run_files, the normalizers initialised by norm_init.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <functional>

#include "hindsight/agents/make_agent.hpp"
#include "hindsight/core/finite.hpp"
#include "hindsight/env/goal_env.hpp"
#include "hindsight/io/config.hpp"
#include "hindsight/io/metrics_log.hpp"
#include "hindsight/io/run_dir.hpp"
#include "hindsight/io/tb_events.hpp"
#include "hindsight/learn/agent.hpp"
#include "hindsight/train/comm.hpp"
#include "hindsight/train/position.hpp"
#include "hindsight/train/rank_sync.hpp"
#include "hindsight/train/run_files.hpp"

namespace hindsight::train {

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
  learn::Agent& agent() { return *setup_.agent; }
  // Called on every rank once per session, just before its first update (tests inject faults with it).
  void set_before_first_update(std::function<void(RankSync&)> hook) { before_first_update_ = std::move(hook); }

 private:
  Trainer(TrainConfig cfg, Comm& comm, std::string run_dir);
  void train();
  // One epoch: cycles of rollouts and updates, the tests, the row, the checkpoints.
  void run_epoch(int epoch, bool first);
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
  agents::Setup setup_;
  std::optional<io::MetricsLog> log_;
  std::optional<io::TbEventWriter> tb_;  // root rank: progress.csv's rows for TensorBoard, in RUN_DIR/tb/
  Counters counters_;
  bool resumed_ = false;
  bool plot_warned_ = false;
  std::optional<io::RunLock> lock_;  // root rank: held from construction (or run()) until run() ends
  Position at_;  // where the loop is, for NaN/Inf messages
  std::function<void(RankSync&)> before_first_update_;
};

}  // namespace hindsight::train
