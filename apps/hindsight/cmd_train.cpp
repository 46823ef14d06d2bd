// hindsight train: resolve the config (defaults < preset or --config < flags < key=value), then train,
// or resume a run directory.
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli_parse.hpp"
#include "commands.hpp"
#include "hindsight/core/error.hpp"
#include "hindsight/env/task/task_spec.hpp"
#include "hindsight/io/atomic_file.hpp"
#include "hindsight/io/config.hpp"
#include "hindsight/io/run_dir.hpp"
#include "hindsight/learn/blas_check.hpp"
#include "hindsight/train/comm.hpp"
#include "hindsight/train/fault_injection.hpp"
#include "hindsight/train/launcher.hpp"
#include "hindsight/train/trainer.hpp"

namespace hindsight::cli {
namespace {

// The parsed command line of `hindsight train`.
struct TrainArgs {
  std::optional<std::string> config, env, levels, epochs, seed, out, resume;
  std::vector<std::string> overrides;  // key=value words, in order
};

// The run's config: the defaults, then the env's preset or --config, then the flags, then key=value.
// source says where it started from (a file, or the built-in defaults when no preset was found).
TrainConfig resolve_train_config(const TrainArgs& a, std::string& source) {
  TrainConfig cfg = default_config();
  const std::string env = a.env.value_or(cfg.env);
  const std::string dir = a.config ? "" : configs_dir();
  if (a.config) {
    cfg = load_config_file(*a.config);
    source = *a.config;
  } else if (task::is_task_path(env)) {
    source = "the built-in defaults (a task file has no preset; start from one with --config FILE)";
  } else if (const std::string preset = find_preset(env, dir); !preset.empty()) {
    cfg = load_config_file(preset);
    source = preset + " (the " + env + " preset)";
  } else {
    source = "the built-in defaults: no preset " + env + ".yaml in " +
             (dir.empty() ? std::string("any presets directory") : dir) +
             " (set HINDSIGHT_CONFIGS or use --config FILE)";
  }
  // The flags become overrides too, so their values are checked (and worded) like key=value.
  std::vector<std::string> overrides;
  const std::pair<const std::optional<std::string>*, const char*> flag_keys[] = {
      {&a.env, "env"}, {&a.levels, "levels"}, {&a.epochs, "epochs"}, {&a.seed, "seed"}, {&a.out, "out"}};
  for (const auto& [value, key] : flag_keys) {
    if (*value) overrides.push_back(std::string(key) + "=" + **value);
  }
  overrides.insert(overrides.end(), a.overrides.begin(), a.overrides.end());
  apply_overrides(cfg, overrides);
  validate(cfg);
  return cfg;
}

// Printed once the input is accepted, so that refused input gets exactly one line.
void print_blas_note(const train::Comm& comm) {
  if (!comm.is_root()) return;
  if (!learn::blas_is_fast()) {
    std::fprintf(stderr, "hindsight: warning: LibTorch uses the slow reference BLAS (install libopenblas0-pthread)\n");
  } else if (const std::string hint = learn::blas_tuning_hint(); !hint.empty()) {
    std::fprintf(stderr, "hindsight: note: %s\n", hint.c_str());
  }
}

// The words of this command line after the program name, as a self-launch passes them on to its ranks.
std::vector<std::string> train_words(const TrainArgs& a) {
  std::vector<std::string> w{"train"};
  const std::pair<const std::optional<std::string>*, const char*> flags[] = {
      {&a.config, "--config"}, {&a.env, "--env"},   {&a.levels, "--levels"}, {&a.epochs, "--epochs"},
      {&a.seed, "--seed"},     {&a.out, "--out"},   {&a.resume, "--resume"}};
  for (const auto& [value, flag] : flags) {
    if (*value) {
      w.push_back(flag);
      w.push_back(**value);
    }
  }
  w.insert(w.end(), a.overrides.begin(), a.overrides.end());
  return w;
}

// Trains a new run, or resumes one, and prints `run: DIR` last. A run of several ranks started without
// mpirun starts them itself (this process becomes mpirun).
int run_train(const TrainArgs& a) {
  const bool launched = train::started_by_launcher();
  if (a.resume && !launched) {
    // The ranks the run was made with: resolved when it started, kept in its config.yaml.
    const std::string config = io::run_paths(*a.resume).config;
    if (io::file_exists(config)) {
      const int ranks = train::resolve_ranks(load_config_file(config).ranks);
      if (ranks > 1) train::relaunch_under_mpi(ranks, train_words(a));
    }
  }
  auto comm = train::make_comm();
  if (a.resume) {
    const std::pair<const std::optional<std::string>*, const char*> fixed[] = {
        {&a.config, "--config"}, {&a.env, "--env"}, {&a.levels, "--levels"}, {&a.seed, "--seed"}, {&a.out, "--out"}};
    for (const auto& [value, flag] : fixed) {
      check(!*value, std::string("--resume takes no ") + flag + " (the run's own config.yaml is used)");
    }
    std::vector<std::string> overrides = a.overrides;
    if (a.epochs) overrides.push_back("epochs=" + *a.epochs);
    auto trainer = train::Trainer::resume(*a.resume, overrides, *comm);
    trainer.set_before_first_update(train::fault_hook_from_env(comm->rank()));
    print_blas_note(*comm);
    trainer.run();
    if (comm->is_root()) std::cout << "run: " << trainer.run_dir() << "\n";
    return 0;
  }
  std::string source;
  TrainConfig cfg = resolve_train_config(a, source);
  if (launched) {
    cfg.ranks = comm->size();  // mpirun's count is the run's, whatever the config asked for
  } else {
    const int ranks = train::resolve_ranks(cfg.ranks);
    (void)rank_share(cfg, ranks);  // a worker count the ranks cannot share is refused here, in one line
    if (ranks > 1) {
      // The count is fixed now (auto resolved on this machine), so every rank and a later --resume agree.
      TrainArgs with_count = a;
      with_count.overrides.push_back("ranks=" + std::to_string(ranks));
      train::relaunch_under_mpi(ranks, train_words(with_count));
    }
    cfg.ranks = 1;
  }
  train::Trainer trainer(std::move(cfg), *comm);
  trainer.set_before_first_update(train::fault_hook_from_env(comm->rank()));
  print_blas_note(*comm);
  if (comm->is_root()) std::fprintf(stderr, "config: %s\n", source.c_str());
  trainer.run();
  if (comm->is_root()) std::cout << "run: " << trainer.run_dir() << "\n";
  return 0;
}

}  // namespace

Command add_train(CLI::App& app) {
  auto a = std::make_shared<TrainArgs>();
  CLI::App* sub = app.add_subcommand(
      "train", "Train an agent, or continue a run with --resume; the last line is `run: DIR`");
  add_words(*sub, "OVERRIDES", a->overrides, "[key=value ...]",
            "config overrides, applied last, e.g. polyak=0.9 hidden=[128,128] (the keys are below)");
  add_value_flag(*sub, "--config", a->config, "FILE", "start from this YAML config instead of the env's preset");
  add_value_flag(*sub, "--env", a->env, "NAME|FILE",
                 "task to train: a registered env, whose preset configs/NAME.yaml is the starting point (default "
                 "FetchPickAndPlace), or a task file (PATH.yaml, docs/tasks.md)");
  add_value_flag(*sub, "--levels", a->levels, "K", "hierarchy levels: 1 = flat DDPG+HER, K > 1 = HAC (as levels=K)");
  add_value_flag(*sub, "--epochs", a->epochs, "N", "training epochs (as epochs=N); with --resume, the new total");
  add_value_flag(*sub, "--seed", a->seed, "S", "base seed; every worker and MPI rank derives its own (as seed=S)");
  add_value_flag(*sub, "--out", a->out, "DIR", "directory that receives the run directory (as out=DIR)");
  add_value_flag(*sub, "--resume", a->resume, "RUN_DIR",
                 "continue RUN_DIR from its newest checkpoint with its own config; only epochs=N may change");
  sub->footer([] {
    std::string text =
        "The config is the env's preset (or --config FILE), then the flags, then key=value words.\n\n"
        "config keys:\n" +
        config_help();
    std::string keys;
    for (const auto& k : level_keys()) keys += (keys.empty() ? "" : ", ") + k;
    text += "\nPer level: levelN.KEY=VALUE (N = 0 for the bottom level) sets KEY for level N only, e.g.\n"
            "level1.actor_lr=0.01 level1.noise_eps=0.1; KEY=VALUE sets every level. Per-level keys: " +
            keys + ".\nThe run's config.yaml lists each level's own values after the shared ones.";
    while (!text.empty() && text.back() == '\n') text.pop_back();
    return text;
  });
  return {sub, [a] { return run_train(*a); }};
}

}  // namespace hindsight::cli
