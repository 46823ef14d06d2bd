#include "hindsight/learn/level.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace hindsight::learn {
namespace {

// A 1-D level: observation = achieved goal = position, reached within 0.5.
LevelSpec spec() {
  LevelSpec s;
  s.obs_dim = 1;
  s.goal_dim = 1;
  s.action_space = Box::uniform(1, -1.0, 1.0);
  s.max_steps = 4;
  s.reward = [](std::span<const double> a, std::span<const double> d, std::span<double> out) {
    for (std::size_t k = 0; k < out.size(); ++k) out[k] = std::abs(a[k] - d[k]) < 0.5 ? 0.0 : -1.0;
  };
  return s;
}

LevelConfig config(bool terminal) {
  LevelConfig c;
  c.ddpg.hidden = {8};
  c.replay_k = 3;  // a stored transition stands for 4 (itself and 3 relabelled copies)
  c.buffer_size = 400;
  c.terminal_on_success = terminal;
  return c;
}

// Positions 0, 1, 2, 3, 4 with goal 4: only the last transition reaches its real goal.
learn::EpisodeData episode() {
  learn::EpisodeData e;
  e.T = 4;
  for (int t = 0; t <= 4; ++t) {
    e.obs.push_back(float(t));
    e.ag.push_back(float(t));
    if (t < 4) {
      e.g.push_back(4.0f);
      e.actions.push_back(0.0f);
    }
  }
  return e;
}

learn::FixedTransition penalty() { return {{0.0f}, {1.0f}, {4.0f}, {0.5f}, -7.0f, 0.0f}; }

TEST(HacLevelSample, FixedTransitionsWeighAsOneTransitionOfHacsSingleBuffer) {
  Level level(spec(), config(true), 1);
  Rng rng(2);
  const learn::FixedTransition two[] = {penalty(), penalty()};
  const std::span<const learn::FixedTransition> some(two), none;
  for (int e = 0; e < 10; ++e) level.store_episode(episode(), rng, e < 4 ? some : none);
  ASSERT_EQ(level.fixed().size(), 8u);
  learn::TransitionBatch b;
  const std::size_t n = 200000;
  level.sample(n, rng, b);
  ASSERT_EQ(b.n, n);
  std::size_t fixed = 0, first_fixed = n;
  for (std::size_t k = 0; k < n; ++k) {
    if (b.r[k] == -7.0f) {
      ++fixed;
      first_fixed = std::min(first_fixed, k);
      EXPECT_EQ(b.discount[k], 0.0f);
    }
  }
  // 8 penalties beside 40 stored transitions worth 4 each: 8 / 168.
  EXPECT_NEAR(double(fixed) / n, 8.0 / 168.0, 0.003);
  EXPECT_EQ(first_fixed, n - fixed);  // fixed rows come last
}

TEST(HacLevelSample, TerminalOnSuccessZeroesTheDiscountOfReachedGoalsOnly) {
  for (bool terminal : {false, true}) {
    Level level(spec(), config(terminal), 1);
    Rng rng(3);
    level.store_episode(episode(), rng);
    learn::TransitionBatch b;
    level.sample(2000, rng, b);
    int reached = 0;
    for (std::size_t k = 0; k < b.n; ++k) {
      const bool success = b.r[k] == 0.0f;
      reached += success ? 1 : 0;
      EXPECT_EQ(b.discount[k], terminal && success ? 0.0f : 1.0f);
    }
    EXPECT_GT(reached, 100);
  }
}

TEST(HacLevelSample, EvictsPenaltiesWithTheirEpisodeAndTrains) {
  LevelConfig c = config(true);
  c.buffer_size = 8;  // two episode slots
  c.batch_size = 16;
  Level level(spec(), c, 4);
  Rng rng(5);
  const learn::FixedTransition one[] = {penalty()};
  level.store_episode(episode(), rng, one);
  level.store_episode(episode(), rng);
  EXPECT_EQ(level.fixed().size(), 1u);
  level.store_episode(episode(), rng);  // the first episode leaves the buffer, its penalty too
  EXPECT_EQ(level.fixed().size(), 0u);
  const auto stats = level.train_step(rng);
  EXPECT_TRUE(std::isfinite(stats.critic_loss));
}

}  // namespace
}  // namespace hindsight::learn
