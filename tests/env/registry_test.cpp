#include "hindsight/env/registry.hpp"

#include <gtest/gtest.h>

#include "hindsight/core/error.hpp"

namespace hindsight {
namespace {

TEST(Registry, ListsAndMakesEveryEnv) {
  const auto names = env_names();
  const std::vector<std::string> expected{"FetchPickAndPlace",     "FetchPush",
                                          "FetchReach",            "MountainCarContinuous",
                                          "MountainCarContinuous-HacExample", "Pendulum"};
  EXPECT_EQ(names, expected);
  for (const auto& n : names) {
    auto env = make_env(n);
    EXPECT_EQ(env->name(), n);
    const auto o = env->reset(0);
    EXPECT_EQ(o.observation.size(), env->observation_space().size());
    EXPECT_EQ(o.desired_goal.size(), env->goal_space().size());
    const auto spec = env->default_subgoal_spec();
    EXPECT_EQ(spec.obs_indices.size(), spec.bounds.size());
    EXPECT_EQ(spec.obs_indices.size(), spec.thresholds.size());
  }
}

// The PyTorch HAC example's MountainCar goal, beside the stoppable window of MountainCarContinuous.
TEST(Registry, MountainCarHasThePyTorchHacExampleGoal) {
  auto env = make_env("MountainCarContinuous-HacExample");
  EXPECT_EQ(env->reset(0).desired_goal, (std::vector<double>{0.48, 0.04}));
  EXPECT_TRUE(env->is_success(std::vector<double>{0.485, 0.055}, std::vector<double>{0.48, 0.04}));
  EXPECT_FALSE(env->is_success(std::vector<double>{0.495, 0.04}, std::vector<double>{0.48, 0.04}));
  EXPECT_FALSE(env->is_success(std::vector<double>{0.48, 0.0}, std::vector<double>{0.48, 0.04}));
  EXPECT_TRUE(env->terminates_on_success());
  EXPECT_EQ(make_env("MountainCarContinuous")->reset(0).desired_goal, (std::vector<double>{0.48, 0.0}));
}

TEST(Registry, UnknownNameListsTheValidOnes) {
  try {
    make_env("FetchSlide");
    FAIL();
  } catch (const Error& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("unknown env 'FetchSlide'"), std::string::npos);
    EXPECT_NE(m.find("FetchPickAndPlace"), std::string::npos);
    EXPECT_EQ(m.find('\n'), std::string::npos);
  }
}

}  // namespace
}  // namespace hindsight
