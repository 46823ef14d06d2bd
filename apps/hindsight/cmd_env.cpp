// hindsight env: inspect a task (spaces, first observation) or run its scripted expert.
#include <cmath>
#include <cstdio>
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli_args.hpp"
#include "commands.hpp"
#include "hindsight/core/error.hpp"
#include "hindsight/env/fetch/scripted_expert.hpp"
#include "hindsight/env/registry.hpp"

namespace hindsight::cli {
namespace {

nlohmann::json finite_or_null(const std::vector<double>& v) {
  nlohmann::json j = nlohmann::json::array();
  for (double x : v) j.push_back(std::isfinite(x) ? nlohmann::json(x) : nlohmann::json(nullptr));
  return j;
}

nlohmann::json box_json(const Box& b) {
  return {{"shape", {b.size()}}, {"low", finite_or_null(b.low)}, {"high", finite_or_null(b.high)}};
}

}  // namespace

int cmd_env(const Args& args) {
  const ParsedArgs p(args, {"--seed", "--episodes"}, {"--reset", "--json", "--list", "--scripted"});
  if (p.has("--list")) {
    for (const auto& n : env_names()) std::cout << n << "\n";
    return 0;
  }
  check(p.positional().size() == 1, "env expects one env name (see: hindsight env --list)");
  auto env = make_env(p.positional()[0]);
  const std::uint64_t seed = p.seed_value("--seed").value_or(0);

  if (p.has("--scripted")) {
    const int episodes = static_cast<int>(p.int_value("--episodes", 1, 1000000).value_or(100));
    const double rate = fetch::run_scripted_episodes(*env, episodes, seed);
    std::cout << "env=" << env->name() << " episodes=" << episodes << " seed=" << seed << "\n";
    std::printf("success_rate=%.4f\n", rate);
    return 0;
  }

  nlohmann::json j;
  j["env"] = env->name();
  j["action_space"] = box_json(env->action_space());
  j["observation_space"] = box_json(env->observation_space());
  j["goal_space"] = box_json(env->goal_space());
  j["max_episode_steps"] = env->max_episode_steps();
  j["control_dt"] = env->control_dt();
  const GoalObs o = env->reset(seed);
  j["seed"] = seed;
  j["observation"] = o.observation;
  j["achieved_goal"] = o.achieved_goal;
  j["desired_goal"] = o.desired_goal;
  if (p.has("--json")) {
    std::cout << j.dump() << "\n";
  } else {
    std::cout << j.dump(2) << "\n";
  }
  return 0;
}

}  // namespace hindsight::cli
