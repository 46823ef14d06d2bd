#include "hindsight/agents/make_agent.hpp"

#include <cstddef>
#include <utility>

#include "hindsight/core/rng.hpp"
#include "hindsight/env/registry.hpp"
#include "hindsight/env/time_limit_env.hpp"
#include "hindsight/hac/hac_agent.hpp"
#include "hindsight/hac/subgoal_space.hpp"
#include "hindsight/learn/flat_agent.hpp"

namespace hindsight::agents {

learn::HerStrategy her_of(HerStrategy s) {
  switch (s) {
    case HerStrategy::future: return learn::HerStrategy::kFuture;
    case HerStrategy::final: return learn::HerStrategy::kFinal;
    case HerStrategy::none: return learn::HerStrategy::kNone;
  }
  return learn::HerStrategy::kFuture;
}

learn::LevelConfig flat_level_config(const TrainConfig& cfg, const GoalEnv& env, int ranks) {
  const RankShare share = rank_share(cfg, ranks);
  learn::LevelConfig lc;
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
  lc.noise_std = cfg.noise_std.value_or(std::vector<double>{});
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
  h.train_to_limit = cfg.train_to_limit;
  h.hold_subgoals = cfg.hold_subgoals;
  h.subgoal_offset = cfg.subgoal_offset.value_or(std::vector<double>{});
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
  s.env = with_time_limit(make_env(cfg.env, run_dir), cfg.max_episode_steps);
  // A flat agent has no subgoals: a task file whose achieved goal is not observed has no default subgoal
  // space, and needs none (validate() refuses a subgoal name with one level).
  SubgoalSpec subgoals;
  if (cfg.levels > 1 || cfg.subgoal != "default") {
    subgoals = hac::with_thresholds(hac::with_bounds(hac::subgoal_spec_from_name(*s.env, cfg.subgoal), *s.env,
                                                     cfg.subgoal_low, cfg.subgoal_high),
                                    *s.env, cfg.subgoal_threshold);
  }
  if (cfg.levels == 1) {
    s.agent = std::make_unique<learn::FlatAgent>(*s.env, flat_level_config(for_level(cfg, 0), *s.env, ranks), cfg.seed);
  } else {
    s.agent = std::make_unique<hac::HacAgent>(*s.env, hac_config(cfg, *s.env, ranks), std::move(subgoals), cfg.seed);
  }
  s.agent->rng().reseed(derive_seed(derive_seed(cfg.seed, "agent"), static_cast<std::uint64_t>(rank)));
  return s;
}

}  // namespace hindsight::agents
