#pragma once
// A test hook that makes an env misbehave once, so the NaN/Inf detection of the whole training stack
// can be exercised end to end through the CLI. It is off unless the environment variable
//   HINDSIGHT_TEST_NONFINITE=KIND@N
// is set (tests set it for the child process they start; nothing else should). KIND is one of
//   observation_nan    the N-th env step (resets do not count) returns observation[0] = NaN
//   reward_nan         the N-th compute_reward call (HER relabelling: one per update) returns a NaN
// N counts from 1 over the env's lifetime (warm-up, training and test episodes alike).
#include <memory>
#include <optional>
#include <string>

#include "hindsight/env/goal_env.hpp"

namespace hindsight {

// One planned fault.
struct FaultPlan {
  enum class Kind { observation_nan, reward_nan };
  Kind kind = Kind::observation_nan;
  long at = 1;  // 1-based index of the step or reward call that misbehaves
};

// Parses "KIND@N"; throws Error naming the variable and the accepted forms otherwise.
FaultPlan parse_fault_plan(const std::string& text);
// The plan in HINDSIGHT_TEST_NONFINITE, or none when it is unset or empty.
std::optional<FaultPlan> fault_plan_from_environment();
// Wraps env so that it misbehaves as planned; everything else is passed through unchanged.
std::unique_ptr<GoalEnv> with_fault(std::unique_ptr<GoalEnv> env, FaultPlan plan);

}  // namespace hindsight
