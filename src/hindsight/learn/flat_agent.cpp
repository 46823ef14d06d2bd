#include "hindsight/learn/flat_agent.hpp"

#include <cmath>
#include <limits>

#include "hindsight/core/error.hpp"

namespace hindsight::learn {

LevelSpec env_level_spec(const GoalEnv& env) {
  LevelSpec s;
  s.obs_dim = static_cast<int>(env.observation_space().size());
  s.goal_dim = static_cast<int>(env.goal_space().size());
  s.action_space = env.action_space();
  s.max_steps = env.max_episode_steps();
  s.reward = [&env](std::span<const double> a, std::span<const double> d, std::span<double> out) {
    env.compute_reward(a, d, out);
  };
  return s;
}

learn::EpisodeData to_episode_data(const Trajectory& t, std::vector<float> unit_actions) {
  learn::EpisodeData e;
  e.T = t.T;
  e.obs.assign(t.obs.begin(), t.obs.end());
  e.ag.assign(t.ag.begin(), t.ag.end());
  e.g.assign(t.g.begin(), t.g.end());
  e.actions = std::move(unit_actions);
  return e;
}

FlatAgent::FlatAgent(const GoalEnv& env, LevelConfig cfg, std::uint64_t seed)
    : level_(env_level_spec(env), std::move(cfg), derive_seed(seed, "level0")), rng_(derive_seed(seed, "agent")) {}

EpisodeOutcome FlatAgent::run_episode(GoalEnv& env, std::uint64_t seed, bool train, const StepObserver& observer) {
  GoalObs o = env.reset(seed);
  const std::vector<double> start = o.achieved_goal;
  const int T = env.max_episode_steps();
  const std::size_t na = env.action_space().size();
  Trajectory tr;
  std::vector<float> unit;
  if (train) {
    tr.T = T;
    tr.obs.reserve(static_cast<std::size_t>(T + 1) * o.observation.size());
    unit.resize(static_cast<std::size_t>(T) * na);
  }
  EpisodeOutcome out;
  for (int t = 0; t < T; ++t) {
    const auto a = level_.act(o.observation, o.desired_goal, train, rng_);
    if (train) {
      tr.obs.insert(tr.obs.end(), o.observation.begin(), o.observation.end());
      tr.ag.insert(tr.ag.end(), o.achieved_goal.begin(), o.achieved_goal.end());
      tr.g.insert(tr.g.end(), o.desired_goal.begin(), o.desired_goal.end());
      level_.to_unit_action(a, std::span<float>(&unit[static_cast<std::size_t>(t) * na], na));
    }
    const StepResult r = env.step(a);
    out.reward_sum += r.reward;
    out.success = r.success;
    out.reached = out.reached || r.success;
    ++out.steps;
    o = r.obs;
    if (observer) observer(env, StepInfo{out.steps, &o, r.success, {}});
    // Scored where the env ends the episode (agent.hpp); training episodes keep their full length.
    if (!train && r.success && env.terminates_on_success()) break;
  }
  out.moved = !env.is_success(o.achieved_goal, start);
  if (train) {
    tr.obs.insert(tr.obs.end(), o.observation.begin(), o.observation.end());
    tr.ag.insert(tr.ag.end(), o.achieved_goal.begin(), o.achieved_goal.end());
    level_.store_episode(to_episode_data(tr, std::move(unit)), rng_);
    ++episodes_;
    successes_ += out.success ? 1 : 0;
    steps_ += out.steps;
    reward_sum_ += out.reward_sum;
  }
  return out;
}

void FlatAgent::train_step() { stats_.add(level_.train_step(rng_)); }

void FlatAgent::observe_warmup(const Trajectory& t) {
  level_.observe_for_normalizer(to_episode_data(t, {}), rng_);
}

void FlatAgent::store_demo(const Trajectory& t, bool feed_normalizers) {
  const std::size_t na = level_.spec().action_space.size();
  check(t.actions.size() == static_cast<std::size_t>(t.T) * na, "a demonstration needs T x action actions");
  std::vector<float> unit(t.actions.size());
  for (std::size_t s = 0; s < static_cast<std::size_t>(t.T); ++s) {
    level_.to_unit_action(std::span<const double>(&t.actions[s * na], na), std::span<float>(&unit[s * na], na));
  }
  level_.store_demo(to_episode_data(t, std::move(unit)), rng_, feed_normalizers);
}

std::vector<std::string> FlatAgent::metric_columns() const {
  return {"l0/success_rate", "l0/actor_loss", "l0/critic_loss", "l0/q_mean", "l0/reward", "l0/skipped_updates"};
}

std::map<std::string, double> FlatAgent::take_epoch_metrics() {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const auto m = stats_.mean();
  std::map<std::string, double> r{
      {"l0/success_rate", episodes_ ? static_cast<double>(successes_) / episodes_ : nan},
      {"l0/actor_loss", m.actor_loss},
      {"l0/critic_loss", m.critic_loss},
      {"l0/q_mean", m.q_mean},
      {"l0/reward", steps_ ? reward_sum_ / steps_ : nan},
      {"l0/skipped_updates", static_cast<double>(stats_.skipped)},
  };
  stats_ = {};
  episodes_ = successes_ = steps_ = 0;
  reward_sum_ = 0.0;
  return r;
}

}  // namespace hindsight::learn
