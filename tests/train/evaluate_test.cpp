#include "hindsight/train/evaluate.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "hindsight/agents/make_agent.hpp"
#include "hindsight/core/error.hpp"
#include "hindsight/env/registry.hpp"
#include "hindsight/io/config.hpp"
#include "support/acting_agent.hpp"

namespace hindsight::train {
namespace {

TrainConfig reach() {
  TrainConfig c = default_config();
  c.env = "FetchReach";
  c.hidden = {16, 16};
  return c;
}

// Drives the FetchReach gripper straight to the goal; with `leave`, away again once it has been there
// for three steps, so the episode reaches the goal without ending at it.
class ScriptedReacher final : public testing::ActingOnlyAgent {
 public:
  explicit ScriptedReacher(bool leave) : leave_(leave) {}
  learn::EpisodeOutcome run_episode(GoalEnv& env, std::uint64_t seed, bool,
                                    const learn::StepObserver& observer) override {
    GoalObs o = env.reset(seed);
    learn::EpisodeOutcome out;
    int at_goal = 0;
    for (int t = 1; t <= env.max_episode_steps(); ++t) {
      std::vector<double> a(4, 0.0);
      for (int k = 0; k < 3; ++k) {
        const double to_goal = o.desired_goal[k] - o.achieved_goal[k];
        a[k] = std::clamp(10.0 * (leave_ && at_goal >= 3 ? -to_goal - 0.1 : to_goal), -1.0, 1.0);
      }
      const StepResult r = env.step(a);
      o = r.obs;
      at_goal += r.success ? 1 : 0;
      out.steps = t;
      out.success = r.success;
      out.reached = out.reached || r.success;
      out.reward_sum += r.reward;
      if (observer) observer(env, learn::StepInfo{t, &r.obs, r.success, {}});
    }
    return out;
  }

