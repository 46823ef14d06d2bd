// How long HAC episodes run and how they are scored: test episodes always to the time limit (the one
// scoring rule of learn/agent.hpp), training episodes too with train_to_limit.
#include <gtest/gtest.h>

#include <vector>

#include "hindsight/hac/hac_agent.hpp"
#include "hindsight/learn/flat_agent.hpp"
#include "support/hac_scripted.hpp"

namespace hindsight::hac {
namespace {

using namespace scripted;

// One scoring rule for every agent: a deterministic (test or eval) episode runs to the time limit and
// succeeds when the goal holds at its last step, as the flat agent's; HAC's training episodes still end
// when the goal is reached. The goal is reached at step 5 here and left at step 8.
TEST(HacTestMode, TestEpisodesRunToTheTimeLimitAndScoreTheLastStep) {
  ScriptedEnv left(script(12, {{5, kFinal}, {6, kFinal}, {7, kFinal}}));
  HacAgent agent(left, small_config(2, {4}, 0.0), left.default_subgoal_spec(), 11);
  force_policy(*agent.levels()[1], {0.9, 0.0});
  const auto test = agent.run_episode(left, 0, false);
  EXPECT_EQ(test.steps, 12);  // the top kept proposing after step 5
  EXPECT_FALSE(test.success);  // not at the goal at step 12
  EXPECT_TRUE(test.reached);   // but it was at step 5
  const auto train = agent.run_episode(left, 0, true);
  EXPECT_EQ(train.steps, 5);  // HAC's training episode ends on the goal
  EXPECT_TRUE(train.success);

  ScriptedEnv held(script(12, {{5, kFinal}, {6, kFinal}, {7, kFinal}, {8, kFinal}, {9, kFinal}, {10, kFinal},
                                {11, kFinal}, {12, kFinal}}));
  const auto kept = agent.run_episode(held, 0, false);
  EXPECT_EQ(kept.steps, 12);
  EXPECT_TRUE(kept.success);
  EXPECT_TRUE(kept.reached);

  // A task that ends at its goal (as Gymnasium's MountainCar) ends the test episode there.
  left.ends_on_goal = true;
  const auto ended = agent.run_episode(left, 0, false);
  EXPECT_EQ(ended.steps, 5);
  EXPECT_TRUE(ended.success);
}

// train_to_limit: a training episode runs on after the goal as a test episode does. The top proposes
// once per env step while the goal holds (level 0 stops after each step: a higher goal is reached) and
// its reward 0 is not terminal, so holding the goal is learnt as worth more than leaving it.
TEST(HacTrainToLimit, TrainingEpisodesRunToTheTimeLimitAndTheTopsGoalIsNotTerminal) {
  ScriptedEnv left(script(12, {{5, kFinal}, {6, kFinal}, {7, kFinal}}));
  HacConfig cfg = small_config(2, {4}, 0.0);
  cfg.train_to_limit = true;
  HacAgent agent(left, cfg, left.default_subgoal_spec(), 11);
  force_policy(*agent.levels()[1], {0.9, 0.0});  // a subgoal the script never reaches
  const auto train = agent.run_episode(left, 0, true);
  EXPECT_EQ(train.steps, 12);
  EXPECT_FALSE(train.success);  // scored at step 12, as a test episode
  EXPECT_TRUE(train.reached);
  // Proposal 1 runs out its 4 attempts; 2-4 each end after the one step that is at the goal (5, 6, 7);
  // 5 runs out its 4 (steps 8-11); 6 is cut by the time limit after step 12.
  EXPECT_EQ(lengths(*agent.levels()[0]), (std::vector<int>{4, 1, 1, 1, 4, 1}));
  EXPECT_EQ(lengths(*agent.levels()[1]), (std::vector<int>{6}));
  const auto m = agent.take_epoch_metrics();
  EXPECT_DOUBLE_EQ(m.at("l1/success_rate"), 0.0);  // the top's sequence ended away from the goal
  EXPECT_DOUBLE_EQ(m.at("l1/reward"), -0.5);       // 3 of its 6 proposals ended at the goal
  EXPECT_FALSE(agent.levels()[1]->config().terminal_on_success);
  EXPECT_TRUE(agent.levels()[0]->config().terminal_on_success);  // a reached subgoal ends level 0's sequence

  // Without it (HAC), the same training episode ends on the goal and every level's reward 0 is terminal.
  HacAgent hac(left, small_config(2, {4}, 0.0), left.default_subgoal_spec(), 11);
  force_policy(*hac.levels()[1], {0.9, 0.0});
  EXPECT_EQ(hac.run_episode(left, 0, true).steps, 5);
  EXPECT_TRUE(hac.levels()[1]->config().terminal_on_success);

  // A task that ends at its goal ends the training episode there, and the top's goal stays terminal.
  left.ends_on_goal = true;
  HacAgent ends(left, cfg, left.default_subgoal_spec(), 11);
  force_policy(*ends.levels()[1], {0.9, 0.0});
  EXPECT_EQ(ends.run_episode(left, 0, true).steps, 5);
  EXPECT_TRUE(ends.levels()[1]->config().terminal_on_success);
}

// `moved` (train/moved_rate): the achieved goal ends outside the success window (0.5 here) around where it
// started, whatever it did in between; the same for the flat agent and the hierarchy, trained or tested.
TEST(EpisodeOutcome, MovedComparesTheLastAchievedGoalWithTheFirst) {
  ScriptedEnv stays(script(6, {}));
  ScriptedEnv leaves(script(6, {{6, {0.6, 0.0, 0.0}}}));                        // 0.6 away at the end
  ScriptedEnv returns(script(6, {{2, {3.0, 0.0, 0.0}}, {6, {0.4, 0.0, 0.0}}}));  // away, then back within 0.5
  HacConfig cfg = small_config(2, {3}, 0.0);
  cfg.train_to_limit = true;
  HacAgent hac(stays, cfg, stays.default_subgoal_spec(), 3);
  learn::FlatAgent flat(stays, small_config(1, {}, 0.0).level, 3);
  for (const bool train : {true, false}) {
    EXPECT_FALSE(hac.run_episode(stays, 0, train).moved);
    EXPECT_TRUE(hac.run_episode(leaves, 0, train).moved);
    EXPECT_FALSE(hac.run_episode(returns, 0, train).moved);
    EXPECT_FALSE(flat.run_episode(stays, 0, train).moved);
    EXPECT_TRUE(flat.run_episode(leaves, 0, train).moved);
    EXPECT_FALSE(flat.run_episode(returns, 0, train).moved);
  }
}

}  // namespace
}  // namespace hindsight::hac
