#include "hindsight/train/trainer.hpp"

#include <gtest/gtest.h>

#include "hindsight/hac/hac_agent.hpp"
#include "hindsight/io/config.hpp"

namespace hindsight::train {
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
  train::Setup s = make_setup(c);
  auto* hac = dynamic_cast<hac::HacAgent*>(s.agent.get());
  ASSERT_NE(hac, nullptr);
  EXPECT_EQ(hac->levels().size(), 3u);
  EXPECT_EQ(hac->config().H, (std::vector<int>{4, 5}));
  EXPECT_EQ(hac->horizon(2), 10);  // ceil(200 / 20)
  for (Level* l : hac->levels()) {
    EXPECT_FALSE(l->learner().config().target_networks);
    EXPECT_TRUE(l->learner().config().bounded_critic);
    EXPECT_DOUBLE_EQ(l->learner().config().gamma, 0.98);
  }
  c.levels = 1;
  EXPECT_EQ(make_setup(c).agent->levels().size(), 1u);
  EXPECT_FALSE(make_setup(c).agent->levels()[0]->learner().config().bounded_critic);
}

// level<N>.<key> values reach that level's learner only; the rest keep the shared values.
TEST(HacSetup, PerLevelValuesReachTheirLevelOnly) {
  TrainConfig c = small_hac(2);
  c.actor_lr = 0.002;
  apply_overrides(c, {"level1.actor_lr=0.01", "level1.hidden=[24,24]", "level1.noise_eps=0.05", "level1.gamma=0.9",
                      "level0.batch_size=16"});
  train::Setup s = make_setup(c);
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

TEST(HacSetup, CheckpointKeepsPenaltiesBuffersAndNetworks) {
  const TrainConfig c = small_hac(2);
  train::Setup a = make_setup(c);
  for (int e = 0; e < 3; ++e) a.agent->run_episode(*a.env, static_cast<std::uint64_t>(e), true);
  a.agent->train_step();
  ASSERT_GT(a.agent->levels()[1]->fixed().size(), 0u);
  const std::string path = ::testing::TempDir() + "hac_checkpoint_test.ckpt";
  save_checkpoint(path, c, *a.agent, Counters{}, true);
  train::Setup b = make_setup(c);
  load_checkpoint(path, c, *b.agent);
  for (std::size_t i = 0; i < 2; ++i) {
    const Level& x = *a.agent->levels()[i];
    const Level& y = *b.agent->levels()[i];
    EXPECT_EQ(x.fixed().save(), y.fixed().save()) << i;
    EXPECT_EQ(x.buffer().save(), y.buffer().save()) << i;
    EXPECT_EQ(x.learner().flat_parameters(), y.learner().flat_parameters()) << i;
  }
  std::remove(path.c_str());
}

}  // namespace
}  // namespace hindsight::train
