#include "hindsight/env/registry.hpp"

#include <functional>
#include <map>

#include "hindsight/core/error.hpp"
#include "hindsight/env/classic/mountain_car.hpp"
#include "hindsight/env/classic/pendulum.hpp"
#include "hindsight/env/fault_env.hpp"
#include "hindsight/env/fetch/fetch_env.hpp"
#include "hindsight/env/task/task_env.hpp"

namespace hindsight {
namespace {

using Factory = std::function<std::unique_ptr<GoalEnv>()>;

const std::map<std::string, Factory>& factories() {
  static const std::map<std::string, Factory> f = {
      {"FetchReach", [] { return std::make_unique<fetch::FetchEnv>(fetch::reach_config()); }},
      {"FetchPush", [] { return std::make_unique<fetch::FetchEnv>(fetch::push_config()); }},
      {"FetchPickAndPlace", [] { return std::make_unique<fetch::FetchEnv>(fetch::pick_and_place_config()); }},
      {"MountainCarContinuous", [] { return std::make_unique<classic::MountainCarContinuous>(); }},
      // The goal of the public PyTorch HAC example: (0.48, 0.04) within (0.01, 0.02), passed through.
      {"MountainCarContinuous-HacExample",
       [] { return std::make_unique<classic::MountainCarContinuous>(classic::MountainCarConfig::hac_example()); }},
      {"Pendulum", [] { return std::make_unique<classic::Pendulum>(); }},
  };
  return f;
}

}  // namespace

std::vector<std::string> env_names() {
  std::vector<std::string> names;
  for (const auto& [n, f] : factories()) names.push_back(n);
  return names;
}

std::unique_ptr<GoalEnv> make_env(const std::string& name, const std::string& run_dir) {
  std::unique_ptr<GoalEnv> env;
  if (task::is_task_path(name)) {
    const std::string copy = run_dir.empty() ? "" : task::run_task_path(run_dir, name);
    env = copy.empty() ? task::load_task_env(name) : task::load_task_env(copy, run_dir + "/task");
    if (const auto plan = fault_plan_from_environment()) return with_fault(std::move(env), *plan);
    return env;
  }
  const auto& f = factories();
  const auto it = f.find(name);
  if (it == f.end()) {
    std::string valid;
    for (const auto& n : env_names()) valid += (valid.empty() ? "" : ", ") + n;
    throw Error("unknown env '" + name + "'; valid names: " + valid + ", or a task file (NAME.yaml)");
  }
  env = it->second();
  if (const auto plan = fault_plan_from_environment()) return with_fault(std::move(env), *plan);
  return env;
}

}  // namespace hindsight
