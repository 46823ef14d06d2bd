#include "hindsight/train/trainer.hpp"

#include <sys/stat.h>

#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <limits>

#include <nlohmann/json.hpp>

#include "hindsight/core/error.hpp"
#include "hindsight/env/fetch/scripted_expert.hpp"
#include "hindsight/env/registry.hpp"
#include "hindsight/env/task/task_spec.hpp"
#include "hindsight/hac/hac_agent.hpp"
#include "hindsight/hac/subgoal_space.hpp"
#include "hindsight/io/atomic_file.hpp"
#include "hindsight/io/checkpoint.hpp"
#include "hindsight/io/metrics_log.hpp"
#include "hindsight/io/run_dir.hpp"
#include "hindsight/plot/plot.hpp"
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

// One episode from env.reset(seed) with the actions policy(observation) chooses, every step recorded.
Trajectory record_trajectory(GoalEnv& env, std::uint64_t seed,
                             const std::function<std::vector<double>(const GoalObs&)>& policy) {
  Trajectory t;
  GoalObs o = env.reset(seed);
  t.T = env.max_episode_steps();
  for (int s = 0; s < t.T; ++s) {
    t.obs.insert(t.obs.end(), o.observation.begin(), o.observation.end());
    t.ag.insert(t.ag.end(), o.achieved_goal.begin(), o.achieved_goal.end());
    t.g.insert(t.g.end(), o.desired_goal.begin(), o.desired_goal.end());
    const std::vector<double> a = policy(o);
    t.actions.insert(t.actions.end(), a.begin(), a.end());
    o = env.step(a).obs;
  }
  t.obs.insert(t.obs.end(), o.observation.begin(), o.observation.end());
  t.ag.insert(t.ag.end(), o.achieved_goal.begin(), o.achieved_goal.end());
  return t;
}

// Test hook (docs/scaling.md): HINDSIGHT_FAULT_INJECT=RANK:KIND makes rank RANK fail just before the
// first update of the session, while the other ranks wait in a collective, the way real faults strike:
// KIND is throw (an Error), nan (a NaN gradient) or kill (SIGKILL, as the OOM killer would).
enum class Fault { kNone, kThrow, kNan, kKill };

Fault injected_fault(int rank) {
  const char* v = std::getenv("HINDSIGHT_FAULT_INJECT");
  if (!v || !*v) return Fault::kNone;
  const std::string text(v);
  const auto colon = text.find(':');
  const std::string who = text.substr(0, colon);
  const std::string kind = colon == std::string::npos ? "" : text.substr(colon + 1);
  check(!who.empty() && who.size() < 9 && who.find_first_not_of("0123456789") == std::string::npos &&
            (kind == "throw" || kind == "nan" || kind == "kill"),
        "HINDSIGHT_FAULT_INJECT='" + text + "': expected RANK:KIND with KIND throw, nan or kill");
  if (std::stoi(who) != rank) return Fault::kNone;
  return kind == "throw" ? Fault::kThrow : kind == "nan" ? Fault::kNan : Fault::kKill;
}

void inject_fault(Fault fault, RankSync& sync) {
  switch (fault) {
    case Fault::kNone:
      return;
    case Fault::kThrow:
      throw Error("fault injected by HINDSIGHT_FAULT_INJECT");
    case Fault::kNan:
      sync.poison_next_gradient();
      return;
    case Fault::kKill:
      std::raise(SIGKILL);
      return;
  }
}

bool is_directory(const std::string& p) {
  struct stat st {};
  return ::stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

}  // namespace

LevelConfig flat_level_config(const TrainConfig& cfg, const GoalEnv& env, int ranks) {
  const RankShare share = rank_share(cfg, ranks);
  LevelConfig lc;
  lc.ddpg.hidden = cfg.hidden;
  lc.ddpg.actor_lr = cfg.actor_lr;
  lc.ddpg.critic_lr = cfg.critic_lr;
  lc.ddpg.gamma = cfg.gamma.value_or(1.0 - 1.0 / env.max_episode_steps());
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
  lc.buffer_size = static_cast<std::size_t>(share.buffer_size);
  lc.batch_size = share.batch_size;
  lc.noise_eps = cfg.noise_eps;
  lc.random_eps = cfg.random_eps;
  lc.drop_trivial_hindsight = cfg.drop_trivial_hindsight;
  lc.skip_non_finite_updates = cfg.nan_policy == NanPolicy::skip;
  lc.demo_capacity = static_cast<std::size_t>(cfg.demos) * static_cast<std::size_t>(env.max_episode_steps());
  lc.demo_batch_size = share.demo_batch_size;
  lc.ddpg.bc_weight = cfg.demos > 0 ? cfg.bc_weight : 0.0;
  lc.ddpg.q_filter = cfg.q_filter;
  return lc;
}

