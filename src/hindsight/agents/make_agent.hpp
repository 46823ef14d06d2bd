#pragma once
// Agent construction: the env and the agent (flat DDPG+HER, or an HAC stack) a config describes. This
// is the one place that knows both kinds of agent; the trainer, eval and record build through it.
#include <memory>
#include <string>

#include "hindsight/env/goal_env.hpp"
#include "hindsight/io/config.hpp"
#include "hindsight/learn/agent.hpp"
#include "hindsight/learn/level.hpp"

namespace hindsight::hac {
struct HacConfig;  // hac/hac_agent.hpp
}  // namespace hindsight::hac

namespace hindsight::agents {

// The env and agent a config describes (agent seeded from config.seed and the rank).
struct Setup {
  std::unique_ptr<GoalEnv> env;
  std::unique_ptr<learn::Agent> agent;
};
// Builds env and agent for rank `rank` of `ranks`; throws Error for settings that do not fit the env. run_dir,
// when set, is the run the env belongs to: a task file is then read from the run's own copy (RUN/task/).
Setup make_setup(const TrainConfig& cfg, int rank = 0, int ranks = 1, const std::string& run_dir = "");
// The LevelConfig of a flat agent under cfg for env with one rank's batch of `ranks` (gamma auto resolved).
learn::LevelConfig flat_level_config(const TrainConfig& cfg, const GoalEnv& env, int ranks = 1);
// The HAC settings of cfg for env (levels >= 2): H resolved, the flat LevelConfig shared by the levels.
hac::HacConfig hac_config(const TrainConfig& cfg, const GoalEnv& env, int ranks = 1);
// The learner's HER strategy for the config's.
learn::HerStrategy her_of(HerStrategy s);

}  // namespace hindsight::agents
