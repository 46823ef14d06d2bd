#include "hindsight/train/rank_sync.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <string>

#include "hindsight/core/error.hpp"
#include "hindsight/io/config.hpp"
#include "hindsight/train/trainer.hpp"

namespace hindsight::train {
namespace {

// A small flat FetchReach agent (one level) with a few stored episodes.
Setup small_setup() {
  TrainConfig cfg = default_config();
  cfg.env = "FetchReach";
  cfg.hidden = {16, 16};
  cfg.batch_size = 32;
  cfg.buffer_size = 5000;
  auto s = make_setup(cfg);
  for (int e = 0; e < 3; ++e) s.agent->run_episode(*s.env, 10 + e, true);
  return s;
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(RankSync, OneProcessMergesPendingSamplesIntoTheNormalizers) {
  LocalComm comm;
  RankSync sync(comm);
  auto s = small_setup();
  Level& level = *s.agent->levels()[0];
  EXPECT_EQ(level.obs_norm().count(), 0u) << "samples wait for the sync";
  sync.sync_normalizers(*s.agent);
  EXPECT_EQ(level.obs_norm().count(), 3u * 50u);
  EXPECT_EQ(level.goal_norm().count(), 3u * 50u);
  sync.sync_normalizers(*s.agent);
  EXPECT_EQ(level.obs_norm().count(), 3u * 50u) << "a second sync has nothing new";
}

TEST(RankSync, ReducerCountsTwoAllreducesPerUpdateAndTheirBytes) {
  LocalComm comm;
  RankSync sync(comm);
  auto s = small_setup();
  sync.broadcast_parameters(*s.agent);
  sync.install_gradient_reducers(*s.agent);
  sync.sync_normalizers(*s.agent);
  const auto& learner = s.agent->levels()[0]->learner();
  for (int u = 0; u < 3; ++u) s.agent->train_step();
  const AllreduceStats st = sync.take_allreduce_stats();
  EXPECT_EQ(st.calls, 6);
  EXPECT_EQ(st.bytes,
            3.0 * 4.0 * static_cast<double>(learner.actor_parameters() + learner.critic_parameters()));
  EXPECT_GE(st.seconds, 0.0);
  EXPECT_EQ(sync.take_allreduce_stats().calls, 0) << "take resets";
  EXPECT_NO_THROW(sync.check_parameters_agree(*s.agent));
}

TEST(RankSync, NonFiniteGradientStopsTheUpdate) {
  LocalComm comm;
  RankSync sync(comm);
  auto s = small_setup();
  sync.install_gradient_reducers(*s.agent);
  sync.sync_normalizers(*s.agent);
  sync.poison_next_gradient();
  const std::string err = error_of([&] { s.agent->train_step(); });
  // One process: the learner names the bad gradient (under MPI the rank check names the level first).
  EXPECT_NE(err.find("gradient[0] is NaN"), std::string::npos) << err;
  EXPECT_NO_THROW(s.agent->train_step()) << "the poison is for one gradient only";
}

TEST(RankSync, NonFiniteNormalizerInputsAreRefusedBeforeTheExchange) {
  LocalComm comm;
  RankSync sync(comm);
  auto s = small_setup();
  sync.sync_normalizers(*s.agent);  // whatever was pending before the bad trajectory
  const auto before = s.agent->levels()[0]->obs_norm().count();
  Trajectory t;
  t.T = 1;
  t.obs.assign(2 * s.env->observation_space().size(), 0.0);
  t.obs[0] = std::nan("");
  t.ag.assign(2 * s.env->goal_space().size(), 0.0);
  t.g.assign(s.env->goal_space().size(), 0.0);
  // The level refuses the NaN as it arrives, so nothing non-finite is left to exchange.
  const std::string err = error_of([&] { s.agent->observe_warmup(t); });
  EXPECT_NE(err.find("observation[0]"), std::string::npos) << err;
  sync.sync_normalizers(*s.agent);
  EXPECT_EQ(s.agent->levels()[0]->obs_norm().count(), before);
}

}  // namespace
}  // namespace hindsight::train
