#include "hindsight/train/run_files.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "hindsight/agents/make_agent.hpp"
#include "hindsight/core/error.hpp"
#include "hindsight/io/atomic_file.hpp"
#include "hindsight/io/checkpoint.hpp"
#include "hindsight/io/config.hpp"
#include "support/test_support.hpp"

namespace hindsight::train {
namespace {

using agents::make_setup;
using hindsight::testing::error_of;

TrainConfig small(const std::string& env, int levels) {
  TrainConfig c = default_config();
  c.env = env;
  c.levels = levels;
  if (levels > 1) c.H = {10};
  c.hidden = {16};
  c.batch_size = 32;
  c.subgoal_test_prob = 1.0;  // every proposal tested: penalties certain
  return c;
}

std::string temp_path(const std::string& name) { return ::testing::TempDir() + "run_files_test_" + name; }

// An agent with experience, normalizer statistics and one update behind it.
agents::Setup trained(const TrainConfig& c) {
  agents::Setup s = make_setup(c);
  for (int e = 0; e < 3; ++e) s.agent->run_episode(*s.env, static_cast<std::uint64_t>(e), true);
  s.agent->train_step();
  return s;
}

TEST(RunFiles, HacCheckpointKeepsPenaltiesBuffersAndNetworks) {
  const TrainConfig c = small("MountainCarContinuous", 2);
  agents::Setup a = trained(c);
  ASSERT_GT(a.agent->levels()[1]->fixed().size(), 0u);
  const std::string path = temp_path("hac.ckpt");
  Counters k;
  k.epoch = 4;
  k.env_steps = 1234;
  k.best_success = 0.5;
  save_checkpoint(path, c, *a.agent, k, true);
  agents::Setup b = make_setup(c);
  const Counters got = load_checkpoint(path, c, *b.agent);
  EXPECT_EQ(got.epoch, 4);
  EXPECT_EQ(got.env_steps, 1234);
  EXPECT_DOUBLE_EQ(got.best_success, 0.5);
  for (std::size_t i = 0; i < 2; ++i) {
    const learn::Level& x = *a.agent->levels()[i];
    const learn::Level& y = *b.agent->levels()[i];
    EXPECT_EQ(x.fixed().save(), y.fixed().save()) << i;
    EXPECT_EQ(x.buffer().save(), y.buffer().save()) << i;
    EXPECT_EQ(x.learner().flat_parameters(), y.learner().flat_parameters()) << i;
    EXPECT_EQ(x.obs_norm().raw(), y.obs_norm().raw()) << i;
  }
  EXPECT_EQ(a.agent->rng().state(), b.agent->rng().state());
  std::remove(path.c_str());
}

TEST(RunFiles, CheckpointWithoutReplayLeavesTheBuffersEmpty) {
  const TrainConfig c = small("MountainCarContinuous", 1);
  agents::Setup a = trained(c);
  const std::string path = temp_path("noreplay.ckpt");
  save_checkpoint(path, c, *a.agent, Counters{}, false);
  agents::Setup b = make_setup(c);
  load_checkpoint(path, c, *b.agent);
  EXPECT_EQ(b.agent->levels()[0]->buffer().transitions(), 0u);
  EXPECT_EQ(a.agent->levels()[0]->learner().flat_parameters(), b.agent->levels()[0]->learner().flat_parameters());
  std::remove(path.c_str());
}

TEST(RunFiles, CheckpointOfAnotherEnvOrLevelCountIsRefused) {
  const TrainConfig c = small("MountainCarContinuous", 1);
  agents::Setup a = make_setup(c);
  const std::string path = temp_path("other.ckpt");
  save_checkpoint(path, c, *a.agent, Counters{}, false);
  TrainConfig push = small("FetchPush", 1);
  agents::Setup p = make_setup(push);
  EXPECT_NE(error_of([&] { load_checkpoint(path, push, *p.agent); })
                  .find("checkpoint is for env MountainCarContinuous"), std::string::npos);
  const TrainConfig two = small("MountainCarContinuous", 2);
  agents::Setup h = make_setup(two);
  EXPECT_NE(error_of([&] { load_checkpoint(path, two, *h.agent); })
                  .find("checkpoint has 1 level(s), the run uses 2"), std::string::npos);
  std::remove(path.c_str());
}

TEST(RunFiles, CheckpointCountersMustBeSane) {
  const TrainConfig c = small("MountainCarContinuous", 1);
  agents::Setup a = make_setup(c);
  const std::string path = temp_path("counters.ckpt");
  save_checkpoint(path, c, *a.agent, Counters{}, false);
  io::Checkpoint ck = io::Checkpoint::read(path);
  ck.set("counters", R"({"epoch":-3,"env_steps":0,"episodes":0,"wall_seconds":0,"best_success":-1})");
  ck.write(path);  // valid checksums, nonsense content
  EXPECT_NE(error_of([&] { load_checkpoint(path, c, *a.agent); })
                  .find("damaged counters section (negative"), std::string::npos);
  std::remove(path.c_str());
}

TEST(RunFiles, RankStateBelongsToItsRankAndEpoch) {
  const TrainConfig c = small("MountainCarContinuous", 1);
  agents::Setup a = trained(c);
  const std::string path = temp_path("rank1.state");
  save_rank_state(path, *a.agent, 1, 3);
  agents::Setup b = make_setup(c);
  load_rank_state(path, *b.agent, 1, 3);
  EXPECT_EQ(a.agent->levels()[0]->buffer().save(), b.agent->levels()[0]->buffer().save());
  EXPECT_EQ(a.agent->rng().state(), b.agent->rng().state());
  EXPECT_THROW(load_rank_state(path, *b.agent, 2, 3), Error);
  EXPECT_THROW(load_rank_state(path, *b.agent, 1, 4), Error);
  std::remove(path.c_str());
  EXPECT_NE(error_of([&] { load_rank_state(path, *b.agent, 1, 3); }).find("is missing"), std::string::npos);
}

TEST(RunFiles, NormalizerFileRoundTripAndClearErrors) {
  const TrainConfig c = small("MountainCarContinuous", 2);
  agents::Setup a = trained(c);
  const std::string path = temp_path("norm.json");
  save_normalizers(path, *a.agent);
  agents::Setup b = make_setup(c);
  load_normalizers(path, *b.agent);
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(a.agent->levels()[i]->obs_norm().raw(), b.agent->levels()[i]->obs_norm().raw()) << i;
    EXPECT_EQ(a.agent->levels()[i]->goal_norm().raw(), b.agent->levels()[i]->goal_norm().raw()) << i;
  }
  agents::Setup flat = make_setup(small("MountainCarContinuous", 1));
  EXPECT_NE(error_of([&] { load_normalizers(path, *flat.agent); })
                  .find("holds 2 level(s), the agent has 1"), std::string::npos);
  io::write_file_atomic(path, "{not json");
  EXPECT_THROW(load_normalizers(path, *b.agent), Error);
  io::write_file_atomic(path, "{\"format\": \"other\"}");
  EXPECT_THROW(load_normalizers(path, *b.agent), Error);
  std::remove(path.c_str());
}

}  // namespace
}  // namespace hindsight::train
