#pragma once
// Pendulum with the standard dynamics (g = 10, m = l = 1, dt = 0.05, torque in [-2, 2], speed in
// [-8, 8]), goal-conditioned: observation (cos, sin, angular velocity); achieved goal = (angle
// wrapped to [-pi, pi), angular velocity); desired goal = upright at rest within thresholds.
#include "hindsight/core/rng.hpp"
#include "hindsight/env/goal_env.hpp"

namespace hindsight::classic {

struct PendulumConfig {
  double angle_threshold = 0.1745;   // success when |angle| <= this (rad, 10 degrees)
  double speed_threshold = 0.6;      // and |angular velocity| <= this (rad/s)
  int max_episode_steps = 200;       // control steps per episode
};

class Pendulum final : public GoalEnv {
 public:
  // The task with the given thresholds.
  explicit Pendulum(PendulumConfig cfg = {});

  std::string name() const override { return "Pendulum"; }
  const Box& action_space() const override { return action_space_; }
  const Box& observation_space() const override { return obs_space_; }
  const Box& goal_space() const override { return goal_space_; }
  int max_episode_steps() const override { return cfg_.max_episode_steps; }
  double control_dt() const override { return kDt; }
  GoalObs reset(std::optional<std::uint64_t> seed = std::nullopt) override;
  StepResult step(std::span<const double> action) override;
  void compute_reward(std::span<const double> achieved, std::span<const double> desired,
                      std::span<double> out) const override;
  bool is_success(std::span<const double> achieved, std::span<const double> desired) const override;
  SubgoalSpec default_subgoal_spec() const override;

  // Sets the state directly (tests).
  void set_state(double angle, double speed);

  static constexpr double kDt = 0.05, kG = 10.0, kMass = 1.0, kLength = 1.0, kMaxSpeed = 8.0, kMaxTorque = 2.0;

 private:
  GoalObs observe() const;
  PendulumConfig cfg_;
  Box action_space_, obs_space_, goal_space_;
  Rng rng_;
  double theta_ = 0.0, theta_dot_ = 0.0;
  int steps_ = 0;
};

}  // namespace hindsight::classic