hac::HacConfig hac_config(const TrainConfig& cfg, const GoalEnv& env, int ranks) {
  hac::HacConfig h;
  h.levels = cfg.levels;
  h.H = hac::resolve_horizons(cfg.H, cfg.levels, env.max_episode_steps());
  h.subgoal_test_prob = cfg.subgoal_test_prob;
  h.gamma = cfg.gamma;
  h.level = flat_level_config(cfg, env, ranks);
  h.level.ddpg.bounded_critic = cfg.bounded_critic;
  if (!cfg.level_values.empty()) {
    for (int i = 0; i < cfg.levels; ++i) {
      const TrainConfig li = for_level(cfg, i);
      h.per_level.push_back(flat_level_config(li, env, ranks));
      h.per_level.back().ddpg.bounded_critic = li.bounded_critic;
      h.per_level_gamma.push_back(li.gamma);
    }
  }
  return h;
}

Setup make_setup(const TrainConfig& cfg, int rank, int ranks, const std::string& run_dir) {
  Setup s;
  s.env = make_env(cfg.env, run_dir);
  // A flat agent has no subgoals: a task file whose achieved goal is not observed has no default subgoal
  // space, and needs none (validate() refuses a subgoal name with one level).
  SubgoalSpec subgoals;
  if (cfg.levels > 1 || cfg.subgoal != "default") subgoals = hac::subgoal_spec_from_name(*s.env, cfg.subgoal);
  if (cfg.levels == 1) {
    s.agent = std::make_unique<FlatAgent>(*s.env, flat_level_config(for_level(cfg, 0), *s.env, ranks), cfg.seed);
  } else {
    s.agent = std::make_unique<hac::HacAgent>(*s.env, hac_config(cfg, *s.env, ranks), std::move(subgoals), cfg.seed);
  }
  s.agent->rng().reseed(derive_seed(derive_seed(cfg.seed, "agent"), static_cast<std::uint64_t>(rank)));
  return s;
}

EvalReport evaluate(Agent& agent, GoalEnv& env, int episodes, std::uint64_t seed) {
  check(episodes >= 1, "episodes must be >= 1");
  EvalReport r;
  r.episodes = episodes;
  int successes = 0, reached = 0;
  double rewards = 0;
  for (int i = 0; i < episodes; ++i) {
    const auto o = agent.run_episode(env, derive_seed(seed, static_cast<std::uint64_t>(i)), false);
    successes += o.success ? 1 : 0;
    reached += o.reached ? 1 : 0;
    rewards += o.reward_sum;
  }
  r.success_rate = static_cast<double>(successes) / episodes;
  r.reached_rate = static_cast<double>(reached) / episodes;
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
                     bool with_replay, const std::string& previous) {
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
                                    {"best_success", c.best_success},
                                    {"ranks", c.ranks}}
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
  if (previous.empty()) {
    ck.write(path);
  } else {
    ck.write_rotating(path, previous);
  }
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
    // Checkpoints from before multi-rank resume was checked do not say; they came from one process.
    c.ranks = j.value("ranks", 1);
  } catch (const nlohmann::json::exception&) {
    throw Error(path + ": damaged counters section");
  }
  // Counts index seeds and epochs: a negative one would replay other episodes or never end.
  check(c.epoch >= 0 && c.env_steps >= 0 && c.episodes >= 0 && c.ranks >= 1 && std::isfinite(c.wall_seconds),
        path + ": damaged counters section (negative or non-finite counts)");
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

void save_rank_state(const std::string& path, Agent& agent, int rank, int epoch) {
  io::Checkpoint ck;
  const auto levels = agent.levels();
  ck.set("format", nlohmann::json{{"format", "hindsight-rank-state"},
                                  {"version", kCheckpointVersion},
                                  {"rank", rank},
                                  {"epoch", epoch},
                                  {"levels", levels.size()}}
                       .dump());
  ck.set("agent/rng", agent.rng().state());
  for (std::size_t i = 0; i < levels.size(); ++i) {
    ck.set("level/" + std::to_string(i) + "/replay", levels[i]->buffer().save());
  }
  ck.write(path);
}

