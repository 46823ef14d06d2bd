#include "hindsight/hac/hac_agent.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>

#include "hindsight/core/error.hpp"
#include "hindsight/io/config.hpp"
#include "hindsight/agents/make_agent.hpp"
#include "hindsight/train/evaluate.hpp"
#include "hindsight/train/rank_sync.hpp"
#include "support/hac_scripted.hpp"

namespace hindsight::hac {
namespace {

using namespace scripted;

TEST(HacTermination, LowerLevelStopsWhenTheFinalGoalIsReachedInALaterAttempt) {
  // Attempt 1 of level 0 reaches its subgoal (0.9, 0) at step 2; attempt 2 starts at step 3 and the
  // final goal is reached at step 5, in the middle of it. Resetting the "goal reached" state once per
  // episode instead of once per attempt would cut attempt 2 after one step (lengths 2, 1, 1, 1), and
  // ignoring higher goals would run it to H = 5 steps (episode of 7 steps).
  ScriptedEnv env(script(20, {{2, {0.0, 0.9, 0.0}}, {5, kFinal}}));
  HacAgent agent(env, small_config(2, {5}, 0.0), env.default_subgoal_spec(), 1);
  force_policy(*agent.levels()[1], {0.9, 0.0});
  const auto out = agent.run_episode(env, 0, true);
  EXPECT_TRUE(out.success);
  EXPECT_EQ(out.steps, 5);
  EXPECT_EQ(lengths(*agent.levels()[0]), (std::vector<int>{2, 3}));
  EXPECT_EQ(lengths(*agent.levels()[1]), (std::vector<int>{2}));
  const auto m = agent.take_epoch_metrics();
  EXPECT_DOUBLE_EQ(m.at("l0/success_rate"), 0.5);  // attempt 1 reached its subgoal, attempt 2 did not
  EXPECT_DOUBLE_EQ(m.at("l0/attempt_length"), 2.5);
  EXPECT_DOUBLE_EQ(m.at("l1/success_rate"), 1.0);
  EXPECT_DOUBLE_EQ(m.at("l1/attempt_length"), 2.0);
  EXPECT_DOUBLE_EQ(m.at("l1/reward"), -0.5);  // the second proposal ended on the final goal
}

TEST(HacTermination, HigherSubgoalReachedEndsLowerAttemptsAndEveryAttemptStartsAfresh) {
  // Three levels, H = 3 each. Level 2 keeps proposing G = (0.9, 0.9) to level 1, which keeps proposing
  // S = (-0.9, -0.9) to level 0. G is reached at step 2 only: level 0's first attempt stops there
  // (a higher goal), and so does level 1 (its own). S is never reached, so the following attempts of
  // level 0 run their full 3 steps, until the final goal at step 13 stops everything. A per-episode
  // "higher goal reached" flag would end each later attempt after one step.
  ScriptedEnv env(script(30, {{2, {0.0, 0.9, 0.9}}, {13, kFinal}}));
  HacAgent agent(env, small_config(3, {3, 3}, 0.0), env.default_subgoal_spec(), 2);
  force_policy(*agent.levels()[2], {0.9, 0.9});
  force_policy(*agent.levels()[1], {-0.9, -0.9});
  const auto out = agent.run_episode(env, 0, true);
  EXPECT_TRUE(out.success);
  EXPECT_EQ(out.steps, 13);
  EXPECT_EQ(lengths(*agent.levels()[0]), (std::vector<int>{2, 3, 3, 3, 2}));
  EXPECT_EQ(lengths(*agent.levels()[1]), (std::vector<int>{1, 3, 1}));
  EXPECT_EQ(lengths(*agent.levels()[2]), (std::vector<int>{3}));
}

TEST(HacTermination, AttemptsEndAfterHActionsAndTheTimeLimitStopsEveryLevel) {
  ScriptedEnv env(script(10, {}));
  HacAgent agent(env, small_config(2, {4}, 0.0), env.default_subgoal_spec(), 3);
  force_policy(*agent.levels()[1], {0.9, 0.9});
  const auto out = agent.run_episode(env, 0, true);
  EXPECT_FALSE(out.success);
  EXPECT_EQ(out.steps, 10);
  EXPECT_EQ(lengths(*agent.levels()[0]), (std::vector<int>{4, 4, 2}));
  EXPECT_EQ(lengths(*agent.levels()[1]), (std::vector<int>{3}));
  EXPECT_EQ(agent.horizon(0), 4);
  EXPECT_EQ(agent.horizon(1), 3);  // ceil(10 / 4) proposals per episode
}

// Holding subgoals (hold_subgoals): the top proposes S = (0.9, 0) throughout, H = 5, 10 steps.
HacConfig holding(bool hold, double lambda) {
  HacConfig c = small_config(2, {5}, lambda);
  c.hold_subgoals = hold;
  return c;
}
constexpr std::array<double, 3> kS{0.0, 0.9, 0.0};

TEST(HacHoldSubgoals, TheLowerLevelKeepsItsSubgoalForAllHStepsAndEndsReachedOnlyWithinIt) {
  // S holds after steps 2-5 and 7. Holding, level 0 runs 5 steps per subgoal: steps 1-5 end within S
  // (reached), steps 6-10 end outside it although step 7 was within. Handing back (HAC), an attempt stops at
  // the first step within S: 1-2, 3, 4, 5, 6-7, then 8-10 at the time limit.
  const auto path = script(10, {{2, kS}, {3, kS}, {4, kS}, {5, kS}, {7, kS}});
  ScriptedEnv env(path);
  HacAgent hold(env, holding(true, 0.0), env.default_subgoal_spec(), 1);
  force_policy(*hold.levels()[1], {0.9, 0.0});
  EXPECT_EQ(hold.run_episode(env, 0, true).steps, 10);
  EXPECT_EQ(lengths(*hold.levels()[0]), (std::vector<int>{5, 5}));
  EXPECT_EQ(lengths(*hold.levels()[1]), (std::vector<int>{2}));
  const auto m = hold.take_epoch_metrics();
  EXPECT_DOUBLE_EQ(m.at("l0/success_rate"), 0.5);
  EXPECT_DOUBLE_EQ(m.at("l0/reward"), -0.5);  // per action: -1 after steps 1, 6, 8, 9 and 10 of 10
  // Its reward 0 does not end its sequence; the top's still does (training episodes end at the goal).
  EXPECT_FALSE(hold.levels()[0]->config().terminal_on_success);
  EXPECT_TRUE(hold.levels()[1]->config().terminal_on_success);

  ScriptedEnv env2(path);
  HacAgent hand_back(env2, holding(false, 0.0), env2.default_subgoal_spec(), 1);
  force_policy(*hand_back.levels()[1], {0.9, 0.0});
  hand_back.run_episode(env2, 0, true);
  EXPECT_EQ(lengths(*hand_back.levels()[0]), (std::vector<int>{2, 1, 1, 1, 2, 3}));
  EXPECT_TRUE(hand_back.levels()[0]->config().terminal_on_success);
}

TEST(HacHoldSubgoals, TheEpisodesEndStillStopsAHoldingLevel) {
  // The final goal after step 3 ends a training episode (train_to_limit off) inside level 0's first
  // subgoal; a test episode runs on to the time limit.
  ScriptedEnv env(script(10, {{3, kFinal}}));
  HacAgent agent(env, holding(true, 0.0), env.default_subgoal_spec(), 1);
  force_policy(*agent.levels()[1], {0.9, 0.0});
  const auto out = agent.run_episode(env, 0, true);
  EXPECT_TRUE(out.success);
  EXPECT_EQ(out.steps, 3);
  EXPECT_EQ(lengths(*agent.levels()[0]), (std::vector<int>{3}));
  EXPECT_EQ(agent.run_episode(env, 0, false).steps, 10);
}

TEST(HacHoldSubgoals, ATestedSubgoalIsMissedWhenTheLastStepIsOutsideIt) {
  // Every proposal tested; S holds after step 2 only. Holding: both 5-step attempts end outside S, two
  // penalties. Handing back: the first attempt reaches S at step 2 (no penalty), the second (steps 3-7) runs
  // out (penalty), the third (8-10) is cut by the time limit, not run out (no penalty).
  for (const bool hold : {true, false}) {
    ScriptedEnv env(script(10, {{2, kS}}));
    HacAgent agent(env, holding(hold, 1.0), env.default_subgoal_spec(), 1);
    force_policy(*agent.levels()[1], {0.9, 0.0});
    agent.run_episode(env, 0, true);
    const auto m = agent.take_epoch_metrics();
    EXPECT_DOUBLE_EQ(m.at("l1/penalty_rate"), hold ? 1.0 : 1.0 / 3.0) << hold;
  }
}

TEST(HacPenalty, MissedTestedSubgoalGivesExactlyOnePenaltyOfMinusH) {
  // lambda = 1: every proposal is tested. The first subgoal is missed after H = 4 attempts: one
  // penalty. The second is cut by the time limit after 1 attempt: not maxed out, no penalty.
  ScriptedEnv env(script(5, {{4, {0.0, 0.1, -0.2}}}));
  HacAgent agent(env, small_config(2, {4}, 1.0), env.default_subgoal_spec(), 4);
  force_policy(*agent.levels()[1], {0.9, 0.9});
  agent.run_episode(env, 0, true);
  const learn::Level& top = *agent.levels()[1];
  ASSERT_EQ(top.fixed().size(), 1u);
  const learn::FixedTransition& p = top.fixed().at(0);
  EXPECT_EQ(agent.horizon(1), 2);
  EXPECT_FLOAT_EQ(p.reward, -2.0f);  // -horizon of the penalised level
  EXPECT_FLOAT_EQ(p.discount, 0.0f);
  EXPECT_EQ(p.g, (std::vector<float>{5.0f}));  // the original goal, not relabelled
  EXPECT_EQ(p.o, (std::vector<float>{0.0f, 0.0f, 0.0f}));
  EXPECT_EQ(p.o2, (std::vector<float>{0.0f, 0.1f, -0.2f}));
  ASSERT_EQ(p.u.size(), 2u);  // the proposed subgoal, not the state reached
  EXPECT_NEAR(p.u[0], 0.9f, 1e-5);
  EXPECT_NEAR(p.u[1], 0.9f, 1e-5);
  // Its hindsight action transition is stored as usual, with the reached state.
  const auto a = action_row(top, 0, 0);
  EXPECT_NEAR(a[0], 0.1f, 1e-6);
  EXPECT_NEAR(a[1], -0.2f, 1e-6);
  const auto m = agent.take_epoch_metrics();
  EXPECT_DOUBLE_EQ(m.at("l1/penalty_rate"), 0.5);  // two tests, one penalty

  // Without testing, the same episode stores no penalty.
  HacAgent untested(env, small_config(2, {4}, 0.0), env.default_subgoal_spec(), 4);
  force_policy(*untested.levels()[1], {0.9, 0.9});
  untested.run_episode(env, 0, true);
  EXPECT_EQ(untested.levels()[1]->fixed().size(), 0u);
}

TEST(HacPenalty, NestedTestsPenaliseEveryLevelThatMissesAndOnlyOncePerSubgoal) {
  // Three levels, H = 2 each, lambda = 1, nothing ever reached, 4 steps: level 1 proposes twice
  // (both missed after 2 attempts: 2 penalties), level 2 proposes once (missed: 1 penalty).
  ScriptedEnv env(script(4, {}));
  HacAgent agent(env, small_config(3, {2, 2}, 1.0), env.default_subgoal_spec(), 5);
  force_policy(*agent.levels()[2], {0.9, 0.9});
  force_policy(*agent.levels()[1], {0.9, 0.9});
  agent.run_episode(env, 0, true);
  EXPECT_EQ(agent.levels()[1]->fixed().size(), 2u);
  EXPECT_EQ(agent.levels()[2]->fixed().size(), 1u);
  EXPECT_FLOAT_EQ(agent.levels()[1]->fixed().at(0).reward, -2.0f);
  EXPECT_FLOAT_EQ(agent.levels()[2]->fixed().at(0).reward, -1.0f);  // ceil(4 / (2 * 2)) = 1
}

TEST(HacHindsightAction, CarriesTheReachedStateOrTheProposalWhenReached) {
  // Proposal (0.9, 0.9): missed in attempt 1 (ends at (0.3, -0.4)); reached in attempt 2 at
  // (0.8, 0.95), which is within the thresholds: the proposal itself is stored then.
  ScriptedEnv env(script(4, {{3, {0.0, 0.3, -0.4}}, {4, {0.0, 0.8, 0.95}}}));
  HacAgent agent(env, small_config(2, {3}, 0.0), env.default_subgoal_spec(), 6);
  force_policy(*agent.levels()[1], {0.9, 0.9});
  agent.run_episode(env, 0, true);
  const learn::Level& top = *agent.levels()[1];
  ASSERT_EQ(lengths(top), (std::vector<int>{2}));
  const auto a0 = action_row(top, 0, 0), a1 = action_row(top, 0, 1);
  EXPECT_NEAR(a0[0], 0.3f, 1e-6);
  EXPECT_NEAR(a0[1], -0.4f, 1e-6);
  EXPECT_NEAR(a1[0], 0.9f, 1e-5);
  EXPECT_NEAR(a1[1], 0.9f, 1e-5);
  // The achieved goals stored for the top are the env's; below the top, the subgoal-space states.
  const auto ag0 = agent.levels()[0]->buffer().ag(0);
  EXPECT_EQ(std::vector<float>(ag0.end() - 2, ag0.end()), (std::vector<float>{0.3f, -0.4f}));
}

TEST(HacRelativeSubgoals, AProposalIsAnOffsetFromWhereTheLevelBelowIsClippedToTheBounds) {
  // Offsets within +-0.5 (unit 0.9 = 0.45), H = 3, lambda = 1. From (0, 0) the top asks for (0.45, 0.45):
  // missed (attempt 1 ends at (0.3, -0.4), a penalty). From there (0.75, 0.05): reached at step 4 at
  // (0.8, 0). From there (1.25, 0.45) clipped to the bound (1.0, 0.45): reached at step 5 at (0.95, 0.5).
  // From there (1.0, 0.95), not reached when the time limit ends the episode at step 6.
  ScriptedEnv env(script(6, {{3, {0.0, 0.3, -0.4}}, {4, {0.0, 0.8, 0.0}}, {5, {0.0, 0.95, 0.5}}, {6, {0.0, 0.95, 0.5}}}));
  HacConfig cfg = small_config(2, {3}, 1.0);
  cfg.subgoal_offset = {0.5};
  HacAgent agent(env, cfg, env.default_subgoal_spec(), 7);
  const learn::Level& top = *agent.levels()[1];
  EXPECT_EQ(top.spec().action_space.low, (std::vector<double>{-0.5, -0.5}));
  EXPECT_EQ(top.spec().action_space.high, (std::vector<double>{0.5, 0.5}));
  force_policy(*agent.levels()[1], {0.9, 0.9});
  std::map<int, std::vector<double>> asked;  // env step -> level 1's subgoal during it
  agent.run_episode(env, 0, true, [&](const GoalEnv&, const learn::StepInfo& info) {
    asked[info.step] = info.subgoals.at(0);
  });
  const auto near = [](const std::vector<double>& a, std::vector<double> b) {
    return a.size() == b.size() && std::abs(a[0] - b[0]) < 1e-5 && std::abs(a[1] - b[1]) < 1e-5;
  };
  EXPECT_TRUE(near(asked.at(1), {0.45, 0.45}));
  EXPECT_TRUE(near(asked.at(3), {0.45, 0.45}));
  EXPECT_TRUE(near(asked.at(4), {0.75, 0.05}));
  EXPECT_TRUE(near(asked.at(5), {1.0, 0.45}));
  EXPECT_TRUE(near(asked.at(6), {1.0, 0.95}));
  // Stored actions are offsets from where each began, in unit scale (offset / 0.5): missed -> what was
  // achieved (0.3, -0.4); reached -> the offset asked for, after clipping ((1.0, 0.45) - (0.8, 0)); the
  // last one moved nowhere.
  ASSERT_EQ(lengths(top), (std::vector<int>{4}));
  const std::vector<std::vector<float>> want{{0.6f, -0.8f}, {0.9f, 0.9f}, {0.4f, 0.9f}, {0.0f, 0.0f}};
  for (int t = 0; t < 4; ++t) {
    const auto a = action_row(top, 0, t);
    EXPECT_NEAR(a[0], want[static_cast<std::size_t>(t)][0], 1e-5) << "action " << t;
    EXPECT_NEAR(a[1], want[static_cast<std::size_t>(t)][1], 1e-5) << "action " << t;
  }
  // The missed tested proposal is penalised with the offset it asked for.
  ASSERT_EQ(top.fixed().size(), 1u);
  EXPECT_NEAR(top.fixed().at(0).u[0], 0.9f, 1e-5);
  EXPECT_NEAR(top.fixed().at(0).u[1], 0.9f, 1e-5);
  // Level 0's goals stay absolute subgoals.
  const auto g = agent.levels()[0]->buffer().g(1);
  EXPECT_NEAR(g[0], 0.75f, 1e-5);
  EXPECT_NEAR(g[1], 0.05f, 1e-5);

  cfg.subgoal_offset = {0.5, 0.5, 0.5};
  EXPECT_THROW(HacAgent(env, cfg, env.default_subgoal_spec(), 7), Error);
}

TEST(HacSubgoalTesting, LowerLevelsActWithoutNoiseUnderATest) {
  // random_eps = 1: every exploring action is uniform random. Under a tested subgoal (lambda = 1)
  // level 0 acts greedily: every env action is its deterministic 0.3.
  ScriptedEnv env(script(12, {}));
  HacConfig cfg = small_config(2, {4}, 1.0);
  cfg.level.random_eps = 1.0;
  HacAgent agent(env, cfg, env.default_subgoal_spec(), 7);
  force_policy(*agent.levels()[0], {0.3});
  agent.run_episode(env, 0, true);
  ASSERT_EQ(env.actions.size(), 12u);
  for (double a : env.actions) EXPECT_NEAR(a, 0.3, 1e-6);

  // Without tests the same agent explores: actions are random.
  HacConfig explore = cfg;
  explore.subgoal_test_prob = 0.0;
  HacAgent explorer(env, explore, env.default_subgoal_spec(), 7);
  force_policy(*explorer.levels()[0], {0.3});
  env.actions.clear();
  explorer.run_episode(env, 0, true);
  int greedy = 0;
  for (double a : env.actions) greedy += std::abs(a - 0.3) < 1e-6 ? 1 : 0;
  EXPECT_LT(greedy, 12);
}

TEST(HacTestMode, NoNoiseNoSubgoalTestingNothingStored) {
  ScriptedEnv env(script(12, {}));
  HacConfig cfg = small_config(2, {4}, 1.0);
  cfg.level.random_eps = 1.0;
  cfg.level.noise_eps = 0.5;
  HacAgent agent(env, cfg, env.default_subgoal_spec(), 8);
  force_policy(*agent.levels()[0], {0.3});
  force_policy(*agent.levels()[1], {0.5, -0.5});
  std::vector<std::vector<std::vector<double>>> seen;
  const auto out = agent.run_episode(env, 0, false, [&](const GoalEnv&, const learn::StepInfo& info) {
    seen.push_back(info.subgoals);
  });
  EXPECT_EQ(out.steps, 12);
  for (double a : env.actions) EXPECT_NEAR(a, 0.3, 1e-6);
  for (learn::Level* l : agent.levels()) {
    EXPECT_EQ(l->buffer().episodes(), 0u);
    EXPECT_EQ(l->fixed().size(), 0u);
  }
  // The observer sees level 1's current subgoal after every step.
  ASSERT_EQ(seen.size(), 12u);
  for (const auto& s : seen) {
    ASSERT_EQ(s.size(), 1u);
    EXPECT_NEAR(s[0][0], 0.5, 1e-6);
    EXPECT_NEAR(s[0][1], -0.5, 1e-6);
  }
  // Test episodes count toward no training metric.
  const auto m = agent.take_epoch_metrics();
  EXPECT_TRUE(std::isnan(m.at("l0/success_rate")));
  EXPECT_TRUE(std::isnan(m.at("l1/penalty_rate")));
}

// Row r of a float block of width w, as doubles rounded to float.
std::vector<float> block_row(std::span<const float> v, std::size_t w, std::size_t r) {
  return {v.begin() + static_cast<std::ptrdiff_t>(w * r), v.begin() + static_cast<std::ptrdiff_t>(w * (r + 1))};
}

TEST(HacDemonstrations, EachLevelStoresTheSequencesItWouldHaveStoredActingAsTheExpert) {
  // 3 levels, H = [2, 3], T = 10: a level-1 action spans 2 env steps, a level-2 (top) action 6, so the top
  // has ceil(10 / 6) = 2 actions. The walk passes (y, z) = (0.05 t, -0.05 t) at step t.
  std::map<int, std::array<double, 3>> at;
  for (int t = 0; t <= 10; ++t) at[t] = {0.1 * t, 0.05 * t, -0.05 * t};
  ScriptedEnv env(script(10, at));
  HacConfig cfg = small_config(3, {2, 3}, 0.0);
  cfg.level.demo_capacity = 10;  // one expert episode of T = 10 steps
  cfg.level.demo_batch_size = 4;
  HacAgent agent(env, cfg, env.default_subgoal_spec(), 9);
  learn::Trajectory t;
  t.T = 10;
  for (int s = 0; s <= 10; ++s) {
    t.obs.insert(t.obs.end(), at[s].begin(), at[s].end());
    t.ag.push_back(at[s][0]);
    if (s < 10) {
      t.g.push_back(5.0);
      t.actions.push_back(0.1 * s - 0.5);
    }
  }
  agent.store_demo(t, true);
  const auto yz = [&](int s) { return std::vector<float>{static_cast<float>(0.05 * s), static_cast<float>(-0.05 * s)}; };
  const auto obs = [&](int s) { return std::vector<float>{static_cast<float>(0.1 * s), yz(s)[0], yz(s)[1]}; };
  const auto lengths_of = [](const learn::ReplayBuffer& b) {
    std::vector<int> out;
    for (std::size_t i = 0; i < b.episodes(); ++i) out.push_back(b.length(i));
    return out;
  };

  // Level 0: five sequences of 2 env steps; the goal is the (y, z) reached where the sequence ends.
  const learn::ReplayBuffer& d0 = *agent.levels()[0]->demos();
  ASSERT_EQ(lengths_of(d0), (std::vector<int>{2, 2, 2, 2, 2}));
  EXPECT_EQ(block_row(d0.obs(3), 3, 0), obs(6));
  EXPECT_EQ(block_row(d0.obs(3), 3, 2), obs(8));
  EXPECT_EQ(block_row(d0.ag(3), 2, 1), yz(7));
  EXPECT_EQ(block_row(d0.g(3), 2, 0), yz(8));
  EXPECT_EQ(block_row(d0.g(3), 2, 1), yz(8));
  EXPECT_NEAR(d0.actions(3)[1], 0.1 * 7 - 0.5, 1e-6);  // the env action, already in [-1, 1]

  // Level 1: actions of 2 steps, sequences of 3 actions: steps 0-6 and 6-10 (cut by the time limit).
  // Its actions are the states reached where they end (the hindsight action), its goal the sequence's end.
  const learn::ReplayBuffer& d1 = *agent.levels()[1]->demos();
  ASSERT_EQ(lengths_of(d1), (std::vector<int>{3, 2}));
  EXPECT_EQ(block_row(d1.obs(0), 3, 1), obs(2));
  EXPECT_EQ(block_row(d1.obs(0), 3, 3), obs(6));
  EXPECT_EQ(block_row(d1.actions(0), 2, 0), yz(2));
  EXPECT_EQ(block_row(d1.actions(0), 2, 2), yz(6));
  EXPECT_EQ(block_row(d1.g(0), 2, 0), yz(6));
  EXPECT_EQ(block_row(d1.obs(1), 3, 2), obs(10));
  EXPECT_EQ(block_row(d1.actions(1), 2, 1), yz(10));
  EXPECT_EQ(block_row(d1.g(1), 2, 1), yz(10));

  // The top: one sequence of 2 actions (steps 0-6, 6-10) toward the env's goal, with the env's achieved goal.
  const learn::ReplayBuffer& d2 = *agent.levels()[2]->demos();
  ASSERT_EQ(lengths_of(d2), (std::vector<int>{2}));
  EXPECT_EQ(block_row(d2.obs(0), 3, 1), obs(6));
  EXPECT_EQ(block_row(d2.actions(0), 2, 0), yz(6));
  EXPECT_EQ(block_row(d2.actions(0), 2, 1), yz(10));
  EXPECT_EQ(block_row(d2.ag(0), 1, 2), std::vector<float>{1.0f});
  EXPECT_EQ(block_row(d2.g(0), 1, 1), std::vector<float>{5.0f});

  // With relative subgoals (offsets within +-0.5) the same actions are offsets from where each began,
  // in unit scale: level 1's first (0.1, -0.1) / 0.5, the top's (0.3, -0.3) / 0.5 and (0.2, -0.2) / 0.5.
  HacConfig rel = cfg;
  rel.subgoal_offset = {0.5};
  HacAgent relative(env, rel, env.default_subgoal_spec(), 9);
  relative.store_demo(t, true);
  const auto unit_row = [](std::span<const float> v, std::size_t r, std::vector<double> want) {
    const auto a = block_row(v, 2, r);
    return std::abs(a[0] - want[0]) < 1e-5 && std::abs(a[1] - want[1]) < 1e-5;
  };
  EXPECT_TRUE(unit_row(relative.levels()[1]->demos()->actions(0), 0, {0.2, -0.2}));
  EXPECT_TRUE(unit_row(relative.levels()[2]->demos()->actions(0), 0, {0.6, -0.6}));
  EXPECT_TRUE(unit_row(relative.levels()[2]->demos()->actions(0), 1, {0.4, -0.4}));

  // Nothing went into the experience buffers, and a trajectory without actions is refused.
  for (learn::Level* l : agent.levels()) EXPECT_EQ(l->buffer().episodes(), 0u);
  t.actions.clear();
  EXPECT_THROW(agent.store_demo(t, true), Error);
}

TEST(HacAgentLevels, SpacesBoundsAndColumnsPerLevel) {
  ScriptedEnv env(script(30, {}));
  HacConfig cfg = small_config(3, {3, 2}, 0.3);
  cfg.gamma = std::nullopt;  // auto: 1 - 1/horizon per level
  HacAgent agent(env, cfg, env.default_subgoal_spec(), 9);
  const auto levels = agent.levels();
  ASSERT_EQ(levels.size(), 3u);
  EXPECT_EQ(levels[0]->spec().action_space.size(), 1u);  // env actions
  EXPECT_EQ(levels[1]->spec().action_space.size(), 2u);  // subgoals
  EXPECT_EQ(levels[0]->spec().goal_dim, 2);
  EXPECT_EQ(levels[2]->spec().goal_dim, 1);              // the env's goal
  EXPECT_EQ(levels[0]->spec().max_steps, 3);
  EXPECT_EQ(levels[2]->spec().max_steps, 30);
  EXPECT_EQ(agent.horizon(2), 5);  // ceil(30 / 6)
  for (int i = 0; i < 3; ++i) {
    const auto& d = levels[static_cast<std::size_t>(i)]->learner().config();
    EXPECT_DOUBLE_EQ(d.q_min, -agent.horizon(i));
    EXPECT_DOUBLE_EQ(d.q_max, 0.0);
    EXPECT_DOUBLE_EQ(d.gamma, 1.0 - 1.0 / agent.horizon(i));
    EXPECT_TRUE(d.bounded_critic);
    EXPECT_TRUE(levels[static_cast<std::size_t>(i)]->config().terminal_on_success);
  }
  const std::vector<std::string> expected{
      "l0/success_rate",    "l0/actor_loss",      "l0/critic_loss", "l0/q_mean",         "l0/reward",
      "l0/attempt_length",  "l0/skipped_updates", "l1/success_rate", "l1/actor_loss",     "l1/critic_loss",
      "l1/q_mean",          "l1/reward",          "l1/penalty_rate", "l1/attempt_length", "l1/skipped_updates",
      "l2/success_rate",    "l2/actor_loss",      "l2/critic_loss",  "l2/q_mean",         "l2/reward",
      "l2/penalty_rate",    "l2/attempt_length",  "l2/skipped_updates"};
  EXPECT_EQ(agent.metric_columns(), expected);
}

TEST(HacAgentLevels, TrainsEveryLevelAfterAnEpisode) {
  ScriptedEnv env(script(12, {{5, {0.0, 0.5, 0.5}}}));
  HacConfig cfg = small_config(2, {4}, 0.5);
  cfg.level.random_eps = 0.3;
  cfg.level.noise_eps = 0.2;
  HacAgent agent(env, cfg, env.default_subgoal_spec(), 10);
  for (int e = 0; e < 3; ++e) agent.run_episode(env, static_cast<std::uint64_t>(e), true);
  for (int u = 0; u < 5; ++u) agent.train_step();
  const auto m = agent.take_epoch_metrics();
  for (const auto& c : agent.metric_columns()) {
    if (c.find("penalty_rate") == std::string::npos) EXPECT_TRUE(std::isfinite(m.at(c))) << c;
  }
  // Bounded critics: mean Q inside [-horizon, 0].
  EXPECT_LE(m.at("l0/q_mean"), 0.0);
  EXPECT_GE(m.at("l0/q_mean"), -4.0);
  EXPECT_GE(m.at("l1/q_mean"), -3.0);
}

TEST(HacConfigCheck, RefusesSettingsThatCannotWork) {
  ScriptedEnv env(script(10, {}));
  const auto error_of = [&](HacConfig c, SubgoalSpec s) -> std::string {
    try {
      HacAgent a(env, std::move(c), std::move(s), 0);
    } catch (const Error& e) {
      return e.what();
    }
    return "";
  };
  const SubgoalSpec ok = env.default_subgoal_spec();
  EXPECT_NE(error_of(small_config(2, {0}, 0.3), ok).find("H entries must be >= 1"), std::string::npos);
  EXPECT_NE(error_of(small_config(2, {4}, 1.5), ok).find("subgoal_test_prob must be in [0, 1]"), std::string::npos);
  EXPECT_NE(error_of(small_config(2, {4, 4}, 0.3), ok).find("H has 2 entries"), std::string::npos);
  EXPECT_NE(error_of(small_config(1, {}, 0.3), ok).find("levels >= 2"), std::string::npos);
  SubgoalSpec beyond = ok;
  beyond.obs_indices = {1, 3};
  EXPECT_NE(error_of(small_config(2, {4}, 0.3), beyond).find("observation index 3 is outside the observation"),
            std::string::npos);
  SubgoalSpec bounds = ok;
  bounds.bounds.low.pop_back();
  EXPECT_NE(error_of(small_config(2, {4}, 0.3), bounds).find("bounds have 1/2 values"), std::string::npos);
}

TEST(HacConfigCheck, ResolvesHorizons) {
  EXPECT_EQ(resolve_horizons({}, 2, 50), (std::vector<int>{8}));     // 8^2 >= 50 > 7^2
  EXPECT_EQ(resolve_horizons({}, 3, 50), (std::vector<int>{4, 4}));  // 4^3 >= 50 > 3^3
  EXPECT_EQ(resolve_horizons({}, 2, 200), (std::vector<int>{15}));
  EXPECT_EQ(resolve_horizons(std::vector<int>{10}, 3, 50), (std::vector<int>{10, 10}));
  EXPECT_EQ(resolve_horizons(std::vector<int>{10, 5}, 3, 50), (std::vector<int>{10, 5}));
  EXPECT_THROW(resolve_horizons(std::vector<int>{1, 2, 3}, 3, 50), Error);
}

}  // namespace
}  // namespace hindsight::hac

