#include "hindsight/env/goal_env.hpp"

#include <cmath>

#include "hindsight/core/error.hpp"

namespace hindsight {

double GoalEnv::reward(std::span<const double> achieved, std::span<const double> desired) const {
  double r = 0.0;
  compute_reward(achieved, desired, std::span<double>(&r, 1));
  return r;
}

void GoalEnv::validate_action(std::span<const double> action) const {
  const std::size_t n = action_space().size();
  if (action.size() != n) {
    throw Error(name() + ": action has " + std::to_string(action.size()) + " values, expected " +
                std::to_string(n));
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(action[i])) {
      throw Error(name() + ": action[" + std::to_string(i) + "] is not a finite number");
    }
  }
}

}  // namespace hindsight

namespace hindsight {
bool within_thresholds(std::span<const double> achieved, std::span<const double> desired,
                       std::span<const double> thresholds) {
  check(achieved.size() == thresholds.size() && desired.size() == thresholds.size(),
        "within_thresholds: size mismatch");
  for (std::size_t i = 0; i < thresholds.size(); ++i) {
    if (!(std::abs(achieved[i] - desired[i]) <= thresholds[i])) return false;
  }
  return true;
}
}  // namespace hindsight
