#include "hindsight/env/fixed_goal_env.hpp"

#include <gtest/gtest.h>

#include "hindsight/env/registry.hpp"
#include "hindsight/io/atomic_file.hpp"
#include "support/test_support.hpp"

namespace hindsight {
namespace {

using hindsight::testing::error_of;
using hindsight::testing::test_dir;

TEST(FixedGoalEnv, KeepsTheStartStateAndReplacesTheGoalInTurn) {
  auto plain = make_env("FetchReach");
  auto inner = make_env("FetchReach");
  const std::vector<double> g0{1.3, 0.7, 0.5}, g1{1.4, 0.8, 0.6};
  FixedGoalEnv env(*inner, {g0, g1});
  const GoalObs p = plain->reset(3);
  const GoalObs o = env.reset(3);
  EXPECT_EQ(o.observation, p.observation);
  EXPECT_EQ(o.desired_goal, g0);
  EXPECT_EQ(env.goal_index(), 0u);
  const std::vector<double> act{0.2, -0.1, 0.3, 0.0};
  const StepResult rp = plain->step(act), r = env.step(act);
  EXPECT_EQ(r.obs.observation, rp.obs.observation);
  EXPECT_EQ(r.obs.desired_goal, g0);
  EXPECT_EQ(r.reward, inner->reward(r.obs.achieved_goal, g0));
  EXPECT_EQ(r.success, inner->is_success(r.obs.achieved_goal, g0));
  EXPECT_EQ(env.reset(3).desired_goal, g1);
  EXPECT_EQ(env.reset(3).desired_goal, g0) << "the list starts again";
}

TEST(FixedGoalEnv, AGoalAtTheGripperIsASuccessFromTheStart) {
  auto inner = make_env("FetchReach");
  const GoalObs start = inner->reset(0);
  FixedGoalEnv env(*inner, {start.achieved_goal});
  env.reset(0);
  const StepResult r = env.step(std::vector<double>(4, 0.0));
  EXPECT_TRUE(r.success);
  EXPECT_EQ(r.reward, 0.0);
}

TEST(FixedGoalEnv, GoalsParseFromWordsAndFiles) {
  EXPECT_EQ(parse_goal("1.3,0.7,0.5", 3, "--goal"), (std::vector<double>{1.3, 0.7, 0.5}));
  EXPECT_EQ(parse_goal(" -0.1, 2 3e-1 ", 3, "--goal"), (std::vector<double>{-0.1, 2, 0.3}));
  EXPECT_EQ(error_of([] { parse_goal("1,2", 3, "--goal '1,2'"); }),
            "--goal '1,2': 2 values, the task's goals have 3 (x,y,z for a position)");
  EXPECT_EQ(error_of([] { parse_goal("1,x,2", 3, "--goal"); }), "--goal: 'x' is not a finite number");
  EXPECT_NE(error_of([] { parse_goal("1,nan,2", 3, "--goal"); }).find("not a finite number"), std::string::npos);
  const std::string path = test_dir() + "/goals.txt";
  io::write_file_atomic(path, "# targets\n1.3,0.7,0.5\n\n1.4 0.8 0.6  # high\n");
  const auto goals = read_goals_file(path, 3);
  ASSERT_EQ(goals.size(), 2u);
  EXPECT_EQ(goals[1], (std::vector<double>{1.4, 0.8, 0.6}));
  io::write_file_atomic(path, "1.3,0.7,0.5\n1.3,0.7\n");
  EXPECT_EQ(error_of([&] { read_goals_file(path, 3); }),
            path + ":2: 2 values, the task's goals have 3 (x,y,z for a position)");
  io::write_file_atomic(path, "# nothing\n");
  EXPECT_NE(error_of([&] { read_goals_file(path, 3); }).find("no goal in the file"), std::string::npos);
  auto inner = make_env("FetchReach");
  EXPECT_NE(error_of([&] { FixedGoalEnv(*inner, {{1.0, 2.0}}); }).find("a goal has 2 values, expected 3"),
            std::string::npos);
}

}  // namespace
}  // namespace hindsight
