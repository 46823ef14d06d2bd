#pragma once
// Makes environments by name.
#include <memory>
#include <string>
#include <vector>

#include "hindsight/env/goal_env.hpp"

namespace hindsight {

// Every registered env name, sorted.
std::vector<std::string> env_names();
// A new env of that name; throws Error listing the valid names when the name is unknown. When the test hook
// HINDSIGHT_TEST_NONFINITE is set, the env is wrapped to misbehave once (see fault_env.hpp).
std::unique_ptr<GoalEnv> make_env(const std::string& name);

}  // namespace hindsight
