// hindsight env: inspect a task (spaces, first observation) or run its scripted expert.
#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli_parse.hpp"
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

// The parsed command line of `hindsight env`.
struct EnvArgs {
  std::vector<std::string> names;
  std::optional<std::string> seed, episodes;
  bool reset = false, json = false, list = false, scripted = false;
};

// Prints the env's spaces and first observation, runs its scripted expert, or lists the envs.
int run_env(const EnvArgs& a) {
  if (a.list) {
    for (const auto& n : env_names()) std::cout << n << "\n";
    return 0;
  }
  check(a.names.size() == 1, "env expects one env name or task file (see: hindsight env --list)");
  auto env = make_env(a.names[0]);
  const std::uint64_t seed = seed_value("--seed", a.seed).value_or(0);

  if (a.scripted) {
    const int episodes = static_cast<int>(int_value("--episodes", a.episodes, 1, 1000000).value_or(100));
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
  const auto space_json = [](const SubgoalSpec& sg) {
    return nlohmann::json{{"obs_indices", sg.obs_indices},
                          {"low", sg.bounds.low},
                          {"high", sg.bounds.high},
                          {"thresholds", sg.thresholds}};
  };
  // Where the upper HAC levels propose by default (subgoal_low/subgoal_high replace low/high), and every
  // observation entry `subgoal=` may pick, with its bounds and threshold.
  if (const SubgoalSpec sg = env->default_subgoal_spec(); !sg.obs_indices.empty()) {
    j["subgoal_space"] = space_json(sg);
    j["subgoal_candidates"] = space_json(env->subgoal_candidates());
  }
  j["max_episode_steps"] = env->max_episode_steps();
  j["control_dt"] = env->control_dt();
  const GoalObs o = env->reset(seed);
  j["seed"] = seed;
  j["observation"] = o.observation;
  j["achieved_goal"] = o.achieved_goal;
  j["desired_goal"] = o.desired_goal;
  if (a.json) {
    std::cout << j.dump() << "\n";
  } else {
    std::cout << j.dump(2) << "\n";
  }
  return 0;
}

}  // namespace

Command add_env(CLI::App& app) {
  auto a = std::make_shared<EnvArgs>();
  CLI::App* sub = app.add_subcommand(
      "env", "Inspect a task: its spaces and first observation as JSON, or run its scripted expert");
  add_words(*sub, "NAME", a->names, "NAME|FILE", "registered env name (see --list) or a task file (PATH.yaml)");
  add_bool_flag(*sub, "--reset", a->reset,
                "print the first observation after a reset (the default; accepted for scripts)");
  add_value_flag(*sub, "--seed", a->seed, "S",
                 "seed of the reset; with --scripted, episodes use S, S+1, ... (default 0)");
  add_bool_flag(*sub, "--json", a->json, "print the JSON on one line instead of indented");
  add_bool_flag(*sub, "--scripted", a->scripted,
                "run the task's scripted expert instead; the last line is success_rate=<x>");
  add_value_flag(*sub, "--episodes", a->episodes, "N", "episodes for --scripted, in [1, 1000000] (default 100)");
  add_bool_flag(*sub, "--list", a->list, "print the registered env names, one a line");
  return {sub, [a] { return run_env(*a); }};
}

}  // namespace hindsight::cli