 private:
  bool leave_;
};

TEST(Evaluate, EpisodeRecordsFollowEachStepAndAddUpToTheReport) {
  auto env = make_env("FetchReach");
  const int T = env->max_episode_steps();
  ScriptedReacher stays(false), leaves(true);
  const auto kept = evaluate_episodes(stays, *env, 4, 7);
  ASSERT_EQ(kept.size(), 4u);
  for (const auto& e : kept) {
    EXPECT_TRUE(e.success && e.reached);
    ASSERT_GE(e.first_reached_step, 1);
    EXPECT_EQ(e.steps_at_goal, T - e.first_reached_step + 1) << "at the goal from its first step there on";
    EXPECT_EQ(e.steps, T);
    EXPECT_LT(e.final_distance, 0.05);  // FetchReach's success window
    EXPECT_DOUBLE_EQ(e.reward_sum, -(e.first_reached_step - 1.0));  // -1 per step away from the goal
  }
  const auto left = evaluate_episodes(leaves, *env, 4, 7);
  for (std::size_t i = 0; i < left.size(); ++i) {
    EXPECT_EQ(left[i].seed, kept[i].seed);  // the same episodes
    EXPECT_TRUE(left[i].reached);
    EXPECT_FALSE(left[i].success);
    EXPECT_EQ(left[i].first_reached_step, kept[i].first_reached_step);
    EXPECT_GE(left[i].steps_at_goal, 3);
    EXPECT_LT(left[i].steps_at_goal, T / 2);
    EXPECT_GT(left[i].final_distance, 0.05);
  }
  const EvalReport r = report_of(left), plain = evaluate(leaves, *env, 4, 7);
  EXPECT_EQ(r.success_rate, 0.0);
  EXPECT_EQ(r.reached_rate, 1.0);
  EXPECT_EQ(r.success_rate, plain.success_rate);
  EXPECT_EQ(r.mean_reward, plain.mean_reward);
  EXPECT_THROW(report_of({}), Error);
}

TEST(Evaluate, EpisodesCsvHasAHeaderAndOneRowPerEpisode) {
  EpisodeRecord a;
  a.seed = 12;
  a.success = true;
  a.reached = true;
  a.first_reached_step = 7;
  a.steps_at_goal = 44;
  a.steps = 50;
  a.final_distance = 0.0125;
  a.reward_sum = -6;
  EpisodeRecord b;
  b.seed = 13;
  b.steps = 50;
  b.final_distance = 0.25;
  b.reward_sum = -50;
  EXPECT_EQ(episodes_csv({a, b}),
            "episode,seed,success,reached,first_reached_step,steps_at_goal,steps,final_distance,reward_sum\n"
            "0,12,1,1,7,44,50,0.0125,-6\n"
            "1,13,0,0,-1,0,50,0.25,-50\n");
}

TEST(Evaluate, StepsCsvWritesGoalsStateAndEachUpperLevelsSubgoal) {
  // Flat: no subgoal space, so only the goals.
  StepsCsv flat(2, std::nullopt, 0);
  GoalObs o{{0.5, 1.0, 2.0, 3.0}, {1.0, 2.0}, {1.5, -0.25}};
  flat.add(0, learn::StepInfo{1, &o, false, {}});
  EXPECT_EQ(flat.text(), "episode,step,success,ag_0,ag_1,g_0,g_1\n0,1,0,1,2,1.5,-0.25\n");

  // Two upper levels over a space of observation entries 2 and 0: s_* is the observation there.
  SubgoalSpec spec;
  spec.obs_indices = {2, 0};
  spec.bounds = Box{{-5, -5}, {5, 5}};
  spec.thresholds = {0.1, 0.1};
  StepsCsv hac(2, spec, 2);
  hac.add(3, learn::StepInfo{7, &o, true, {{0.25, 0.5}, {1.0, 1.25}}});
  EXPECT_EQ(hac.text(),
            "episode,step,success,ag_0,ag_1,g_0,g_1,s_0,s_1,l1_0,l1_1,l2_0,l2_1\n"
            "3,7,1,1,2,1.5,-0.25,2,0.5,0.25,0.5,1,1.25\n");

  // Rows that do not fit the header are refused, not written.
  const std::string before = hac.text();
  EXPECT_THROW(hac.add(3, learn::StepInfo{8, &o, true, {{0.25, 0.5}}}), Error);
  EXPECT_THROW(hac.add(3, learn::StepInfo{8, &o, true, {{0.25, 0.5, 1.0}, {1.0, 1.25}}}), Error);
  EXPECT_THROW(flat.add(0, learn::StepInfo{2, &o, false, {{0.25, 0.5}}}), Error);
  GoalObs short_goal{{0.5, 1.0, 2.0}, {1.0}, {1.5}};
  EXPECT_THROW(flat.add(0, learn::StepInfo{2, &short_goal, false, {}}), Error);
  EXPECT_EQ(hac.text(), before);
}

TEST(Evaluate, TheStepObserverSeesEveryStepOfEveryEpisodeInOrder) {
  auto env = make_env("FetchReach");
  ScriptedReacher leaves(true);
  std::vector<std::pair<int, int>> seen;  // (episode, step)
  std::vector<int> last_success;
  const auto records = evaluate_episodes(leaves, *env, 3, 7, [&](int e, const learn::StepInfo& info) {
    seen.emplace_back(e, info.step);
    if (static_cast<int>(last_success.size()) <= e) last_success.resize(static_cast<std::size_t>(e) + 1);
    last_success[static_cast<std::size_t>(e)] = info.success ? 1 : 0;
  });
  std::size_t k = 0;
  for (std::size_t e = 0; e < records.size(); ++e) {
    for (int s = 1; s <= records[e].steps; ++s, ++k) {
      ASSERT_LT(k, seen.size());
      EXPECT_EQ(seen[k], std::make_pair(static_cast<int>(e), s));
    }
    EXPECT_EQ(last_success[e], records[e].success ? 1 : 0) << "the last step decides the score";
  }
  EXPECT_EQ(k, seen.size());
  const auto plain = evaluate_episodes(leaves, *env, 3, 7);
  for (std::size_t e = 0; e < records.size(); ++e) EXPECT_EQ(plain[e].steps_at_goal, records[e].steps_at_goal);
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
