#include "hindsight/agents/make_agent.hpp"

#include <gtest/gtest.h>

#include "hindsight/core/error.hpp"
#include "hindsight/hac/hac_agent.hpp"
#include "hindsight/io/config.hpp"

namespace hindsight::agents {
namespace {

TrainConfig small_hac(int levels) {
  TrainConfig c = default_config();
  c.env = "MountainCarContinuous";
  c.levels = levels;
  c.H = {10};
  c.hidden = {16};
  c.batch_size = 32;
  c.subgoal_test_prob = 1.0;  // every proposal tested: penalties certain
  return c;
}

TEST(HacSetup, BuildsTheHierarchyFromTheConfig) {
  TrainConfig c = small_hac(3);
  c.H = {4, 5};
  c.gamma = 0.98;
  c.target_networks = false;
  agents::Setup s = make_setup(c);
  auto* hac = dynamic_cast<hac::HacAgent*>(s.agent.get());
  ASSERT_NE(hac, nullptr);
  EXPECT_EQ(hac->levels().size(), 3u);
  EXPECT_EQ(hac->config().H, (std::vector<int>{4, 5}));
  EXPECT_EQ(hac->horizon(2), 10);  // ceil(200 / 20)
  for (learn::Level* l : hac->levels()) {
    EXPECT_FALSE(l->learner().config().target_networks);
    EXPECT_TRUE(l->learner().config().bounded_critic);
    EXPECT_DOUBLE_EQ(l->learner().config().gamma, 0.98);
  }
  c.levels = 1;
  EXPECT_EQ(make_setup(c).agent->levels().size(), 1u);
  EXPECT_FALSE(make_setup(c).agent->levels()[0]->learner().config().bounded_critic);
}

TEST(HacSetup, MaxEpisodeStepsSetsTheTimeLimitTheHorizonsFollow) {
  // The PyTorch HAC example runs H = 20 proposals of 20 steps: 400 steps, twice MountainCar's 200.
  TrainConfig c = small_hac(2);
  c.H = {20};
  EXPECT_EQ(dynamic_cast<hac::HacAgent*>(make_setup(c).agent.get())->horizon(1), 10);  // 200 / 20
  apply_overrides(c, {"max_episode_steps=400"});
  agents::Setup s = make_setup(c);
  EXPECT_EQ(s.env->max_episode_steps(), 400);
  EXPECT_EQ(dynamic_cast<hac::HacAgent*>(s.agent.get())->horizon(1), 20);
}

TEST(HacSetup, SubgoalThresholdReplacesTheEnvsAfterTheSubgoalSpaceAndBounds) {
  TrainConfig c = small_hac(2);
  const std::vector<double> env_thresholds =
      make_setup(c).agent->subgoal_spec().value().thresholds;
  apply_overrides(c, {"subgoal=0", "subgoal_low=[-1.0]", "subgoal_threshold=0.005"});
  agents::Setup s = make_setup(c);
  const SubgoalSpec spec = s.agent->subgoal_spec().value();
  EXPECT_EQ(spec.obs_indices, std::vector<int>{0});
  EXPECT_EQ(spec.bounds.low, std::vector<double>{-1.0});
  EXPECT_EQ(spec.thresholds, std::vector<double>{0.005});
  EXPECT_NE(env_thresholds.front(), 0.005);
  apply_overrides(c, {"subgoal_threshold=[0.01, 0.02]"});
  EXPECT_THROW(make_setup(c), Error);  // two values for one dimension
}

TEST(HacSetup, SubgoalOffsetMakesTheUpperLevelsProposeOffsets) {
  TrainConfig c = small_hac(2);
  EXPECT_EQ(make_setup(c).agent->levels()[1]->spec().action_space.low,
            make_setup(c).agent->subgoal_spec().value().bounds.low);  // absolute by default
  apply_overrides(c, {"subgoal_offset=[0.3, 0.02]"});
  agents::Setup s = make_setup(c);
  EXPECT_EQ(s.agent->levels()[1]->spec().action_space.low, (std::vector<double>{-0.3, -0.02}));
  EXPECT_EQ(s.agent->levels()[1]->spec().action_space.high, (std::vector<double>{0.3, 0.02}));
  apply_overrides(c, {"subgoal_offset=[0.3]"});
  EXPECT_EQ(make_setup(c).agent->levels()[1]->spec().action_space.high, (std::vector<double>{0.3, 0.3}));
  apply_overrides(c, {"subgoal_offset=[0.3, 0.02, 0.1]"});
  EXPECT_THROW(make_setup(c), Error);  // three values for two dimensions
}

TEST(HacSetup, PerLevelValuesReachTheirLevelOnly) {
  TrainConfig c = small_hac(2);
  c.actor_lr = 0.002;
  apply_overrides(c, {"level1.actor_lr=0.01", "level1.hidden=[24,24]", "level1.noise_eps=0.05", "level1.gamma=0.9",
                      "level0.batch_size=16"});
  agents::Setup s = make_setup(c);
  const auto levels = s.agent->levels();
  ASSERT_EQ(levels.size(), 2u);
  EXPECT_DOUBLE_EQ(levels[0]->learner().config().actor_lr, 0.002);
  EXPECT_DOUBLE_EQ(levels[1]->learner().config().actor_lr, 0.01);
  EXPECT_EQ(levels[0]->learner().config().hidden, std::vector<int>{16});
  EXPECT_EQ(levels[1]->learner().config().hidden, (std::vector<int>{24, 24}));
  EXPECT_DOUBLE_EQ(levels[1]->config().noise_eps, 0.05);
  EXPECT_DOUBLE_EQ(levels[0]->config().noise_eps, c.noise_eps);
  EXPECT_DOUBLE_EQ(levels[1]->learner().config().gamma, 0.9);
  EXPECT_DOUBLE_EQ(levels[0]->learner().config().gamma, 0.9);  // auto for level 0: 1 - 1/H with H = 10
  EXPECT_EQ(levels[0]->config().batch_size, 16);
  EXPECT_EQ(levels[1]->config().batch_size, 32);
  // Flat: level0 values apply to its only level.
  TrainConfig f = default_config();
  f.env = "MountainCarContinuous";
  apply_overrides(f, {"level0.critic_lr=0.003"});
  EXPECT_DOUBLE_EQ(make_setup(f).agent->levels()[0]->learner().config().critic_lr, 0.003);
}

TEST(MakeAgent, FlatLevelConfigResolvesGammaAndTargetClip) {
  TrainConfig c = default_config();
  c.env = "FetchPush";
  auto env = make_setup(c).env;
  const learn::LevelConfig lc = flat_level_config(c, *env);
  EXPECT_DOUBLE_EQ(lc.ddpg.gamma, 0.98);  // 1 - 1/T, T = 50
  EXPECT_NEAR(lc.ddpg.q_min, -50.0, 1e-9);
  EXPECT_EQ(lc.ddpg.q_max, 0.0);
  c.gamma = 0.9;
  EXPECT_NEAR(flat_level_config(c, *env).ddpg.q_min, -10.0, 1e-9);
}

TEST(MakeAgent, FlatAgentForOneLevelWithTheConfigsHerStrategy) {
  TrainConfig c = default_config();
  c.env = "FetchPush";
  c.her_strategy = HerStrategy::final;
  agents::Setup s = make_setup(c);
  EXPECT_EQ(dynamic_cast<hac::HacAgent*>(s.agent.get()), nullptr);
  EXPECT_FALSE(s.agent->subgoal_spec().has_value()) << "a flat agent proposes no subgoals";
  ASSERT_EQ(s.agent->levels().size(), 1u);
  EXPECT_EQ(flat_level_config(c, *s.env).her, learn::HerStrategy::kFinal);
  EXPECT_EQ(her_of(HerStrategy::future), learn::HerStrategy::kFuture);
  EXPECT_EQ(her_of(HerStrategy::none), learn::HerStrategy::kNone);
}

TEST(MakeAgent, EachRankExploresWithItsOwnStream) {
  TrainConfig c = default_config();
  c.env = "FetchPush";
  agents::Setup a = make_setup(c, 0, 2), b = make_setup(c, 1, 2), a2 = make_setup(c, 0, 2);
  EXPECT_EQ(a.agent->rng().state(), a2.agent->rng().state());
  EXPECT_NE(a.agent->rng().state(), b.agent->rng().state());
}

}  // namespace
}  // namespace hindsight::agents
