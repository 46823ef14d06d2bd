#pragma once
// A scripted goal env and small HAC settings for the hierarchy's tests (tests/hac/hac_agent_test.cpp,
// hac_episode_rule_test.cpp): every goal status of an episode is known before it runs.
#include <array>
#include <cmath>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "hindsight/env/goal_env.hpp"
#include "hindsight/hac/hac_agent.hpp"
#include "hindsight/learn/level.hpp"

namespace hindsight::hac::scripted {

// A goal env whose states follow a script whatever the agent does, so every goal status is known in
// advance. Observation = (x, y, z); achieved goal = x; the final goal x = 5 is reached within 0.5.
// Subgoals are (y, z) in [-1, 1]^2, reached within 0.25 per dimension. Actions are logged.
class ScriptedEnv final : public GoalEnv {
 public:
  // path[t] is the observation after t steps; the time limit is path.size() - 1 steps.
  explicit ScriptedEnv(std::vector<std::array<double, 3>> path) : path_(std::move(path)) {}

  std::string name() const override { return "Scripted"; }
  const Box& action_space() const override { return action_; }
  const Box& observation_space() const override { return obs_; }
  const Box& goal_space() const override { return goal_; }
  int max_episode_steps() const override { return static_cast<int>(path_.size()) - 1; }
  double control_dt() const override { return 1.0; }
  bool terminates_on_success() const override { return ends_on_goal; }
  GoalObs reset(std::optional<std::uint64_t>) override {
    t_ = 0;
    return observe();
  }
  StepResult step(std::span<const double> action) override {
    validate_action(action);
    actions.push_back(action[0]);
    ++t_;
    StepResult r;
    r.obs = observe();
    r.success = is_success(r.obs.achieved_goal, r.obs.desired_goal);
    r.reward = r.success ? 0.0 : -1.0;
    r.truncated = t_ >= max_episode_steps();
    return r;
  }
  void compute_reward(std::span<const double> a, std::span<const double> d, std::span<double> out) const override {
    for (std::size_t k = 0; k < out.size(); ++k) out[k] = std::abs(a[k] - d[k]) <= 0.5 ? 0.0 : -1.0;
  }
  bool is_success(std::span<const double> a, std::span<const double> d) const override {
    return std::abs(a[0] - d[0]) <= 0.5;
  }
  SubgoalSpec default_subgoal_spec() const override {
    return SubgoalSpec{{1, 2}, Box{{-1.0, -1.0}, {1.0, 1.0}}, {0.25, 0.25}, {}};
  }

  std::vector<double> actions;  // every action step() received
  bool ends_on_goal = false;     // terminates_on_success()

 private:
  GoalObs observe() const {
    const auto& p = path_[static_cast<std::size_t>(t_)];
    return GoalObs{{p[0], p[1], p[2]}, {p[0]}, {kGoal}};
  }
  static constexpr double kGoal = 5.0;
  std::vector<std::array<double, 3>> path_;
  Box action_ = Box::uniform(1, -1.0, 1.0);
  Box obs_ = Box::uniform(3, -10.0, 10.0);
  Box goal_ = Box::uniform(1, -10.0, 10.0);
  int t_ = 0;
};

// A script of `steps` steps at (x, y, z) = (0, 0, 0) with the listed steps overridden.
inline std::vector<std::array<double, 3>> script(int steps, std::map<int, std::array<double, 3>> at) {
  std::vector<std::array<double, 3>> p(static_cast<std::size_t>(steps) + 1, {0.0, 0.0, 0.0});
  for (const auto& [t, v] : at) p[static_cast<std::size_t>(t)] = v;
  return p;
}
constexpr std::array<double, 3> kFinal{5.0, 0.0, 0.0};  // reaches the final goal

inline HacConfig small_config(int levels, std::vector<int> H, double lambda) {
  HacConfig c;
  c.levels = levels;
  c.H = std::move(H);
  c.subgoal_test_prob = lambda;
  c.level.ddpg.hidden = {8};
  c.level.ddpg.target_networks = false;
  c.level.ddpg.bounded_critic = true;
  c.level.batch_size = 8;
  c.level.buffer_size = 1000;
  c.level.noise_eps = 0.0;
  c.level.random_eps = 0.0;
  c.level.normalize = false;
  return c;
}

// Makes a level's actor output `unit` (in [-1, 1] units) for every input: zero weights, and the last
// layer's bias at atanh(unit) (the actor ends in tanh).
inline void force_policy(learn::Level& level, std::vector<double> unit) {
  learn::DdpgLearner& l = level.learner();
  std::vector<float> p = l.flat_parameters();
  const std::size_t actor = l.actor_parameters(), na = static_cast<std::size_t>(l.action_dim());
  std::fill(p.begin(), p.begin() + static_cast<std::ptrdiff_t>(actor), 0.0f);
  for (std::size_t k = 0; k < na; ++k) p[actor - na + k] = static_cast<float>(std::atanh(unit[k]));
  l.set_flat_parameters(p);
}

inline std::vector<int> lengths(const learn::Level& level) {
  std::vector<int> out;
  for (std::size_t i = 0; i < level.buffer().episodes(); ++i) out.push_back(level.buffer().length(i));
  return out;
}

// Action row t of the newest episode of a level's buffer.
inline std::vector<float> action_row(const learn::Level& level, std::size_t episode, int t) {
  const auto a = level.buffer().actions(episode);
  const std::size_t w = static_cast<std::size_t>(level.buffer().dims().action);
  return {a.begin() + static_cast<std::ptrdiff_t>(w * static_cast<std::size_t>(t)),
          a.begin() + static_cast<std::ptrdiff_t>(w * static_cast<std::size_t>(t + 1))};
}

}  // namespace hindsight::hac::scripted
