#include "hindsight/train/trainer.hpp"

#include <sys/stat.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>

#include <nlohmann/json.hpp>

#include "hindsight/core/error.hpp"
#include "hindsight/env/registry.hpp"
#include "hindsight/hac/hac_agent.hpp"
#include "hindsight/hac/subgoal_space.hpp"
#include "hindsight/io/atomic_file.hpp"
#include "hindsight/io/checkpoint.hpp"
#include "hindsight/io/metrics_log.hpp"
#include "hindsight/io/run_dir.hpp"
#include "hindsight/train/flat_agent.hpp"
#include "hindsight/train/progress_bar.hpp"

namespace hindsight::train {
namespace {

using Clock = std::chrono::steady_clock;
constexpr int kCheckpointVersion = 1;

learn::HerStrategy her_of(HerStrategy s) {
  switch (s) {
    case HerStrategy::future: return learn::HerStrategy::kFuture;
    case HerStrategy::final: return learn::HerStrategy::kFinal;
    case HerStrategy::none: return learn::HerStrategy::kNone;
  }
  return learn::HerStrategy::kFuture;
}

// Seeds of the episodes a rank runs: one stream per purpose and rank, indexed by a counter.
std::uint64_t episode_seed(const TrainConfig& cfg, const char* purpose, int rank, std::uint64_t index) {
  return derive_seed(derive_seed(derive_seed(cfg.seed, purpose), static_cast<std::uint64_t>(rank)), index);
}

Trajectory random_trajectory(GoalEnv& env, std::uint64_t seed, Rng& rng) {
  Trajectory t;
  GoalObs o = env.reset(seed);
  const Box& as = env.action_space();
  t.T = env.max_episode_steps();
  for (int s = 0; s < t.T; ++s) {
    t.obs.insert(t.obs.end(), o.observation.begin(), o.observation.end());
    t.ag.insert(t.ag.end(), o.achieved_goal.begin(), o.achieved_goal.end());
    t.g.insert(t.g.end(), o.desired_goal.begin(), o.desired_goal.end());
    o = env.step(as.sample(rng)).obs;
  }
  t.obs.insert(t.obs.end(), o.observation.begin(), o.observation.end());
  t.ag.insert(t.ag.end(), o.achieved_goal.begin(), o.achieved_goal.end());
  return t;
}

bool is_directory(const std::string& p) {
  struct stat st {};
  return ::stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

}  // namespace

LevelConfig flat_level_config(const TrainConfig& cfg, const GoalEnv& env) {
  LevelConfig lc;
  lc.ddpg.hidden = cfg.hidden;
  lc.ddpg.actor_lr = cfg.actor_lr;
  lc.ddpg.critic_lr = cfg.critic_lr;
  lc.ddpg.gamma = cfg.gamma > 0 ? cfg.gamma : 1.0 - 1.0 / env.max_episode_steps();
  lc.ddpg.polyak = cfg.polyak;
  lc.ddpg.target_networks = cfg.target_networks;
  lc.ddpg.action_l2 = cfg.action_l2;
  // Rewards lie in [-1, 0]: the discounted return lies in [-1/(1-gamma), 0] (baselines' clip_return).
  lc.ddpg.q_min = lc.ddpg.gamma < 1.0 ? -1.0 / (1.0 - lc.ddpg.gamma) : -static_cast<double>(env.max_episode_steps());
  lc.ddpg.q_max = 0.0;
  lc.ddpg.bounded_critic = false;
  lc.ddpg.torch_threads = cfg.torch_threads;
  lc.norm.eps = cfg.norm_eps;
  lc.norm.clip = cfg.norm_clip;
  lc.normalize = cfg.norm_init != NormInit::off;
  lc.clip_obs = cfg.clip_obs;
  lc.her = her_of(cfg.her_strategy);
  lc.replay_k = cfg.replay_k;
  lc.buffer_size = static_cast<std::size_t>(cfg.buffer_size);
  lc.batch_size = cfg.batch_size;
  lc.noise_eps = cfg.noise_eps;
  lc.random_eps = cfg.random_eps;
  lc.drop_trivial_hindsight = cfg.drop_trivial_hindsight;
  return lc;
}

hac::HacConfig hac_config(const TrainConfig& cfg, const GoalEnv& env) {
  hac::HacConfig h;
  h.levels = cfg.levels;
  h.H = hac::resolve_horizons(cfg.H, cfg.levels, env.max_episode_steps());
  h.subgoal_test_prob = cfg.subgoal_test_prob;
  h.gamma = cfg.gamma;
  h.level = flat_level_config(cfg, env);
  h.level.ddpg.bounded_critic = cfg.bounded_critic;
  return h;
}

Setup make_setup(const TrainConfig& cfg, int rank) {
  Setup s;
  s.env = make_env(cfg.env);
  // Checked with one level too, so a mistyped subgoal space never goes unnoticed.
  SubgoalSpec subgoals = hac::subgoal_spec_from_name(*s.env, cfg.subgoal);
  if (cfg.levels == 1) {
    s.agent = std::make_unique<FlatAgent>(*s.env, flat_level_config(cfg, *s.env), cfg.seed);
  } else {
    s.agent = std::make_unique<hac::HacAgent>(*s.env, hac_config(cfg, *s.env), std::move(subgoals), cfg.seed);
  }
  s.agent->rng().reseed(derive_seed(derive_seed(cfg.seed, "agent"), static_cast<std::uint64_t>(rank)));
  return s;
}

EvalReport evaluate(Agent& agent, GoalEnv& env, int episodes, std::uint64_t seed) {
  check(episodes >= 1, "episodes must be >= 1");
  EvalReport r;
  r.episodes = episodes;
  int successes = 0;
  double rewards = 0;
  for (int i = 0; i < episodes; ++i) {
    const auto o = agent.run_episode(env, derive_seed(seed, static_cast<std::uint64_t>(i)), false);
    successes += o.success ? 1 : 0;
    rewards += o.reward_sum;
  }
  r.success_rate = static_cast<double>(successes) / episodes;
  r.mean_reward = rewards / episodes;
  return r;
}

void save_normalizers(const std::string& path, Agent& agent) {
  nlohmann::json j;
  j["format"] = "hindsight-normalizers";
  j["version"] = 1;
  j["levels"] = nlohmann::json::array();
  for (Level* l : agent.levels()) j["levels"].push_back({{"obs", l->obs_norm().to_json()}, {"goal", l->goal_norm().to_json()}});
  io::write_file_atomic(path, j.dump(2) + "\n");
}

void load_normalizers(const std::string& path, Agent& agent) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(io::read_file(path));
  } catch (const nlohmann::json::exception& e) {
    throw Error(path + ": not valid JSON (" + std::string(e.what()) + ")");
  }
  check(j.is_object() && j.value("format", "") == "hindsight-normalizers" && j.contains("levels") &&
            j["levels"].is_array(),
        path + ": not a hindsight normalizer file (expected \"format\": \"hindsight-normalizers\")");
  const auto levels = agent.levels();
  check(j["levels"].size() == levels.size(), path + ": holds " + std::to_string(j["levels"].size()) +
                                                 " level(s), the agent has " + std::to_string(levels.size()));
  for (std::size_t i = 0; i < levels.size(); ++i) {
    const auto& lj = j["levels"][i];
    check(lj.is_object() && lj.contains("obs") && lj.contains("goal"),
          path + ": level " + std::to_string(i) + " needs \"obs\" and \"goal\"");
    const std::string where = path + " (level " + std::to_string(i) + ")";
    auto obs = learn::Normalizer::from_json(lj["obs"], where + " obs");
    auto goal = learn::Normalizer::from_json(lj["goal"], where + " goal");
    check(obs.dims() == levels[i]->obs_norm().dims(), where + ": obs has " + std::to_string(obs.dims()) +
                                                          " dims, the env has " +
                                                          std::to_string(levels[i]->obs_norm().dims()));
    check(goal.dims() == levels[i]->goal_norm().dims(), where + ": goal has " + std::to_string(goal.dims()) +
                                                            " dims, the env has " +
                                                            std::to_string(levels[i]->goal_norm().dims()));
    levels[i]->set_normalizers(std::move(obs), std::move(goal));
  }
}