void load_rank_state(const std::string& path, Agent& agent, int rank, int epoch) {
  check(io::file_exists(path), path + " is missing: it holds rank " + std::to_string(rank) +
                                   "'s replay buffers and random stream for epoch " + std::to_string(epoch) +
                                   " (a resume across nodes needs the run directory on a shared filesystem)");
  const io::Checkpoint ck = io::Checkpoint::read(path);
  nlohmann::json fmt;
  try {
    fmt = nlohmann::json::parse(ck.get("format"));
  } catch (const nlohmann::json::exception&) {
    throw Error(path + ": damaged format section");
  }
  const auto levels = agent.levels();
  check(fmt.value("format", "") == "hindsight-rank-state" && fmt.value("version", 0) == kCheckpointVersion,
        path + ": not a hindsight rank state of version " + std::to_string(kCheckpointVersion));
  check(fmt.value("rank", -1) == rank && fmt.value("epoch", -1) == epoch &&
            fmt.value("levels", 0u) == levels.size(),
        path + ": written for another rank, epoch or level count than rank " + std::to_string(rank) +
            ", epoch " + std::to_string(epoch));
  for (std::size_t i = 0; i < levels.size(); ++i) {
    const std::string name = "level/" + std::to_string(i) + "/replay";
    levels[i]->buffer().load(ck.get(name), path + " " + name);
  }
  agent.rng().set_state(ck.get("agent/rng"));
}

Trainer::Trainer(TrainConfig cfg, Comm& comm) : cfg_(std::move(cfg)), comm_(&comm) {
  validate(cfg_);
  setup_ = make_setup(cfg_, comm_->rank(), comm_->size());  // validates the config against the env before any file is written
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
  setup_ = make_setup(cfg_, comm_->rank(), comm_->size(), run_dir_);
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
      // Killed before its first checkpoint: nothing was trained, the run starts again from the beginning.
      const std::size_t rows = io::file_exists(paths.progress) ? io::read_csv(paths.progress).rows.size() : 0;
      check(rows == 0, "--resume " + run_dir + ": progress.csv has " + std::to_string(rows) +
                           " epoch row(s) but no checkpoint is left (" + paths.latest_checkpoint + ", " +
                           paths.previous_checkpoint + " are missing)");
      std::fprintf(stderr, "hindsight: note: %s has no checkpoint yet; starting it from the beginning\n",
                   run_dir.c_str());
    }
    if (cfg.epochs != original.epochs) io::write_file_atomic(paths.config, to_yaml(cfg));
    // Kept for a post-mortem, but out of the rotation: the next save would make it previous.ckpt.
    if (used == paths.previous_checkpoint && io::file_exists(paths.latest_checkpoint)) {
      std::error_code ec;
      std::filesystem::rename(paths.latest_checkpoint, paths.latest_checkpoint + ".unusable", ec);
      check(!ec, "cannot move " + paths.latest_checkpoint + " aside: " + ec.message());
    }
    io::remove_stale_temp_files(paths.root);
    io::remove_stale_temp_files(paths.checkpoints);
    if (!skipped.empty()) {
      std::fprintf(stderr, "hindsight: warning: resuming from %s (%s)\n", used.c_str(), skipped.c_str());
    }
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
      setup_ = make_setup(cfg_, comm_->rank(), comm_->size());  // the failed load may have filled part of the agent
    }
  }
  check(skipped.empty(), "--resume " + paths.root + ": no usable checkpoint: " + skipped);
  return "";
}

std::string Trainer::Position::describe() const {
  const std::string n = std::string(what) + " " + std::to_string(index);
  if (epoch == 0) return n;
  if (cycle == 0) return "epoch " + std::to_string(epoch) + " " + n;
  return "epoch " + std::to_string(epoch) + " cycle " + std::to_string(cycle) + " " + n;
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
                             "time/rollout_seconds",
                             "time/update_seconds",
                             "time/allreduce_seconds"};
  for (const auto& m : setup_.agent->metric_columns()) c.push_back(m);
  return c;
}

