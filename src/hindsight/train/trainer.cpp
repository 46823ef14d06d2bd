#include "hindsight/train/trainer.hpp"

#include <sys/stat.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "hindsight/core/error.hpp"
#include "hindsight/env/task/task_spec.hpp"
#include "hindsight/io/atomic_file.hpp"
#include "hindsight/io/metrics_log.hpp"
#include "hindsight/io/run_dir.hpp"
#include "hindsight/plot/plot.hpp"
#include "hindsight/train/demos.hpp"
#include "hindsight/train/evaluate.hpp"
#include "hindsight/train/norm_init.hpp"
#include "hindsight/train/progress_bar.hpp"

namespace hindsight::train {
namespace {

using Clock = std::chrono::steady_clock;

bool is_directory(const std::string& p) {
  struct stat st {};
  return ::stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

}  // namespace

Trainer::Trainer(TrainConfig cfg, Comm& comm) : cfg_(std::move(cfg)), comm_(&comm) {
  validate(cfg_);
  setup_ = agents::make_setup(cfg_, comm_->rank(), comm_->size());  // validates the config against the env before any file is written
  // Read now so that a bad statistics file is refused before the run directory exists; init_normalizers()
  // reads it again, for runs that --resume restarts from the beginning.
  if (cfg_.norm_init == NormInit::file) load_normalizers(cfg_.norm_file, *setup_.agent);
  if (comm_->is_root()) {
    // A task file and its scene are copied into the run, so that eval, record and --resume of the run do not
    // depend on the originals staying where they are.
    std::vector<std::pair<std::string, std::string>> files;
    if (task::is_task_path(cfg_.env)) files = task::run_copy(task::read_task_files(cfg_.env));
    run_dir_ = io::create_run_dir(cfg_.out, cfg_.run_name.value_or(""), setup_.env->name(), cfg_.seed,
                                  to_yaml(cfg_), files);
    lock_.emplace(run_dir_);
  }
  // The name holds rank 0's clock time, so the other ranks learn it rather than derive it.
  comm_->broadcast(run_dir_);
  counters_.ranks = comm_->size();
  sync_ = std::make_unique<RankSync>(*comm_);
  // Each rank resolved the config from its own node's presets and files: they must have agreed.
  sync_->check_same_text(to_yaml(cfg_), "the resolved config");
}

Trainer::Trainer(TrainConfig cfg, Comm& comm, std::string run_dir)
    : cfg_(std::move(cfg)),
      comm_(&comm),
      run_dir_(std::move(run_dir)),
      sync_(std::make_unique<RankSync>(comm)) {
  validate(cfg_);
  setup_ = agents::make_setup(cfg_, comm_->rank(), comm_->size(), run_dir_);
}

Trainer Trainer::resume(const std::string& run_dir, const std::vector<std::string>& overrides, Comm& comm) {
  check(is_directory(run_dir), "--resume " + run_dir + ": no such directory");
  check(io::is_run_dir(run_dir), "--resume " + run_dir + ": not a run directory (no config.yaml)");
  const auto paths = io::run_paths(run_dir);
  // Locked before anything is read: another trainer in this directory would be changing it.
  std::optional<io::RunLock> lock;
  if (comm.is_root()) lock.emplace(run_dir);
  TrainConfig cfg = load_config_file(paths.config);
  const TrainConfig original = cfg;
  apply_overrides(cfg, overrides);
  TrainConfig only_epochs = original;
  only_epochs.epochs = cfg.epochs;
  check(cfg == only_epochs, "--resume: only epochs=N may be overridden when resuming a run");
  Trainer t(cfg, comm, run_dir);
  t.lock_ = std::move(lock);
  t.sync_->check_same_text(to_yaml(cfg), "the run's config");
  std::string skipped;
  const std::string used = t.load_newest_checkpoint(paths, skipped);
  t.resumed_ = !used.empty();
  if (t.resumed_) {
    // Each rank's episodes, seeds and buffers belong to its rank number: another count cannot continue them.
    check(t.counters_.ranks == comm.size(),
          "--resume " + run_dir + ": the run was trained with " + std::to_string(t.counters_.ranks) +
              " rank(s); resume it with as many (mpirun -np " + std::to_string(t.counters_.ranks) + "), not " +
              std::to_string(comm.size()));
    // Rank 0's own state is part of the checkpoint; the others kept theirs next to it.
    if (!comm.is_root()) {
      load_rank_state(io::rank_checkpoint(paths, comm.rank(), t.counters_.epoch), *t.setup_.agent, comm.rank(),
                      t.counters_.epoch);
    }
  }
  if (comm.is_root()) {
    // Every check comes before the first write: a refused resume leaves the run as it was.
    if (t.resumed_) {
      t.log_ = io::MetricsLog::resume(paths.progress, t.columns(), t.counters_.epoch);
      t.tb_ = io::TbEventWriter::resume(paths.tb, t.counters_.epoch);
    } else {
      check_restartable(paths);  // killed before its first checkpoint: nothing was trained
    }
    if (cfg.epochs != original.epochs) io::write_file_atomic(paths.config, to_yaml(cfg));
    tidy_resumed_run(paths, used, skipped);
  }
  return t;
}

std::string Trainer::load_newest_checkpoint(const io::RunPaths& paths, std::string& skipped) {
  for (const std::string& path : {paths.latest_checkpoint, paths.previous_checkpoint}) {
    if (!io::file_exists(path)) continue;
    try {
      counters_ = load_checkpoint(path, cfg_, *setup_.agent);
      return path;
    } catch (const Error& e) {
      skipped += (skipped.empty() ? "" : "; ") + std::string(e.what());
      setup_ = agents::make_setup(cfg_, comm_->rank(), comm_->size(), run_dir_);  // the failed load may have filled part of the agent
    }
  }
  check(skipped.empty(), "--resume " + paths.root + ": no usable checkpoint: " + skipped);
  return "";
}

std::string Trainer::describe(const NonFiniteError& e) {
  std::string level;
  const auto levels = setup_.agent->levels();
  for (std::size_t i = 0; i < levels.size(); ++i) {
    if (static_cast<const void*>(levels[i]) == e.origin()) level = "level " + std::to_string(i) + " ";
  }
  return level + e.what() + " at " + at_.describe();
}

std::vector<std::string> Trainer::columns() const {
  std::vector<std::string> c{"epoch",
                             "env_steps",
                             "episodes",
                             "wall_seconds",
                             "test/success_rate",
                             "train/success_rate",
                             "train/moved_rate",
                             "time/rollout_seconds",
                             "time/update_seconds",
                             "time/allreduce_seconds"};
  for (const auto& m : setup_.agent->metric_columns()) c.push_back(m);
  return c;
}

void Trainer::run() {
  if (comm_->is_root() && !lock_) lock_.emplace(run_dir_);
  try {
    train();
  } catch (const NonFiniteError& e) {
    throw Error(describe(e));
  }
  lock_.reset();  // done writing: the run may be resumed or evaluated by anyone now
  if (comm_->is_root()) std::fprintf(stderr, "evaluate it: hindsight eval %s --episodes 100\n", run_dir_.c_str());
}

void Trainer::train() {
  learn::Agent& agent = *setup_.agent;
  const bool root = comm_->is_root();
  const auto paths = io::run_paths(run_dir_);
  if (root) {
    if (!log_) log_.emplace(paths.progress, columns());
    if (!tb_) tb_.emplace(paths.tb);
    std::fprintf(stderr, "run directory: %s\n", run_dir_.c_str());
    const std::string parent = std::filesystem::path(run_dir_).parent_path().string();
    std::fprintf(stderr, "watch it: hindsight plot %s --out %s/plots\n          tensorboard --logdir %s\n",
                 run_dir_.c_str(), run_dir_.c_str(), parent.empty() ? "." : parent.c_str());
    if (comm_->size() > 1) std::fprintf(stderr, "ranks: %d (one rollout worker and learner each)\n", comm_->size());
  }
  // One model on every rank before the first update. A resumed run loaded the same checkpoint on every
  // rank already; the broadcast is one message and makes that a guarantee.
  sync_->broadcast_parameters(agent);
  sync_->install_gradient_reducers(agent, cfg_.nan_policy == NanPolicy::stop);
  // Demonstrations are not checkpointed: a resumed run records the same episodes again (fixed seeds).
  // Their env steps, and the warm-up's, are the run's: every figure against env steps includes them.
  counters_.env_steps += record_demos(cfg_, agent, *setup_.env, *comm_, !resumed_, at_);
  if (!resumed_) {
    counters_.env_steps += init_normalizers(cfg_, agent, *setup_.env, *comm_, *sync_, at_);
    // The warm-up can be long: a crash from now on resumes after it (every rank from its own state).
    save_rank_states(0);
    if (root) {
      save_normalizers(run_dir_ + "/normalizer.json", agent);
      save_checkpoint(paths.latest_checkpoint, cfg_, agent, counters_, true, paths.previous_checkpoint);
    }
  }
  const int first_epoch = counters_.epoch + 1;
  for (int epoch = first_epoch; epoch <= cfg_.epochs; ++epoch) run_epoch(epoch, epoch == first_epoch);
}

void Trainer::run_epoch(int epoch, bool first) {
  learn::Agent& agent = *setup_.agent;
  GoalEnv& env = *setup_.env;
  const int rank = comm_->rank(), ranks = comm_->size();
  const RankShare share = rank_share(cfg_, ranks);
  // Test episodes: this rank's, and the run's (the sum over the ranks).
  const int my_tests = rank_test_episodes(cfg_, rank, ranks);
  int all_tests = 0;
  for (int r = 0; r < ranks; ++r) all_tests += rank_test_episodes(cfg_, r, ranks);
  const auto t0 = Clock::now();
  ProgressBar bar("epoch " + std::to_string(epoch) + "/" + std::to_string(cfg_.epochs), cfg_.cycles, comm_->is_root());
  int train_success = 0, train_moved = 0, train_episodes = 0;
  long steps = 0;
  double rollout_seconds = 0.0, update_seconds = 0.0;
  for (int cycle = 0; cycle < cfg_.cycles; ++cycle) {
    const auto c0 = Clock::now();
    for (int e = 0; e < share.episodes_per_cycle; ++e) {
      at_ = {"episode", epoch, cycle + 1, e + 1};
      const auto index = static_cast<std::uint64_t>(counters_.episodes / ranks);
      const auto out = agent.run_episode(env, episode_seed(cfg_, "train", rank, index), true);
      train_success += out.success ? 1 : 0;
      train_moved += out.moved ? 1 : 0;
      ++train_episodes;
      steps += out.steps;
      counters_.episodes += ranks;
    }
    // The cycle's samples of every rank reach every rank's normalizers before any update uses them
    // (baselines updates its normalizer once per cycle, from the cycle's rollouts, too).
    sync_->sync_normalizers(agent);
    const auto c1 = Clock::now();
    if (first && cycle == 0 && before_first_update_) before_first_update_(*sync_);
    for (int u = 0; u < cfg_.updates_per_cycle; ++u) {
      at_ = {"update", epoch, cycle + 1, u + 1};
      agent.train_step();
    }
    agent.update_targets();
    rollout_seconds += std::chrono::duration<double>(c1 - c0).count();
    update_seconds += std::chrono::duration<double>(Clock::now() - c1).count();
    bar.update(cycle + 1);
  }
  int test_success = 0;
  for (int i = 0; i < my_tests; ++i) {
    at_ = {"test episode", epoch, 0, i + 1};
    const auto index = static_cast<std::uint64_t>(epoch) * static_cast<std::uint64_t>(my_tests + 1) + i;
    test_success += agent.run_episode(env, episode_seed(cfg_, "test", rank, index), false).success ? 1 : 0;
  }
  sync_->check_parameters_agree(agent);

  // Every figure of the row is the mean over the ranks (env steps: the sum), so it describes the job.
  // The agent reports the same columns on every rank, so the values line up key by key.
  std::map<std::string, double> row = agent.take_epoch_metrics();
  // Averaged over the ranks below, ranks x successes / all_tests gives the run's rate even when the
  // ranks ran different numbers of test episodes.
  row["test/success_rate"] = all_tests ? static_cast<double>(test_success) * ranks / all_tests : NAN;
  row["train/success_rate"] = static_cast<double>(train_success) / train_episodes;
  // The training episodes whose achieved goal (FetchPush's block) ended out of reach of where it started:
  // the ones whose hindsight goals teach more than "leave it where it is".
  row["train/moved_rate"] = static_cast<double>(train_moved) / train_episodes;
  row["time/rollout_seconds"] = rollout_seconds;
  row["time/update_seconds"] = update_seconds;
  row["time/allreduce_seconds"] = sync_->take_allreduce_stats().seconds;
  std::vector<double> values;
  for (const auto& [name, v] : row) values.push_back(v);
  values.push_back(static_cast<double>(steps));
  comm_->allreduce_sum(values);
  std::size_t k = 0;
  for (auto& [name, v] : row) v = values[k++] / ranks;
  counters_.env_steps += static_cast<long>(values.back());
  counters_.epoch = epoch;
  counters_.wall_seconds += std::chrono::duration<double>(Clock::now() - t0).count();

  const double test = row["test/success_rate"];
  char suffix[96];
  std::snprintf(suffix, sizeof suffix, "test=%.3f train=%.3f", test, row["train/success_rate"]);
  bar.finish(suffix);
  row["epoch"] = epoch;
  row["env_steps"] = static_cast<double>(counters_.env_steps);
  row["episodes"] = static_cast<double>(counters_.episodes);
  row["wall_seconds"] = counters_.wall_seconds;
  // best.ckpt: the epoch's few test episodes move in steps of 1/test_episodes, too coarse to tell 0.9
  // from 1.0, so a candidate (some test success, within 0.2 of the best: about two standard errors of 10
  // episodes) is re-measured on best_episodes episodes of its own seeds, shared among the ranks, and that
  // figure decides. The agent's metrics for the row were taken above, so these episodes do not enter them.
  double score = test;
  if (cfg_.best_episodes > 0 && std::isfinite(test) && test > 0 && test + 0.2 >= counters_.best_success) {
    at_ = {"best-checkpoint episode", epoch, 0, 0};
    score = evaluate_on_ranks(agent, env, cfg_.best_episodes, *comm_, [&](int r) {
      return episode_seed(cfg_, "best", r, static_cast<std::uint64_t>(epoch));
    });
    if (comm_->is_root()) {
      std::fprintf(stderr, "epoch %d: test success %.3f over %d best-checkpoint episodes\n", epoch, score,
                   cfg_.best_episodes);
    }
  }
  const bool best = std::isfinite(score) && score > counters_.best_success;
  if (best) counters_.best_success = score;
  save_epoch(epoch, row, best);
}

void Trainer::save_rank_states(int epoch) {
  if (comm_->size() == 1) return;
  const auto paths = io::run_paths(run_dir_);
  if (!comm_->is_root()) {
    // Without a shared filesystem the run directory exists only on rank 0's node; each rank keeps its
    // state on its own node then.
    std::error_code ec;
    std::filesystem::create_directories(paths.checkpoints, ec);
    check(!ec, "cannot create " + paths.checkpoints + ": " + ec.message());
    save_rank_state(io::rank_checkpoint(paths, comm_->rank(), epoch), *setup_.agent, comm_->rank(), epoch);
  }
  // Every rank's state for this epoch is on disk before the checkpoint that refers to it.
  comm_->barrier();
}

void Trainer::save_epoch(int epoch, const std::map<std::string, double>& row, bool best) {
  learn::Agent& agent = *setup_.agent;
  const auto paths = io::run_paths(run_dir_);
  const bool several = comm_->size() > 1;
  save_rank_states(epoch);
  if (comm_->is_root()) {
    // The row (and its TensorBoard event) goes first: a crash before the checkpoint lands makes resume start
    // from the previous checkpoint, drop this row and run the epoch again, so every epoch appears exactly once.
    log_->append_row(row);
    tb_->write(counters_.env_steps, row);
    save_checkpoint(paths.latest_checkpoint, cfg_, agent, counters_, true, paths.previous_checkpoint);
    if (best) save_checkpoint(paths.best_checkpoint, cfg_, agent, counters_, false);
    save_normalizers(run_dir_ + "/normalizer.json", agent);
    if (cfg_.plot_every > 0 && (epoch % cfg_.plot_every == 0 || epoch == cfg_.epochs)) write_plots();
  }
  if (several) {
    // This epoch's checkpoint has landed and the last one is previous.ckpt, which a resume falls back to
    // when latest.ckpt is damaged: only the rank states of the epoch before that are no longer needed.
    comm_->barrier();
    if (!comm_->is_root()) std::remove(io::rank_checkpoint(paths, comm_->rank(), epoch - 2).c_str());
  }
}

void Trainer::write_plots() {
  try {
    plot::PlotOptions opts;
    opts.out_dir = io::run_paths(run_dir_).plots;
    plot::plot_runs({run_dir_}, opts);
  } catch (const std::exception& e) {
    // Curves are a convenience: a missing gnuplot or a full disk must not stop hours of training.
    if (!plot_warned_) {
      std::fprintf(stderr, "hindsight: warning: plots not written (%s); training continues\n", e.what());
      plot_warned_ = true;
    }
  }
}

}  // namespace hindsight::train
