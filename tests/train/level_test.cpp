#include "hindsight/train/level.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "hindsight/core/error.hpp"
#include "hindsight/core/rng.hpp"

namespace hindsight::train {
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

}  // namespace
}  // namespace hindsight::train