void save_checkpoint(const std::string& path, const TrainConfig& cfg, Agent& agent, const Counters& c,
                     bool with_replay) {
  io::Checkpoint ck;
  const auto levels = agent.levels();
  ck.set("format", nlohmann::json{{"format", "hindsight-checkpoint"},
                                  {"version", kCheckpointVersion},
                                  {"env", cfg.env},
                                  {"levels", levels.size()}}
                       .dump());
  ck.set("config", to_yaml(cfg));
  ck.set("counters", nlohmann::json{{"epoch", c.epoch},
                                    {"env_steps", c.env_steps},
                                    {"episodes", c.episodes},
                                    {"wall_seconds", c.wall_seconds},
                                    {"best_success", c.best_success}}
                         .dump());
  ck.set("agent/rng", agent.rng().state());
  for (std::size_t i = 0; i < levels.size(); ++i) {
    const std::string p = "level/" + std::to_string(i) + "/";
    ck.set(p + "learner", levels[i]->learner().save());
    ck.set(p + "obs_norm", levels[i]->obs_norm().to_json().dump());
    ck.set(p + "goal_norm", levels[i]->goal_norm().to_json().dump());
    if (with_replay) {
      ck.set(p + "replay", levels[i]->buffer().save());
      ck.set(p + "fixed", levels[i]->fixed().save());
    }
  }
  ck.write(path);
}

