#include "hindsight/env/classic/mountain_car.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "hindsight/core/error.hpp"

namespace hindsight::classic {
namespace {

TEST(MountainCar, OneStepByHand) {
  MountainCarContinuous env;
  env.reset(0);
  env.set_state(-0.5, 0.01);
  const auto r = env.step(std::vector<double>{0.6});
  const double v = 0.01 + 0.6 * 0.0015 - 0.0025 * std::cos(3.0 * -0.5);
  EXPECT_DOUBLE_EQ(r.obs.observation[1], v);
  EXPECT_DOUBLE_EQ(r.obs.observation[0], -0.5 + v);
}

TEST(MountainCar, ClipsForceVelocityAndLeftWall) {
  MountainCarContinuous env;
  env.reset(0);
  env.set_state(-0.5, 0.0);
  const auto a = env.step(std::vector<double>{3.0});  // force clipped to 1
  env.set_state(-0.5, 0.0);
  const auto b = env.step(std::vector<double>{1.0});
  EXPECT_EQ(a.obs.observation, b.obs.observation);
  env.set_state(-1.19, -0.07);
  const auto c = env.step(std::vector<double>{-1.0});
  EXPECT_DOUBLE_EQ(c.obs.observation[0], -1.2);
  EXPECT_DOUBLE_EQ(c.obs.observation[1], 0.0);  // inelastic left wall
  env.set_state(0.0, 0.069);
  EXPECT_LE(env.step(std::vector<double>{1.0}).obs.observation[1], 0.07);
}

TEST(MountainCar, ResetRangeAndGoal) {
  MountainCarContinuous env;
  for (std::uint64_t s = 0; s < 200; ++s) {
    const auto o = env.reset(s);
    EXPECT_GE(o.observation[0], -0.6);
    EXPECT_LT(o.observation[0], -0.4);
    EXPECT_EQ(o.observation[1], 0.0);
    EXPECT_EQ(o.desired_goal, (std::vector<double>{0.48, 0.04}));
  }
}

TEST(MountainCar, SuccessWithinBothThresholds) {
  MountainCarContinuous env;
  const std::vector<double> g{0.48, 0.04};
  EXPECT_TRUE(env.is_success(std::vector<double>{0.485, 0.03}, g));
  EXPECT_FALSE(env.is_success(std::vector<double>{0.495, 0.04}, g));
  EXPECT_FALSE(env.is_success(std::vector<double>{0.48, 0.065}, g));
  std::vector<double> out(2);
  env.compute_reward(std::vector<double>{0.48, 0.04, 0.0, 0.0}, std::vector<double>{0.48, 0.04, 0.48, 0.04}, out);
  EXPECT_EQ(out, (std::vector<double>{0.0, -1.0}));
}

TEST(MountainCar, EnergyPumpingReachesTheGoalRegion) {
  // Push in the direction of motion: the classic hand-written solution climbs the hill in time.
  MountainCarContinuous env;
  auto o = env.reset(1);
  bool reached_top = false;
  for (int t = 0; t < 200; ++t) {
    const double a = o.observation[1] >= 0 ? 1.0 : -1.0;
    const auto r = env.step(std::vector<double>{a});
    o = r.obs;
    if (o.observation[0] >= 0.45) reached_top = true;
  }
  EXPECT_TRUE(reached_top);
}

TEST(MountainCar, BadActions) {
  MountainCarContinuous env;
  env.reset(0);
  EXPECT_THROW(env.step(std::vector<double>{0.0, 1.0}), Error);
  EXPECT_THROW(env.step(std::vector<double>{std::nan("")}), Error);
}

}  // namespace
}  // namespace hindsight::classic
