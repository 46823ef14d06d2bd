#include "hindsight/env/classic/pendulum.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "hindsight/core/error.hpp"

namespace hindsight::classic {
namespace {
double wrap_angle(double a) {
  const double two_pi = 2.0 * std::numbers::pi;
  return a - two_pi * std::floor((a + std::numbers::pi) / two_pi);
}
}  // namespace

Pendulum::Pendulum(PendulumConfig cfg) : cfg_(cfg) {
  action_space_ = Box::uniform(1, -kMaxTorque, kMaxTorque);
  obs_space_ = Box{{-1.0, -1.0, -kMaxSpeed}, {1.0, 1.0, kMaxSpeed}};
  goal_space_ = Box{{-std::numbers::pi, -kMaxSpeed}, {std::numbers::pi, kMaxSpeed}};
}

GoalObs Pendulum::reset(std::optional<std::uint64_t> seed) {
  if (seed) rng_.reseed(*seed);
  theta_ = rng_.uniform(-std::numbers::pi, std::numbers::pi);
  theta_dot_ = rng_.uniform(-1.0, 1.0);
  steps_ = 0;
  return observe();
}

void Pendulum::set_state(double angle, double speed) {
  theta_ = angle;
  theta_dot_ = speed;
}

StepResult Pendulum::step(std::span<const double> action) {
  validate_action(action);
  const double u = std::clamp(action[0], -kMaxTorque, kMaxTorque);
  double thdot = theta_dot_ + (3.0 * kG / (2.0 * kLength) * std::sin(theta_) + 3.0 / (kMass * kLength * kLength) * u) * kDt;
  thdot = std::clamp(thdot, -kMaxSpeed, kMaxSpeed);
  theta_ = theta_ + thdot * kDt;
  theta_dot_ = thdot;
  ++steps_;
  StepResult r;
  r.obs = observe();
  r.success = is_success(r.obs.achieved_goal, r.obs.desired_goal);
  r.reward = r.success ? 0.0 : -1.0;
  r.truncated = steps_ >= cfg_.max_episode_steps;
  return r;
}

GoalObs Pendulum::observe() const {
  GoalObs o;
  o.observation = {std::cos(theta_), std::sin(theta_), theta_dot_};
  o.achieved_goal = {wrap_angle(theta_), theta_dot_};
  o.desired_goal = {0.0, 0.0};
  return o;
}

void Pendulum::compute_reward(std::span<const double> achieved, std::span<const double> desired,
                              std::span<double> out) const {
  check(achieved.size() == desired.size() && achieved.size() == 2 * out.size(),
        "Pendulum: compute_reward expects n x 2 goals and n outputs");
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i] = is_success(achieved.subspan(2 * i, 2), desired.subspan(2 * i, 2)) ? 0.0 : -1.0;
  }
}

bool Pendulum::is_success(std::span<const double> achieved, std::span<const double> desired) const {
  check(achieved.size() == 2 && desired.size() == 2, "Pendulum: is_success expects 2-D goals");
  // The angle difference is taken on the circle.
  const double da = std::abs(wrap_angle(achieved[0] - desired[0]));
  return da <= cfg_.angle_threshold && std::abs(achieved[1] - desired[1]) <= cfg_.speed_threshold;
}

SubgoalSpec Pendulum::default_subgoal_spec() const {
  return SubgoalSpec{{0, 1, 2}, obs_space_, {0.1, 0.1, cfg_.speed_threshold}, {}};
}

}  // namespace hindsight::classic