Counters load_checkpoint(const std::string& path, const TrainConfig& cfg, Agent& agent) {
  const io::Checkpoint ck = io::Checkpoint::read(path);
  nlohmann::json fmt;
  try {
    fmt = nlohmann::json::parse(ck.get("format"));
  } catch (const nlohmann::json::exception&) {
    throw Error(path + ": damaged format section");
  }
  check(fmt.value("format", "") == "hindsight-checkpoint", path + ": not a hindsight checkpoint");
  check(fmt.value("version", 0) == kCheckpointVersion,
        path + ": checkpoint version " + std::to_string(fmt.value("version", 0)) + " is not supported");
  const auto levels = agent.levels();
  check(fmt.value("env", "") == cfg.env,
        path + ": checkpoint is for env " + fmt.value("env", std::string("?")) + ", the run uses " + cfg.env);
  check(fmt.value("levels", 0u) == levels.size(),
        path + ": checkpoint has " + std::to_string(fmt.value("levels", 0u)) + " level(s), the run uses " +
            std::to_string(levels.size()));
  Counters c;
  try {
    const auto j = nlohmann::json::parse(ck.get("counters"));
    c.epoch = j.at("epoch").get<int>();
    c.env_steps = j.at("env_steps").get<long>();
    c.episodes = j.at("episodes").get<long>();
    c.wall_seconds = j.at("wall_seconds").get<double>();
    c.best_success = j.at("best_success").get<double>();
  } catch (const nlohmann::json::exception&) {
    throw Error(path + ": damaged counters section");
  }
  for (std::size_t i = 0; i < levels.size(); ++i) {
    const std::string p = "level/" + std::to_string(i) + "/";
    levels[i]->learner().load(ck.get(p + "learner"));
    auto parse = [&](const std::string& name) {
      try {
        return learn::Normalizer::from_json(nlohmann::json::parse(ck.get(p + name)), path + " " + p + name);
      } catch (const nlohmann::json::exception&) {
        throw Error(path + ": damaged section " + p + name);
      }
    };
    levels[i]->set_normalizers(parse("obs_norm"), parse("goal_norm"));
    if (ck.has(p + "replay")) levels[i]->buffer().load(ck.get(p + "replay"), path + " " + p + "replay");
    if (ck.has(p + "fixed")) levels[i]->fixed().load(ck.get(p + "fixed"), path + " " + p + "fixed");
  }
  agent.rng().set_state(ck.get("agent/rng"));
  return c;
}

Trainer::Trainer(TrainConfig cfg, Comm& comm) : cfg_(std::move(cfg)), comm_(&comm) {
  validate(cfg_);
  setup_ = make_setup(cfg_, comm_->rank());  // validates the config against the env before any file is written
  if (comm_->is_root()) {
    run_dir_ = io::create_run_dir(cfg_.out, cfg_.run_name, cfg_.env, cfg_.seed);
    io::write_file_atomic(io::run_paths(run_dir_).config, to_yaml(cfg_));
  }
}

Trainer::Trainer(TrainConfig cfg, Comm& comm, std::string run_dir)
    : cfg_(std::move(cfg)), comm_(&comm), run_dir_(std::move(run_dir)) {
  validate(cfg_);
  setup_ = make_setup(cfg_, comm_->rank());
}

Trainer Trainer::resume(const std::string& run_dir, const std::vector<std::string>& overrides, Comm& comm) {
  check(is_directory(run_dir), "--resume " + run_dir + ": no such directory");
  check(io::is_run_dir(run_dir), "--resume " + run_dir + ": not a run directory (no config.yaml)");
  const auto paths = io::run_paths(run_dir);
  TrainConfig cfg = load_config_file(paths.config);
  const TrainConfig original = cfg;
  apply_overrides(cfg, overrides);
  TrainConfig only_epochs = original;
  only_epochs.epochs = cfg.epochs;
  check(cfg == only_epochs, "--resume: only epochs=N may be overridden when resuming a run");
  check(io::file_exists(paths.latest_checkpoint), "--resume " + run_dir + ": no checkpoint to resume from (" +
                                                      paths.latest_checkpoint + " is missing)");
  Trainer t(cfg, comm, run_dir);
  t.counters_ = load_checkpoint(paths.latest_checkpoint, cfg, *t.setup_.agent);
  t.resumed_ = true;
  if (comm.is_root() && cfg.epochs != original.epochs) io::write_file_atomic(paths.config, to_yaml(cfg));
  return t;
}

std::vector<std::string> Trainer::columns() const {
  std::vector<std::string> c{"epoch", "env_steps", "episodes", "wall_seconds", "test/success_rate",
                             "train/success_rate"};
  for (const auto& m : setup_.agent->metric_columns()) c.push_back(m);
  return c;
}