void Trainer::init_normalizers() {
  Agent& agent = *setup_.agent;
  switch (cfg_.norm_init) {
    case NormInit::off:
      return;
    case NormInit::file:
      load_normalizers(cfg_.norm_file, agent);  // every rank reads the same file
      break;
    case NormInit::warmup: {
      // Each rank runs its share of the random episodes.
      const int n = cfg_.norm_warmup_episodes;
      const int mine = n / comm_->size() + (comm_->rank() < n % comm_->size() ? 1 : 0);
      if (n == 0) break;  // statistics learned online only, as baselines
      Rng rng(derive_seed(derive_seed(cfg_.seed, "warmup-actions"), static_cast<std::uint64_t>(comm_->rank())));
      ProgressBar bar("normalizer warm-up", mine, comm_->is_root());
      std::vector<double> steps{0.0};
      for (int e = 0; e < mine; ++e) {
        at_ = {"normalizer warm-up episode", 0, 0, e + 1};
        const Box& space = setup_.env->action_space();
        const Trajectory t = record_trajectory(*setup_.env, episode_seed(cfg_, "warmup", comm_->rank(), e),
                                               [&](const GoalObs&) { return space.sample(rng); });
        agent.observe_warmup(t);
        steps[0] += t.T;
        bar.update(e + 1);
      }
      bar.finish();
      // The warm-up's env steps are the run's, like the demonstrations': a figure against env steps
      // must not hide the random episodes that set the statistics.
      comm_->allreduce_sum(steps);
      counters_.env_steps += static_cast<long>(steps[0]);
      break;
    }
  }
  // Every rank's warm-up samples reach every rank: the statistics of all n episodes, before freezing.
  sync_->sync_normalizers(agent);
  if (cfg_.norm_freeze) {
    for (Level* l : agent.levels()) {
      l->obs_norm().freeze();
      l->goal_norm().freeze();
    }
  }
}

