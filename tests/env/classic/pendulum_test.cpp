#include "hindsight/env/classic/pendulum.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

namespace hindsight::classic {
namespace {

TEST(Pendulum, OneStepByHand) {
  Pendulum env;
  env.reset(0);
  env.set_state(0.3, -0.2);
  const auto r = env.step(std::vector<double>{1.5});
  const double thdot = -0.2 + (3.0 * 10.0 / 2.0 * std::sin(0.3) + 3.0 * 1.5) * 0.05;
  const double th = 0.3 + thdot * 0.05;
  EXPECT_DOUBLE_EQ(r.obs.observation[0], std::cos(th));
  EXPECT_DOUBLE_EQ(r.obs.observation[1], std::sin(th));
  EXPECT_DOUBLE_EQ(r.obs.observation[2], thdot);
}

TEST(Pendulum, TorqueAndSpeedClipped) {
  Pendulum env;
  env.reset(0);
  env.set_state(0.0, 0.0);
  const auto a = env.step(std::vector<double>{10.0});
  env.set_state(0.0, 0.0);
  const auto b = env.step(std::vector<double>{2.0});
  EXPECT_EQ(a.obs.observation, b.obs.observation);
  env.set_state(1.0, 7.99);
  EXPECT_LE(env.step(std::vector<double>{2.0}).obs.observation[2], 8.0);
}

TEST(Pendulum, GoalIsUprightAtRestOnTheCircle) {
  Pendulum env;
  const std::vector<double> g{0.0, 0.0};
  EXPECT_TRUE(env.is_success(std::vector<double>{0.1, 0.5}, g));
  EXPECT_FALSE(env.is_success(std::vector<double>{0.3, 0.0}, g));
  EXPECT_FALSE(env.is_success(std::vector<double>{0.0, 1.0}, g));
  // Angles near +pi and -pi are close on the circle.
  EXPECT_TRUE(env.is_success(std::vector<double>{std::numbers::pi - 0.05, 0.0},
                             std::vector<double>{-std::numbers::pi + 0.05, 0.0}));
  env.set_state(2.0 * std::numbers::pi + 0.05, 0.0);
  const auto r = env.step(std::vector<double>{0.0});
  EXPECT_LT(std::abs(r.obs.achieved_goal[0]), 0.2);  // wrapped to [-pi, pi)
}

TEST(Pendulum, ResetRange) {
  Pendulum env;
  for (std::uint64_t s = 0; s < 200; ++s) {
    const auto o = env.reset(s);
    EXPECT_NEAR(o.observation[0] * o.observation[0] + o.observation[1] * o.observation[1], 1.0, 1e-12);
    EXPECT_LE(std::abs(o.observation[2]), 1.0);
  }
}

}  // namespace
}  // namespace hindsight::classic