namespace hindsight::hac {
namespace {

// <repo>/configs, found from <repo>/tests/testdata.
std::string preset(const std::string& env) {
  return (std::filesystem::path(HINDSIGHT_TESTDATA_DIR).parent_path().parent_path() / "configs" / (env + ".yaml"))
      .string();
}

TEST(HacLearning, MountainCarTwoLevelsLearnsOnAFixedSeed) {
  // The 2-level preset, trained as the trainer does (an episode, then 40 updates per level), for
  // kEpisodes episodes: about 30 s on one core. The full runs are in docs/results.md. The margin: the preset's
  // per-epoch test success after 100 episodes was 0.98-1.00 in each of the 5 seeds of bench/learning.sh
  // (docs/results/MountainCarContinuous-np1-summary.csv); this seed gives 1.00. A fixed seed gives the same
  // result at any thread count (the learner runs on one torch thread).
  constexpr int kEpisodes = 100;
  TrainConfig cfg = load_config_file(preset("MountainCarContinuous"));
  cfg.seed = 3;
  agents::Setup s = agents::make_setup(cfg);
  train::LocalComm comm;
  train::RankSync sync(comm);
  for (int e = 0; e < kEpisodes; ++e) {
    s.agent->run_episode(*s.env, derive_seed(11, static_cast<std::uint64_t>(e)), true);
    sync.sync_normalizers(*s.agent);  // the episode's samples reach the normalizers, as in the trainer
    for (int u = 0; u < cfg.updates_per_cycle; ++u) s.agent->train_step();
    s.agent->update_targets();
  }
  const auto report = train::evaluate(*s.agent, *s.env, 50, 12);
  std::printf("MountainCarContinuous 2 levels, %d episodes: test success %.2f\n", kEpisodes, report.success_rate);
  EXPECT_GE(report.success_rate, 0.8);
}

}  // namespace
}  // namespace hindsight::hac
