#pragma once
// Scripted experts for the Fetch tasks (approach, descend, close, lift, carry; or push from
// behind), driven by the observation alone. Used by tests and to verify an install.
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "hindsight/env/goal_env.hpp"

namespace hindsight::fetch {

class ScriptedExpert {
 public:
  virtual ~ScriptedExpert() = default;
  // Clears per-episode state; call after every reset.
  virtual void reset() = 0;
  // The action for this observation (4 values in [-1, 1]).
  virtual std::vector<double> act(const GoalObs& obs) = 0;
};

// The expert for a Fetch task name; throws Error for a task without one.
std::unique_ptr<ScriptedExpert> make_scripted_expert(const std::string& env_name);

// Runs n seeded episodes (seeds seed, seed+1, ...) with the task's expert; returns the fraction
// whose last step was a success.
double run_scripted_episodes(GoalEnv& env, int episodes, std::uint64_t seed);

}  // namespace hindsight::fetch
