#include "hindsight/env/classic/mountain_car.hpp"

#include <gtest/gtest.h>

#include <algorithm>
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
  EXPECT_TRUE(env.terminates_on_success());  // as Gymnasium's: the episode ends at the goal
  for (std::uint64_t s = 0; s < 200; ++s) {
    const auto o = env.reset(s);
    EXPECT_GE(o.observation[0], -0.6);
    EXPECT_LT(o.observation[0], -0.4);
    EXPECT_EQ(o.observation[1], 0.0);
    EXPECT_EQ(o.desired_goal, (std::vector<double>{0.48, 0.0}));
  }
}

TEST(MountainCar, SuccessWithinBothThresholds) {
  MountainCarContinuous env;
  const std::vector<double> g{0.48, 0.0};
  EXPECT_TRUE(env.is_success(std::vector<double>{0.515, -0.035}, g));
  EXPECT_FALSE(env.is_success(std::vector<double>{0.525, 0.0}, g));
  EXPECT_FALSE(env.is_success(std::vector<double>{0.48, 0.045}, g));
  std::vector<double> out(2);
  env.compute_reward(std::vector<double>{0.48, 0.0, 0.0, 0.0}, std::vector<double>{0.48, 0.0, 0.48, 0.0}, out);
  EXPECT_EQ(out, (std::vector<double>{0.0, -1.0}));
  // Subgoals keep the narrow thresholds.
  EXPECT_EQ(env.default_subgoal_spec().thresholds, (std::vector<double>{0.01, 0.02}));
}

TEST(MountainCar, TheGoalWindowCannotBeJumpedOverAndTheCarCanStopInIt) {
  // Wider than the top speed: from any start left of the window at |v| <= 0.04, one step lands inside or short.
  MountainCarContinuous env;
  const std::vector<double> g{0.48, 0.0};
  for (double x = 0.40; x < 0.44; x += 0.005) {
    env.set_state(x, 0.04);
    const auto o = env.step(std::vector<double>{0.0}).obs.observation;
    EXPECT_LE(o[0], 0.52) << x;
  }
  // The car can rest in it: the engine (up to 0.0015 per step) outweighs gravity there (0.0025 cos(3 x) <=
  // 0.00033), so cancelling the velocity every step holds a car entering at 0.01 inside for good.
  env.set_state(0.45, 0.01);
  int inside = 0;
  std::vector<double> s{0.45, 0.01};
  for (int t = 0; t < 100; ++t) {
    const double a = std::clamp((0.0025 * std::cos(3.0 * s[0]) - s[1]) / 0.0015, -1.0, 1.0);
    const auto o = env.step(std::vector<double>{a}).obs;
    s = o.observation;
    inside += env.is_success(o.achieved_goal, g) ? 1 : 0;
  }
  EXPECT_EQ(inside, 100);
  // The PyTorch HAC example's task is still available.
  MountainCarContinuous hac(MountainCarConfig::hac_example());
  EXPECT_EQ(hac.reset(0).desired_goal, (std::vector<double>{0.48, 0.04}));
  EXPECT_FALSE(hac.is_success(std::vector<double>{0.495, 0.04}, std::vector<double>{0.48, 0.04}));
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
