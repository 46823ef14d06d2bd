#include "hindsight/env/fault_env.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>

#include "hindsight/core/error.hpp"
#include "hindsight/env/registry.hpp"

namespace hindsight {
namespace {

TEST(FaultEnv, PlansParseOrSayWhatIsExpected) {
  const FaultPlan p = parse_fault_plan("reward_nan@7");
  EXPECT_EQ(p.kind, FaultPlan::Kind::reward_nan);
  EXPECT_EQ(p.at, 7);
  EXPECT_EQ(parse_fault_plan("observation_nan@1").kind, FaultPlan::Kind::observation_nan);
  for (const char* bad : {"", "reward_nan", "reward_nan@", "reward_nan@0", "reward_nan@-2", "reward_nan@3x",
                          "loss@3"}) {
    try {
      parse_fault_plan(bad);
      ADD_FAILURE() << bad;
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("HINDSIGHT_TEST_NONFINITE='" + std::string(bad) + "': expected"),
                std::string::npos)
          << e.what();
    }
  }
}

TEST(FaultEnv, TheNthStepOrRewardMisbehavesOnceAndNothingElseChanges) {
  auto plain = make_env("Pendulum");
  auto obs_fault = with_fault(make_env("Pendulum"), {FaultPlan::Kind::observation_nan, 3});
  EXPECT_EQ(obs_fault->name(), "Pendulum");
  EXPECT_EQ(obs_fault->reset(5).observation, plain->reset(5).observation);
  const std::vector<double> a(plain->action_space().size(), 0.1);
  for (int step = 1; step <= 5; ++step) {
    const auto want = plain->step(a), got = obs_fault->step(a);
    EXPECT_EQ(std::isnan(got.obs.observation[0]), step == 3) << step;
    EXPECT_EQ(got.obs.observation.size(), want.obs.observation.size());
    if (step != 3) EXPECT_EQ(got.obs.observation, want.obs.observation);
  }
  auto reward_fault = with_fault(make_env("Pendulum"), {FaultPlan::Kind::reward_nan, 2});
  const auto g = reward_fault->reset(1).desired_goal;
  for (int call = 1; call <= 3; ++call) {
    EXPECT_EQ(std::isnan(reward_fault->reward(g, g)), call == 2) << call;
  }
}

TEST(FaultEnv, TheRegistryAppliesThePlanFromTheEnvironment) {
  ASSERT_EQ(::setenv("HINDSIGHT_TEST_NONFINITE", "observation_nan@1", 1), 0);
  auto env = make_env("Pendulum");
  ASSERT_EQ(::setenv("HINDSIGHT_TEST_NONFINITE", "nonsense", 1), 0);
  EXPECT_THROW(make_env("Pendulum"), Error);
  ::unsetenv("HINDSIGHT_TEST_NONFINITE");
  env->reset(1);
  EXPECT_TRUE(std::isnan(env->step(std::vector<double>(env->action_space().size(), 0.0)).obs.observation[0]));
  auto clean = make_env("Pendulum");
  clean->reset(1);
  EXPECT_FALSE(std::isnan(clean->step(std::vector<double>(clean->action_space().size(), 0.0)).obs.observation[0]));
}

}  // namespace
}  // namespace hindsight
