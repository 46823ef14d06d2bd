#include "hindsight/env/time_limit_env.hpp"

#include <gtest/gtest.h>

#include "hindsight/env/registry.hpp"
#include "support/test_support.hpp"

namespace hindsight {
namespace {

using hindsight::testing::error_of;

// Steps env with a zero action until it reports truncation; returns the steps taken (stops at `cap`).
int steps_to_truncation(GoalEnv& env, int cap) {
  const std::vector<double> zero(env.action_space().size(), 0.0);
  for (int t = 1; t <= cap; ++t) {
    if (env.step(zero).truncated) return t;
  }
  return -1;
}

TEST(TimeLimitEnv, TruncatesAtItsOwnLimitLongerOrShorterThanTheTasks) {
  // MountainCarContinuous's own limit is 200 steps; a car standing still never reaches the goal.
  TimeLimitEnv longer(make_env("MountainCarContinuous"), 400);
  EXPECT_EQ(longer.max_episode_steps(), 400);
  longer.reset(1);
  EXPECT_EQ(steps_to_truncation(longer, 1000), 400) << "the task's own truncation at 200 is not passed on";
  longer.reset(1);
  EXPECT_EQ(steps_to_truncation(longer, 1000), 400) << "reset restarts the count";

  TimeLimitEnv shorter(make_env("FetchReach"), 7);
  shorter.reset(2);
  EXPECT_EQ(steps_to_truncation(shorter, 100), 7);
}

TEST(TimeLimitEnv, EverythingButTheLimitIsTheTasks) {
  auto plain = make_env("FetchPush");
  TimeLimitEnv env(make_env("FetchPush"), 80);
  EXPECT_EQ(env.name(), plain->name());
  EXPECT_EQ(env.action_space().size(), plain->action_space().size());
  const GoalObs p = plain->reset(5), o = env.reset(5);
  EXPECT_EQ(o.observation, p.observation);
  EXPECT_EQ(o.desired_goal, p.desired_goal);
  const std::vector<double> act{0.3, -0.2, 0.1, 0.5};
  const StepResult rp = plain->step(act), r = env.step(act);
  EXPECT_EQ(r.obs.observation, rp.obs.observation);
  EXPECT_EQ(r.reward, rp.reward);
  EXPECT_EQ(r.success, rp.success);
  EXPECT_NE(env.mj_data(), nullptr);
}

TEST(TimeLimitEnv, NoLimitGivenKeepsTheEnvAndABadLimitIsAnError) {
  auto env = make_env("MountainCarContinuous");
  GoalEnv* raw = env.get();
  EXPECT_EQ(with_time_limit(std::move(env), std::nullopt).get(), raw);
  EXPECT_EQ(with_time_limit(make_env("MountainCarContinuous"), 30)->max_episode_steps(), 30);
  EXPECT_EQ(error_of([] { TimeLimitEnv(make_env("MountainCarContinuous"), 0); }),
            "max_episode_steps must be at least 1, got 0");
}

}  // namespace
}  // namespace hindsight
