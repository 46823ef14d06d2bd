#include "hindsight/learn/level.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "hindsight/core/error.hpp"
#include "hindsight/core/finite.hpp"
#include "hindsight/core/rng.hpp"

namespace hindsight::learn {
namespace {

constexpr int kObs = 4, kGoal = 2, kT = 6;

LevelSpec spec() {
  LevelSpec s;
  s.obs_dim = kObs;
  s.goal_dim = kGoal;
  s.action_space = Box::uniform(2, -1.0, 1.0);
  s.max_steps = kT;
  s.reward = [](std::span<const double>, std::span<const double>, std::span<double> out) {
    for (auto& r : out) r = -1.0;
  };
  return s;
}

// No HER relabelling, so the goals the normalizer sees are exactly the episode's desired goals.
LevelConfig config() {
  LevelConfig c;
  c.ddpg.hidden = {8};
  c.her = learn::HerStrategy::kNone;
  c.buffer_size = 100 * kT;
  return c;
}

// An episode whose values have a large offset and a small spread (the case naive variance gets wrong).
learn::EpisodeData episode(Rng& rng) {
  learn::EpisodeData e;
  e.T = kT;
  for (int i = 0; i < (kT + 1) * kObs; ++i) e.obs.push_back(static_cast<float>(1.4 + 0.01 * rng.normal()));
  for (int i = 0; i < (kT + 1) * kGoal; ++i) e.ag.push_back(static_cast<float>(rng.uniform(-1.0, 1.0)));
  for (int i = 0; i < kT * kGoal; ++i) e.g.push_back(static_cast<float>(0.5 + rng.normal()));
  e.actions.assign(static_cast<std::size_t>(kT) * 2, 0.0f);
  return e;
}

void expect_rel_near(const std::vector<double>& a, const std::vector<double>& b, double rel) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_NEAR(a[i], b[i], rel * std::abs(b[i])) << "index " << i;
}

TEST(Level, StoredEpisodesReachTheNormalizersOnlyThroughAMerge) {
  Level level(spec(), config(), 1);
  Rng rng(2);
  level.store_episode(episode(rng), rng);
  EXPECT_EQ(level.buffer().episodes(), 1u);
  EXPECT_EQ(level.obs_norm().count(), 0u);
  EXPECT_EQ(level.goal_norm().count(), 0u);
  const std::vector<double> delta = level.take_normalizer_delta();
  ASSERT_EQ(delta.size(), level.normalizer_delta_size());
  EXPECT_EQ(delta[0], kT);             // observations the policy acted on
  EXPECT_EQ(delta[1 + 2 * kObs], kT);  // one goal per step
  EXPECT_EQ(level.take_normalizer_delta()[0], 0.0) << "a take clears the pending samples";
  level.merge_normalizer_deltas(delta);
  EXPECT_EQ(level.obs_norm().count(), static_cast<std::uint64_t>(kT));
  EXPECT_EQ(level.goal_norm().count(), static_cast<std::uint64_t>(kT));
}

TEST(Level, MergedDeltasOfSeveralLevelsEqualOneNormalizerFedTheUnion) {
  // Three "ranks" each see their own episodes; merging their deltas in order must give the statistics
  // of one normalizer that saw every row, sample by sample.
  learn::Normalizer obs_ref(kObs), goal_ref(kGoal);
  std::vector<double> all;
  for (int r = 0; r < 3; ++r) {
    Level rank_level(spec(), config(), 1);
    Rng rng(100 + r);
    for (int e = 0; e < 5 + r; ++e) {
      const learn::EpisodeData ep = episode(rng);
      rank_level.observe_for_normalizer(ep, rng);
      for (int t = 0; t < kT; ++t) {
        obs_ref.update(std::vector<double>(ep.obs.begin() + t * kObs, ep.obs.begin() + (t + 1) * kObs));
        goal_ref.update(std::vector<double>(ep.g.begin() + t * kGoal, ep.g.begin() + (t + 1) * kGoal));
      }
    }
    const std::vector<double> d = rank_level.take_normalizer_delta();
    all.insert(all.end(), d.begin(), d.end());
  }
  Level merged(spec(), config(), 1);
  merged.merge_normalizer_deltas(all);
  expect_rel_near(merged.obs_norm().raw(), obs_ref.raw(), 1e-9);
  expect_rel_near(merged.goal_norm().raw(), goal_ref.raw(), 1e-9);
}

TEST(Level, FrozenOrIdentityNormalizersIgnoreSamples) {
  LevelConfig off = config();
  off.normalize = false;
  Level level(spec(), off, 1);
  Rng rng(3);
  level.store_episode(episode(rng), rng);
  const std::vector<double> delta = level.take_normalizer_delta();
  EXPECT_EQ(delta[0], 0.0);
  level.merge_normalizer_deltas(delta);
  EXPECT_TRUE(level.obs_norm().is_identity());
  EXPECT_EQ(level.obs_norm().count(), 0u);
}

TEST(Level, MergeRejectsAWrongSizeOrInvalidStatistics) {
  Level level(spec(), config(), 1);
  std::vector<double> delta = level.take_normalizer_delta();
  delta.pop_back();
  EXPECT_THROW(level.merge_normalizer_deltas(delta), Error);
  delta = level.take_normalizer_delta();
  delta[0] = 1.0;
  delta[1] = std::nan("");
  EXPECT_THROW(level.merge_normalizer_deltas(delta), Error);
}

// Actions, input preparation and storage.

LevelSpec bounded_spec() {
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

LevelConfig small_config() {
  LevelConfig c;
  c.ddpg.hidden = {8};
  c.batch_size = 4;
  c.buffer_size = 100;
  c.clip_obs = 10.0;
  return c;
}

TEST(Level, UnitActionsMapToTheBounds) {
  Level l(bounded_spec(), small_config(), 1);
  float u[2];
  l.to_unit_action(std::vector<double>{2.0, 0.0}, u);
  EXPECT_FLOAT_EQ(u[0], 1.0f);
  EXPECT_FLOAT_EQ(u[1], -1.0f);
  l.to_unit_action(std::vector<double>{0.0, 0.75}, u);
  EXPECT_FLOAT_EQ(u[0], 0.0f);
  EXPECT_FLOAT_EQ(u[1], 0.5f);
}

TEST(Level, ActionsStayInsideTheBoundsAndRandomEpsExplores) {
  LevelConfig c = small_config();
  c.random_eps = 1.0;  // always a uniform random action
  Level l(bounded_spec(), c, 1);
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

TEST(Level, NoiseStdIsInActionUnitsPerDimension) {
  // bounded_spec's half ranges are 2 and 0.5: noise_eps 0.3 is a std of 0.6 and 0.15 in action units.
  LevelConfig eps = small_config(), units = small_config(), first_quiet = small_config();
  eps.random_eps = units.random_eps = first_quiet.random_eps = 0.0;
  eps.noise_eps = 0.3;
  units.noise_std = {0.6, 0.15};
  first_quiet.noise_std = {0.0, 0.15};
  const Level a(bounded_spec(), eps, 1), b(bounded_spec(), units, 1), c(bounded_spec(), first_quiet, 1);
  const std::vector<double> obs{0.1, 0.2}, goal{0.3};
  Rng quiet(9);
  const auto mean = a.act(obs, goal, false, quiet);  // same seed 1: the same networks in a, b and c
  for (int i = 0; i < 20; ++i) {
    Rng ra(100 + i), rb(100 + i), rc(100 + i);
    const auto x = a.act(obs, goal, true, ra), y = b.act(obs, goal, true, rb), z = c.act(obs, goal, true, rc);
    EXPECT_NEAR(x[0], y[0], 1e-9);
    EXPECT_NEAR(x[1], y[1], 1e-9);
    EXPECT_NEAR(z[0], mean[0], 1e-6);  // no noise on the first dimension
    EXPECT_NEAR(z[1], y[1], 1e-9);     // the same draw on the second
  }
  LevelConfig wrong = small_config();
  wrong.noise_std = {0.1};
  EXPECT_THROW(Level(bounded_spec(), wrong, 1), Error);
}

TEST(Level, InputsAreClippedThenNormalized) {
  Level l(bounded_spec(), small_config(), 1);
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
  Level l(bounded_spec(), small_config(), 1);
  learn::EpisodeData e;
  e.T = 2;
  e.obs = {0, 0, 1, 1, 2, 2};
  e.ag = {0, 1, 2};
  e.g = {5, 5};
  e.actions = {0, 0, 0.5f, 0.5f};
  Rng rng(1);
  l.store_episode(e, rng);
  EXPECT_EQ(l.buffer().transitions(), 2u);
  EXPECT_EQ(l.obs_norm().count(), 0u);  // pending until the next synchronisation point
  l.merge_normalizer_deltas(l.take_normalizer_delta());
  EXPECT_EQ(l.obs_norm().count(), 2u);  // the T observations the policy acted on
  EXPECT_EQ(l.goal_norm().count(), 2u);
  for (int i = 0; i < 3; ++i) l.store_episode(e, rng);
  const auto s = l.train_step(rng);
  EXPECT_TRUE(std::isfinite(s.critic_loss));
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
  const std::vector<double> obs(kObs, 0.1), goal(kGoal, 0.3);
  std::vector<double> bad_obs = obs;
  bad_obs[1] = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(non_finite_of(l, [&] { l.act(bad_obs, goal, true, rng); }), "observation[1] is NaN");
  std::vector<double> bad_goal = goal;
  bad_goal[0] = -INFINITY;
  EXPECT_EQ(non_finite_of(l, [&] { l.act(obs, bad_goal, false, rng); }), "goal[0] is -Inf");
  learn::EpisodeData e = episode(rng);
  e.obs[2 * kObs + 1] = NAN;
  EXPECT_EQ(non_finite_of(l, [&] { l.store_episode(e, rng); }), "observation[1] at episode step 2 is NaN");
  e = episode(rng);
  e.actions[2] = INFINITY;
  EXPECT_EQ(non_finite_of(l, [&] { l.observe_for_normalizer(e, rng); }), "action[0] at episode step 1 is +Inf");
  EXPECT_EQ(l.buffer().episodes(), 0u);  // nothing bad was stored or counted
  EXPECT_EQ(l.take_normalizer_delta()[0], 0.0);
}

TEST(Level, NonFiniteUpdateStopsOrIsSkippedAsConfigured) {
  // A reward function gone wrong makes every update's loss NaN.
  LevelSpec bad = spec();
  bad.reward = [](std::span<const double>, std::span<const double>, std::span<double> out) {
    std::fill(out.begin(), out.end(), std::numeric_limits<double>::quiet_NaN());
  };
  Rng rng(1);
  Level stop(bad, config(), 1);
  for (int i = 0; i < 3; ++i) stop.store_episode(episode(rng), rng);
  EXPECT_EQ(non_finite_of(stop, [&] { stop.train_step(rng); }), "critic loss is NaN");

  LevelConfig c = config();
  c.skip_non_finite_updates = true;
  Level skip(bad, c, 1);
  for (int i = 0; i < 3; ++i) skip.store_episode(episode(rng), rng);
  const auto before = skip.learner().flat_parameters();
  LevelStats stats;
  stats.add(skip.train_step(rng));
  stats.add(skip.train_step(rng));
  EXPECT_EQ(skip.learner().flat_parameters(), before);
  EXPECT_EQ(stats.skipped, 2);
  EXPECT_EQ(stats.updates, 0);
  EXPECT_TRUE(std::isnan(stats.mean().critic_loss));  // no figures from skipped updates
}

TEST(Level, StatisticsThatWouldOverflowInAMergeAreTheLevelsFault) {
  // One rank's pending statistics, {count, mean, m2} for observations then goals: finite, but two of
  // them merged make m2 overflow.
  std::vector<double> delta(1 + 2 * kObs + 1 + 2 * kGoal, 0.0);
  delta[0] = 2;
  delta[1 + kObs] = 1.7e308;  // observation m2[0]
  std::vector<double> two_ranks = delta;
  two_ranks.insert(two_ranks.end(), delta.begin(), delta.end());
  Level l(spec(), config(), 1);
  EXPECT_EQ(non_finite_of(l, [&] { l.merge_normalizer_deltas(two_ranks); }), "normalizer m2[0] is +Inf");
}

}  // namespace
}  // namespace hindsight::learn
