#include "hindsight/train/trainer.hpp"

#include <gtest/gtest.h>

#include "hindsight/hac/hac_agent.hpp"

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
