#include "hindsight/env/env_wrapper.hpp"

#include <gtest/gtest.h>

#include "hindsight/env/classic/mountain_car.hpp"
#include "hindsight/env/registry.hpp"

namespace hindsight {
namespace {

// A wrapper that overrides nothing behaves as its inner env in every respect the trainer reads, including
// the episode end rule (terminates_on_success), which a hand-written forwarding wrapper once dropped.
TEST(EnvWrapper, ForwardsEveryCallToTheInnerEnv) {
  classic::MountainCarContinuous car, twin;
  EnvWrapper w(car);
  EXPECT_EQ(w.name(), car.name());
  EXPECT_TRUE(w.terminates_on_success());
  EXPECT_EQ(w.max_episode_steps(), car.max_episode_steps());
  EXPECT_EQ(w.goal_space().size(), car.goal_space().size());
  const GoalObs a = w.reset(5), b = twin.reset(5);
  EXPECT_EQ(a.observation, b.observation);
  const std::vector<double> push{1.0};
  EXPECT_EQ(w.step(push).obs.observation, twin.step(push).obs.observation);
  EXPECT_EQ(w.mj_model(), nullptr);
  auto fetch = make_env("FetchReach");
  EnvWrapper f(*fetch);
  EXPECT_FALSE(f.terminates_on_success());
  EXPECT_EQ(f.mj_model(), fetch->mj_model());
}

}  // namespace
}  // namespace hindsight