void Trainer::init_normalizers() {
  Agent& agent = *setup_.agent;
  switch (cfg_.norm_init) {
    case NormInit::off:
      return;
    case NormInit::file:
      load_normalizers(cfg_.norm_file, agent);
      break;
    case NormInit::warmup: {
      // Each rank runs its share of the random episodes.
      const int n = cfg_.norm_warmup_episodes;
      const int mine = n / comm_->size() + (comm_->rank() < n % comm_->size() ? 1 : 0);
      Rng rng(derive_seed(derive_seed(cfg_.seed, "warmup-actions"), static_cast<std::uint64_t>(comm_->rank())));
      ProgressBar bar("normalizer warm-up", mine, comm_->is_root());
      for (int e = 0; e < mine; ++e) {
        agent.observe_warmup(random_trajectory(*setup_.env, episode_seed(cfg_, "warmup", comm_->rank(), e), rng));
        bar.update(e + 1);
      }
      bar.finish();
      break;
    }
  }
  if (cfg_.norm_freeze) {
    for (Level* l : agent.levels()) {
      l->obs_norm().freeze();
      l->goal_norm().freeze();
    }
  }
}

void Trainer::run() {
  Agent& agent = *setup_.agent;
  GoalEnv& env = *setup_.env;
  const auto paths = io::run_paths(run_dir_);
  const bool root = comm_->is_root();
  std::optional<io::MetricsLog> log;
  if (root) {
    log = resumed_ ? io::MetricsLog::resume(paths.progress, columns(), counters_.epoch)
                   : io::MetricsLog(paths.progress, columns());
    std::fprintf(stderr, "run directory: %s\n", run_dir_.c_str());
  }
  if (!resumed_) {
    init_normalizers();
    if (root) save_normalizers(run_dir_ + "/normalizer.json", agent);
  }

  for (int epoch = counters_.epoch + 1; epoch <= cfg_.epochs; ++epoch) {
    const auto t0 = Clock::now();
    ProgressBar bar("epoch " + std::to_string(epoch) + "/" + std::to_string(cfg_.epochs), cfg_.cycles, root);
    int train_success = 0, train_episodes = 0;
    for (int cycle = 0; cycle < cfg_.cycles; ++cycle) {
      for (int e = 0; e < cfg_.episodes_per_cycle; ++e) {
        const auto index = static_cast<std::uint64_t>(counters_.episodes / comm_->size());
        const auto out = agent.run_episode(env, episode_seed(cfg_, "train", comm_->rank(), index), true);
        train_success += out.success ? 1 : 0;
        ++train_episodes;
        counters_.episodes += comm_->size();
        counters_.env_steps += static_cast<long>(out.steps) * comm_->size();
      }
      for (int u = 0; u < cfg_.updates_per_cycle; ++u) agent.train_step();
      agent.update_targets();
      bar.update(cycle + 1);
    }
    int test_success = 0;
    for (int i = 0; i < cfg_.test_episodes; ++i) {
      const auto index = static_cast<std::uint64_t>(epoch) * static_cast<std::uint64_t>(cfg_.test_episodes + 1) + i;
      test_success += agent.run_episode(env, episode_seed(cfg_, "test", comm_->rank(), index), false).success ? 1 : 0;
    }
    double rates[2] = {cfg_.test_episodes ? static_cast<double>(test_success) / cfg_.test_episodes : NAN,
                       static_cast<double>(train_success) / train_episodes};
    comm_->allreduce_sum(rates);
    rates[0] /= comm_->size();
    rates[1] /= comm_->size();
    counters_.epoch = epoch;
    counters_.wall_seconds += std::chrono::duration<double>(Clock::now() - t0).count();
    auto metrics = agent.take_epoch_metrics();
    char suffix[96];
    std::snprintf(suffix, sizeof suffix, "test=%.3f train=%.3f", rates[0], rates[1]);
    bar.finish(suffix);
    if (!root) continue;
    metrics["epoch"] = epoch;
    metrics["env_steps"] = static_cast<double>(counters_.env_steps);
    metrics["episodes"] = static_cast<double>(counters_.episodes);
    metrics["wall_seconds"] = counters_.wall_seconds;
    metrics["test/success_rate"] = rates[0];
    metrics["train/success_rate"] = rates[1];
    const bool best = std::isfinite(rates[0]) && rates[0] > counters_.best_success;
    if (best) counters_.best_success = rates[0];
    // The row goes first: a crash before the checkpoint lands makes resume start from the previous
    // checkpoint, drop this row and run the epoch again, so every epoch appears exactly once.
    log->append_row(metrics);
    save_checkpoint(paths.latest_checkpoint, cfg_, agent, counters_, true);
    if (best) save_checkpoint(paths.best_checkpoint, cfg_, agent, counters_, false);
    save_normalizers(run_dir_ + "/normalizer.json", agent);
  }
}

}  // namespace hindsight::train
