#include "hindsight/train/evaluate.hpp"

#include <gtest/gtest.h>

#include "hindsight/agents/make_agent.hpp"
#include "hindsight/core/error.hpp"
#include "hindsight/io/config.hpp"

namespace hindsight::train {
namespace {

TrainConfig reach() {
  TrainConfig c = default_config();
  c.env = "FetchReach";
  c.hidden = {16, 16};
  return c;
}

TEST(Evaluate, IsDeterministicAndNeedsAnEpisode) {
  auto s = agents::make_setup(reach());
  const auto a = evaluate(*s.agent, *s.env, 3, 5), b = evaluate(*s.agent, *s.env, 3, 5);
  EXPECT_EQ(a.episodes, 3);
  EXPECT_EQ(a.mean_reward, b.mean_reward);
  EXPECT_EQ(a.success_rate, b.success_rate);
  EXPECT_GE(a.reached_rate, a.success_rate);  // at the goal at the end implies reached at some step
  EXPECT_THROW(evaluate(*s.agent, *s.env, 0, 5), Error);
}

TEST(Evaluate, OnOneRankTheSharedEvaluationIsThePlainOne) {
  auto s = agents::make_setup(reach());
  LocalComm comm;
  const double shared = evaluate_on_ranks(*s.agent, *s.env, 4, comm, [](int r) { return 11u + r; });
  EXPECT_EQ(shared, evaluate(*s.agent, *s.env, 4, 11).success_rate);
}

TEST(Evaluate, RankSharesAddUpAndDifferByAtMostOne) {
  EXPECT_EQ(rank_share_of(7, 0, 3), 3);
  EXPECT_EQ(rank_share_of(7, 1, 3), 2);
  EXPECT_EQ(rank_share_of(7, 2, 3), 2);
  EXPECT_EQ(rank_share_of(1, 1, 2), 0);
  EXPECT_EQ(rank_share_of(100, 0, 1), 100);
}

TEST(Evaluate, EpisodeSeedsDifferByPurposeRankAndIndexAndFollowTheRunSeed) {
  TrainConfig c = reach();
  c.seed = 3;
  const auto s = episode_seed(c, "train", 0, 0);
  EXPECT_EQ(s, episode_seed(c, "train", 0, 0));
  EXPECT_NE(s, episode_seed(c, "test", 0, 0));
  EXPECT_NE(s, episode_seed(c, "train", 1, 0));
  EXPECT_NE(s, episode_seed(c, "train", 0, 1));
  c.seed = 4;
  EXPECT_NE(s, episode_seed(c, "train", 0, 0));
}

TEST(Evaluate, RecordedTrajectoryHoldsEveryStepOfThePolicy) {
  auto s = agents::make_setup(reach());
  GoalEnv& env = *s.env;
  const int T = env.max_episode_steps();
  const std::size_t od = env.observation_space().size(), gd = env.goal_space().size(), ad = env.action_space().size();
  int calls = 0;
  const learn::Trajectory t = record_trajectory(env, 9, [&](const GoalObs&) {
    ++calls;
    return std::vector<double>(ad, 0.5);
  });
  EXPECT_EQ(t.T, T);
  EXPECT_EQ(calls, T);
  EXPECT_EQ(t.obs.size(), static_cast<std::size_t>((T + 1)) * od);
  EXPECT_EQ(t.ag.size(), static_cast<std::size_t>((T + 1)) * gd);
  EXPECT_EQ(t.g.size(), static_cast<std::size_t>(T) * gd);
  EXPECT_EQ(t.actions.size(), static_cast<std::size_t>(T) * ad);
  EXPECT_EQ(t.actions.front(), 0.5);
  // The first observation is the reset's.
  const GoalObs o = env.reset(9);
  EXPECT_EQ(std::vector<double>(t.obs.begin(), t.obs.begin() + od), o.observation);
}

}  // namespace
}  // namespace hindsight::train
