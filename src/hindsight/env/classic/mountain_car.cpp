#include "hindsight/env/classic/mountain_car.hpp"

#include <algorithm>
#include <cmath>

#include "hindsight/core/error.hpp"

namespace hindsight::classic {

MountainCarContinuous::MountainCarContinuous(MountainCarConfig cfg) : cfg_(cfg) {
  action_space_ = Box::uniform(1, -1.0, 1.0);
  obs_space_ = Box{{kMinPosition, -kMaxSpeed}, {kMaxPosition, kMaxSpeed}};
}

GoalObs MountainCarContinuous::reset(std::optional<std::uint64_t> seed) {
  if (seed) rng_.reseed(*seed);
  position_ = rng_.uniform(-0.6, -0.4);
  velocity_ = 0.0;
  steps_ = 0;
  return observe();
}

void MountainCarContinuous::set_state(double position, double velocity) {
  position_ = position;
  velocity_ = velocity;
}

StepResult MountainCarContinuous::step(std::span<const double> action) {
  validate_action(action);
  const double force = std::clamp(action[0], -1.0, 1.0);
  velocity_ += force * kPower - 0.0025 * std::cos(3.0 * position_);
  velocity_ = std::clamp(velocity_, -kMaxSpeed, kMaxSpeed);
  position_ = std::clamp(position_ + velocity_, kMinPosition, kMaxPosition);
  if (position_ == kMinPosition && velocity_ < 0.0) velocity_ = 0.0;
  ++steps_;
  StepResult r;
  r.obs = observe();
  r.success = is_success(r.obs.achieved_goal, r.obs.desired_goal);
  r.reward = r.success ? 0.0 : -1.0;
  r.truncated = steps_ >= cfg_.max_episode_steps;
  return r;
}

GoalObs MountainCarContinuous::observe() const {
  GoalObs o;
  o.observation = {position_, velocity_};
  o.achieved_goal = o.observation;
  o.desired_goal = {cfg_.goal_position, cfg_.goal_velocity};
  return o;
}

void MountainCarContinuous::compute_reward(std::span<const double> achieved, std::span<const double> desired,
                                           std::span<double> out) const {
  check(achieved.size() == desired.size() && achieved.size() == 2 * out.size(),
        "MountainCarContinuous: compute_reward expects n x 2 goals and n outputs");
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i] = is_success(achieved.subspan(2 * i, 2), desired.subspan(2 * i, 2)) ? 0.0 : -1.0;
  }
}

bool MountainCarContinuous::is_success(std::span<const double> achieved, std::span<const double> desired) const {
  const double thr[2] = {cfg_.position_threshold, cfg_.velocity_threshold};
  return within_thresholds(achieved, desired, thr);
}

SubgoalSpec MountainCarContinuous::default_subgoal_spec() const {
  return SubgoalSpec{{0, 1}, obs_space_, {cfg_.subgoal_position_threshold, cfg_.subgoal_velocity_threshold}, {}};
}

}  // namespace hindsight::classic
