#pragma once
// Makes environments by name.
#include <memory>
#include <string>
#include <vector>

#include "hindsight/env/goal_env.hpp"

namespace hindsight {

// Every registered env name, sorted.
std::vector<std::string> env_names();
// A new env of that name, or of the task file it names (task::is_task_path: a name ending in .yaml or .yml
// or containing a '/'); throws Error listing the valid names when the name is unknown. run_dir, when set,
// is a run whose copy of the task file (RUN/task/) is used instead of the original, if the run holds one.
// When the test hook HINDSIGHT_TEST_NONFINITE is set, the env is wrapped to misbehave once (fault_env.hpp).
std::unique_ptr<GoalEnv> make_env(const std::string& name, const std::string& run_dir = "");

}  // namespace hindsight
