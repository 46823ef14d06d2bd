// The `hindsight env` command as a user runs it.
#include <gtest/gtest.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "support/run_cli.hpp"

namespace hindsight::testing {
namespace {

TEST(CliEnv, JsonHasSpacesAndFirstObservation) {
  const auto r = run_cli("env FetchPickAndPlace --reset --seed 3 --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["env"], "FetchPickAndPlace");
  EXPECT_EQ(j["observation"].size(), 25u);
  EXPECT_EQ(j["achieved_goal"].size(), 3u);
  EXPECT_EQ(j["desired_goal"].size(), 3u);
  EXPECT_EQ(j["action_space"]["low"][0], -1.0);
  EXPECT_EQ(j["max_episode_steps"], 50);
  // The default subgoal space: gripper and block, the block from the table top (0.4 m) up.
  EXPECT_EQ(j["subgoal_space"]["obs_indices"], (std::vector<int>{0, 1, 2, 3, 4, 5}));
  EXPECT_EQ(j["subgoal_space"]["low"][5], 0.4);
  EXPECT_EQ(j["subgoal_space"]["thresholds"].size(), 6u);
  // What subgoal= may pick: the default, the fingers and the gripper's velocity.
  EXPECT_EQ(j["subgoal_candidates"]["obs_indices"], (std::vector<int>{0, 1, 2, 3, 4, 5, 9, 10, 20, 21, 22}));
  EXPECT_EQ(j["subgoal_candidates"]["thresholds"][10], 0.01);
  EXPECT_EQ(j["subgoal_candidates"]["low"][10], -0.04);
  // The same seed prints the same observation.
  EXPECT_EQ(run_cli("env FetchPickAndPlace --reset --seed 3 --json").out, r.out);
}

TEST(CliEnv, ScriptedPrintsSuccessRateLast) {
  const auto r = run_cli("env FetchReach --scripted --episodes 5 --seed 2");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(last_line(r.out), "success_rate=1.0000");
}

TEST(CliEnv, ListNamesEveryEnv) {
  const auto r = run_cli("env --list");
  ASSERT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("FetchPush\n"), std::string::npos);
  EXPECT_NE(r.out.find("MountainCarContinuous\n"), std::string::npos);
}

TEST(CliEnv, BadInputIsOneLineAndNonZero) {
  for (const char* args : {"env NoSuchEnv", "env FetchReach --seed -4", "env FetchReach --episodes x --scripted",
                           "env FetchReach --bogus", "env", "env Pendulum --scripted --episodes 2", "nosuchcommand"}) {
    const auto r = run_cli(args);
    EXPECT_NE(r.exit_code, 0) << args;
    EXPECT_EQ(line_count(r.err), 1) << args << ": " << r.err;
    EXPECT_TRUE(r.out.empty()) << args;
  }
  const auto r = run_cli("env NoSuchEnv");
  EXPECT_NE(r.err.find("FetchPickAndPlace"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace hindsight::testing
