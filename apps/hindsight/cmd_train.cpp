// hindsight train: resolve the config (defaults < preset or --config < flags < key=value), then train,
// or resume a run directory.
#include <cstdio>
#include <iostream>

#include "cli_args.hpp"
#include "commands.hpp"
#include "hindsight/core/error.hpp"
#include "hindsight/io/config.hpp"
#include "hindsight/learn/blas_check.hpp"
#include "hindsight/train/comm.hpp"
#include "hindsight/train/trainer.hpp"

namespace hindsight::cli {

TrainConfig resolve_train_config(const ParsedArgs& p) {
  TrainConfig cfg = default_config();
  const std::string env = p.value("--env").value_or(cfg.env);
  if (const auto file = p.value("--config")) {
    cfg = load_config_file(*file);
  } else if (const std::string preset = find_preset(env, configs_dir()); !preset.empty()) {
    cfg = load_config_file(preset);
  }
  std::vector<std::string> overrides;
  const std::pair<const char*, const char*> flag_keys[] = {
      {"--env", "env"}, {"--levels", "levels"}, {"--epochs", "epochs"}, {"--seed", "seed"}, {"--out", "out"}};
  for (const auto& [flag, key] : flag_keys) {
    if (const auto v = p.value(flag)) overrides.push_back(std::string(key) + "=" + *v);
  }
  for (const auto& w : p.positional()) overrides.push_back(w);
  apply_overrides(cfg, overrides);
  validate(cfg);
  return cfg;
}

namespace {

// Printed once the input is accepted, so that refused input gets exactly one line.
void print_blas_note(const train::Comm& comm) {
  if (!comm.is_root()) return;
  if (!learn::blas_is_fast()) {
    std::fprintf(stderr, "hindsight: warning: LibTorch uses the slow reference BLAS (install libopenblas0-pthread)\n");
  } else if (const std::string hint = learn::blas_tuning_hint(); !hint.empty()) {
    std::fprintf(stderr, "hindsight: note: %s\n", hint.c_str());
  }
}

}  // namespace

int cmd_train(const Args& args) {
  const ParsedArgs p(args, {"--config", "--env", "--levels", "--epochs", "--seed", "--out", "--resume"}, {"--help"});
  if (p.has("--help")) {
    std::cout << "usage: hindsight train [--config FILE] [--env NAME] [--levels K] [--epochs N] [--seed S]\n"
                 "                       [--out DIR] [key=value ...]\n"
                 "       hindsight train --resume RUN_DIR [epochs=N]\n\nconfig keys:\n"
              << config_help();
    return 0;
  }
  auto comm = train::make_comm();
  if (const auto dir = p.value("--resume")) {
    for (const char* f : {"--config", "--env", "--levels", "--seed", "--out"}) {
      check(!p.value(f), std::string("--resume takes no ") + f + " (the run's own config.yaml is used)");
    }
    std::vector<std::string> overrides = p.positional();
    if (const auto e = p.value("--epochs")) overrides.push_back("epochs=" + *e);
    auto trainer = train::Trainer::resume(*dir, overrides, *comm);
    print_blas_note(*comm);
    trainer.run();
    if (comm->is_root()) std::cout << "run: " << trainer.run_dir() << "\n";
    return 0;
  }
  train::Trainer trainer(resolve_train_config(p), *comm);
  print_blas_note(*comm);
  trainer.run();
  if (comm->is_root()) std::cout << "run: " << trainer.run_dir() << "\n";
  return 0;
}

}  // namespace hindsight::cli
