#include "hindsight/train/level.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "hindsight/core/error.hpp"

namespace hindsight::train {
namespace {

LevelSpec spec() {
  LevelSpec s;
  s.obs_dim = 2;
  s.goal_dim = 1;
  s.action_space = Box{{-2.0, 0.0}, {2.0, 1.0}};
  s.max_steps = 5;
  s.reward = [](std::span<const double> a, std::span<const double> d, std::span<double> out) {
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = std::abs(a[i] - d[i]) < 0.5 ? 0.0 : -1.0;
  };
  return s;
}

LevelConfig config() {
  LevelConfig c;
  c.ddpg.hidden = {8};
  c.batch_size = 4;
  c.buffer_size = 100;
  c.clip_obs = 10.0;
  return c;
}

TEST(Level, UnitActionsMapToTheBounds) {
  Level l(spec(), config(), 1);
  float u[2];
  l.to_unit_action(std::vector<double>{2.0, 0.0}, u);
  EXPECT_FLOAT_EQ(u[0], 1.0f);
  EXPECT_FLOAT_EQ(u[1], -1.0f);
  l.to_unit_action(std::vector<double>{0.0, 0.75}, u);
  EXPECT_FLOAT_EQ(u[0], 0.0f);
  EXPECT_FLOAT_EQ(u[1], 0.5f);
}

TEST(Level, ActionsStayInsideTheBoundsAndRandomEpsExplores) {
  LevelConfig c = config();
  c.random_eps = 1.0;  // always a uniform random action
  Level l(spec(), c, 1);
  Rng rng(3);
  double sum0 = 0;
  const int n = 4000;
  for (int i = 0; i < n; ++i) {
    const auto a = l.act(std::vector<double>{0.1, 0.2}, std::vector<double>{0.3}, true, rng);
    ASSERT_GE(a[0], -2.0);
    ASSERT_LE(a[0], 2.0);
    ASSERT_GE(a[1], 0.0);
    ASSERT_LE(a[1], 1.0);
    sum0 += a[0];
  }
  EXPECT_NEAR(sum0 / n, 0.0, 0.1);  // uniform on [-2, 2]
  // Without exploration the action is deterministic.
  Rng r1(1), r2(2);
  EXPECT_EQ(l.act(std::vector<double>{0.1, 0.2}, std::vector<double>{0.3}, false, r1),
            l.act(std::vector<double>{0.1, 0.2}, std::vector<double>{0.3}, false, r2));
}

TEST(Level, InputsAreClippedThenNormalized) {
  Level l(spec(), config(), 1);
  // Statistics: obs dim 0 has mean 1, std 2; dim 1 constant 0 (std floored at eps); goal mean 0 std 1.
  learn::Normalizer o(2), g(1);
  for (double x : {-1.0, 3.0}) o.update(std::vector<double>{x, 0.0});
  for (double x : {-1.0, 1.0}) g.update(std::vector<double>{x});
  l.set_normalizers(o, g);
  std::vector<float> in;
  l.make_inputs(std::vector<float>{5.0f, 0.001f, 50.0f}, std::vector<float>{}, 0, in);
  EXPECT_TRUE(in.empty());
  l.make_inputs(std::vector<float>{5.0f, 0.001f}, std::vector<float>{50.0f}, 1, in);
  ASSERT_EQ(in.size(), 3u);
  EXPECT_FLOAT_EQ(in[0], 2.0f);           // (5 - 1) / 2
  EXPECT_NEAR(in[1], 0.1f, 1e-6);         // 0.001 / eps 0.01
  EXPECT_FLOAT_EQ(in[2], 5.0f);           // goal 50 clipped to 10 by clip_obs, normalized 10, clipped to 5
  EXPECT_THROW(l.set_normalizers(learn::Normalizer(3), g), Error);
}

TEST(Level, StoringAnEpisodeFeedsBufferAndNormalizers) {
  Level l(spec(), config(), 1);
  learn::EpisodeData e;
  e.T = 2;
  e.obs = {0, 0, 1, 1, 2, 2};
  e.ag = {0, 1, 2};
  e.g = {5, 5};
  e.actions = {0, 0, 0.5f, 0.5f};
  Rng rng(1);
  l.store_episode(e, rng);
  EXPECT_EQ(l.buffer().transitions(), 2u);
  EXPECT_EQ(l.obs_norm().count(), 2u);  // the T observations the policy acted on
  EXPECT_EQ(l.goal_norm().count(), 2u);
  for (int i = 0; i < 3; ++i) l.store_episode(e, rng);
  const auto s = l.train_step(rng);
  EXPECT_TRUE(std::isfinite(s.critic_loss));
}

}  // namespace
}  // namespace hindsight::train
