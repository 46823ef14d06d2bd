#include "hindsight/train/level.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "hindsight/core/error.hpp"
#include "hindsight/core/finite.hpp"

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

learn::EpisodeData small_episode() {
  learn::EpisodeData e;
  e.T = 2;
  e.obs = {0, 0, 1, 1, 2, 2};
  e.ag = {0, 1, 2};
  e.g = {5, 5};
  e.actions = {0, 0, 0.5f, 0.5f};
  return e;
}

// The message of the NonFiniteError thrown by f, checking it names the level as its origin.
template <class F>
std::string non_finite_of(const Level& level, F&& f) {
  try {
    f();
  } catch (const NonFiniteError& e) {
    EXPECT_EQ(e.origin(), &level);
    return e.what();
  }
  ADD_FAILURE() << "no NonFiniteError";
  return "";
}

TEST(Level, NonFiniteInputsAreNamedWithTheirPlace) {
  Level l(spec(), config(), 1);
  Rng rng(1);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(non_finite_of(l, [&] { l.act(std::vector<double>{0.1, nan}, std::vector<double>{0.3}, true, rng); }),
            "observation[1] is NaN");
  EXPECT_EQ(non_finite_of(l, [&] {
              l.act(std::vector<double>{0.1, 0.2}, std::vector<double>{-INFINITY}, false, rng);
            }),
            "goal[0] is -Inf");
  learn::EpisodeData e = small_episode();
  e.obs[5] = NAN;
  EXPECT_EQ(non_finite_of(l, [&] { l.store_episode(e, rng); }), "observation[1] at episode step 2 is NaN");
  e = small_episode();
  e.actions[2] = INFINITY;
  EXPECT_EQ(non_finite_of(l, [&] { l.observe_for_normalizer(e, rng); }), "action[0] at episode step 1 is +Inf");
  EXPECT_EQ(l.buffer().episodes(), 0u);  // nothing bad was stored or counted
  EXPECT_EQ(l.obs_norm().count(), 0u);
}

TEST(Level, NonFiniteUpdateStopsOrIsSkippedAsConfigured) {
  // A reward function gone wrong makes every update's loss NaN.
  LevelSpec bad = spec();
  bad.reward = [](std::span<const double>, std::span<const double>, std::span<double> out) {
    std::fill(out.begin(), out.end(), std::numeric_limits<double>::quiet_NaN());
  };
  Rng rng(1);
  Level stop(bad, config(), 1);
  for (int i = 0; i < 3; ++i) stop.store_episode(small_episode(), rng);
  EXPECT_EQ(non_finite_of(stop, [&] { stop.train_step(rng); }), "critic loss is NaN");

  LevelConfig c = config();
  c.skip_non_finite_updates = true;
  Level skip(bad, c, 1);
  for (int i = 0; i < 3; ++i) skip.store_episode(small_episode(), rng);
  const auto before = skip.learner().flat_parameters();
  LevelStats stats;
  stats.add(skip.train_step(rng));
  stats.add(skip.train_step(rng));
  EXPECT_EQ(skip.learner().flat_parameters(), before);
  EXPECT_EQ(stats.skipped, 2);
  EXPECT_EQ(stats.updates, 0);
  EXPECT_TRUE(std::isnan(stats.mean().critic_loss));  // no figures from skipped updates
}
}  // namespace
}  // namespace hindsight::train