void Trainer::record_demos(bool fresh) {
  if (cfg_.demos == 0) return;
  Agent& agent = *setup_.agent;
  GoalEnv& env = *setup_.env;
  auto expert = fetch::make_scripted_expert(env.name());
  const int n = cfg_.demos, ranks = comm_->size();
  const int mine = n / ranks + (comm_->rank() < n % ranks ? 1 : 0);
  ProgressBar bar("demonstrations", mine, comm_->is_root() && fresh);
  long steps = 0;
  for (int e = 0; e < mine; ++e) {
    at_ = {"demonstration episode", 0, 0, e + 1};
    expert->reset();
    const Trajectory t = record_trajectory(env, episode_seed(cfg_, "demo", comm_->rank(), static_cast<std::uint64_t>(e)),
                                           [&](const GoalObs& o) { return expert->act(o); });
    agent.store_demo(t, fresh);
    steps += t.T;
    bar.update(e + 1);
  }
  bar.finish();
  if (!fresh) return;
  // The demonstrations' env steps are the run's too: every figure against env steps includes them.
  std::vector<double> total{static_cast<double>(steps)};
  comm_->allreduce_sum(total);
  counters_.env_steps += static_cast<long>(total[0]);
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
  Agent& agent = *setup_.agent;
  GoalEnv& env = *setup_.env;
  const bool root = comm_->is_root();
  const int ranks = comm_->size();
  const auto paths = io::run_paths(run_dir_);
  if (root) {
    if (!log_) log_.emplace(paths.progress, columns());
    if (!tb_) tb_.emplace(paths.tb);
    std::fprintf(stderr, "run directory: %s\n", run_dir_.c_str());
    const std::string parent = std::filesystem::path(run_dir_).parent_path().string();
    std::fprintf(stderr, "watch it: hindsight plot %s --out %s/plots\n          tensorboard --logdir %s\n",
                 run_dir_.c_str(), run_dir_.c_str(), parent.empty() ? "." : parent.c_str());
    if (ranks > 1) std::fprintf(stderr, "ranks: %d (one rollout worker and learner each)\n", ranks);
  }
  // One model on every rank before the first update. A resumed run loaded the same checkpoint on every
  // rank already; the broadcast is one message and makes that a guarantee.
  sync_->broadcast_parameters(agent);
  sync_->install_gradient_reducers(agent, cfg_.nan_policy == NanPolicy::stop);
  // Demonstrations are not checkpointed: a resumed run records the same episodes again (fixed seeds).
  record_demos(!resumed_);
  if (!resumed_) {
    init_normalizers();
    // The warm-up can be long: a crash from now on resumes after it (every rank from its own state).
    save_rank_states(0);
    if (root) {
      save_normalizers(run_dir_ + "/normalizer.json", agent);
      save_checkpoint(paths.latest_checkpoint, cfg_, agent, counters_, true, paths.previous_checkpoint);
    }
  }

  const Fault fault = injected_fault(comm_->rank());
  const RankShare share = rank_share(cfg_, ranks);
  // Test episodes: this rank's, and the run's (the sum over the ranks).
  const int my_tests = rank_test_episodes(cfg_, comm_->rank(), ranks);
  int all_tests = 0;
  for (int r = 0; r < ranks; ++r) all_tests += rank_test_episodes(cfg_, r, ranks);
  const int first_epoch = counters_.epoch + 1;
  for (int epoch = first_epoch; epoch <= cfg_.epochs; ++epoch) {
    const auto t0 = Clock::now();
    ProgressBar bar("epoch " + std::to_string(epoch) + "/" + std::to_string(cfg_.epochs), cfg_.cycles, root);
    int train_success = 0, train_episodes = 0;
    long steps = 0;
    double rollout_seconds = 0.0, update_seconds = 0.0;
    for (int cycle = 0; cycle < cfg_.cycles; ++cycle) {
      const auto c0 = Clock::now();
      for (int e = 0; e < share.episodes_per_cycle; ++e) {
        at_ = {"episode", epoch, cycle + 1, e + 1};
        const auto index = static_cast<std::uint64_t>(counters_.episodes / ranks);
        const auto out = agent.run_episode(env, episode_seed(cfg_, "train", comm_->rank(), index), true);
        train_success += out.success ? 1 : 0;
        ++train_episodes;
        steps += out.steps;
        counters_.episodes += ranks;
      }
      // The cycle's samples of every rank reach every rank's normalizers before any update uses them
      // (baselines updates its normalizer once per cycle, from the cycle's rollouts, too).
      sync_->sync_normalizers(agent);
      const auto c1 = Clock::now();
      if (epoch == first_epoch && cycle == 0) inject_fault(fault, *sync_);
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
      test_success += agent.run_episode(env, episode_seed(cfg_, "test", comm_->rank(), index), false).success ? 1 : 0;
    }
    sync_->check_parameters_agree(agent);

    // Every figure of the row is the mean over the ranks (env steps: the sum), so it describes the job.
    // The agent reports the same columns on every rank, so the values line up key by key.
    std::map<std::string, double> row = agent.take_epoch_metrics();
    // Averaged over the ranks below, ranks x successes / all_tests gives the run's rate even when the
    // ranks ran different numbers of test episodes.
    row["test/success_rate"] = all_tests ? static_cast<double>(test_success) * ranks / all_tests : NAN;
    row["train/success_rate"] = static_cast<double>(train_success) / train_episodes;
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
      const int n = cfg_.best_episodes;
      const int mine = n / ranks + (comm_->rank() < n % ranks ? 1 : 0);
      std::vector<double> successes{0.0};
      if (mine > 0) {
        const auto seed = episode_seed(cfg_, "best", comm_->rank(), static_cast<std::uint64_t>(epoch));
        successes[0] = std::round(evaluate(agent, env, mine, seed).success_rate * mine);
      }
      comm_->allreduce_sum(successes);
      score = successes[0] / n;
      if (root) std::fprintf(stderr, "epoch %d: test success %.3f over %d best-checkpoint episodes\n", epoch, score, n);
    }
    const bool best = std::isfinite(score) && score > counters_.best_success;
    if (best) counters_.best_success = score;
    save_epoch(epoch, row, best);
  }
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
  Agent& agent = *setup_.agent;
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
    plot::plot_runs({run_dir_}, plot::PlotOptions{io::run_paths(run_dir_).plots});
  } catch (const std::exception& e) {
    // Curves are a convenience: a missing gnuplot or a full disk must not stop hours of training.
    if (!plot_warned_) {
      std::fprintf(stderr, "hindsight: warning: plots not written (%s); training continues\n", e.what());
      plot_warned_ = true;
    }
  }
}

}  // namespace hindsight::train
