#include "hindsight/train/rank_sync.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <string>

#include "hindsight/core/error.hpp"
#include "hindsight/core/finite.hpp"
#include "hindsight/io/config.hpp"
#include "hindsight/agents/make_agent.hpp"

namespace hindsight::train {
namespace {

using agents::make_setup;
using agents::Setup;
using learn::Level;
using learn::Trajectory;

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
  sync.install_gradient_reducers(*s.agent, true);
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

TEST(RankSync, OneProcessLeavesANonFiniteGradientToTheLearner) {
  // With one rank there is no one else to name: the learner reports the NaN after the (no-op) averaging,
  // and the level stops the update naming itself.
  LocalComm comm;
  RankSync sync(comm);
  auto s = small_setup();
  sync.install_gradient_reducers(*s.agent, true);
  sync.sync_normalizers(*s.agent);
  Level* level = s.agent->levels()[0];
  const auto before = level->learner().flat_parameters();
  sync.poison_next_gradient();
  try {
    s.agent->train_step();
    ADD_FAILURE() << "no NonFiniteError";
  } catch (const NonFiniteError& e) {
    EXPECT_STREQ(e.what(), "critic gradient[0] is NaN");
    EXPECT_EQ(e.origin(), level);
  }
  EXPECT_EQ(level->learner().flat_parameters(), before) << "no step was taken";
  EXPECT_NO_THROW(s.agent->train_step()) << "the poison is for one gradient only";
}

TEST(RankSync, NonFiniteNormalizerInputsNeverReachTheExchange) {
  // The level refuses the episode itself, naming the value, so nothing non-finite is pending.
  LocalComm comm;
  RankSync sync(comm);
  auto s = small_setup();
  Trajectory t;
  t.T = 1;
  t.obs.assign(2 * s.env->observation_space().size(), 0.0);
  t.obs[0] = std::nan("");
  t.ag.assign(2 * s.env->goal_space().size(), 0.0);
  t.g.assign(s.env->goal_space().size(), 0.0);
  EXPECT_EQ(error_of([&] { s.agent->observe_warmup(t); }), "observation[0] at episode step 0 is NaN");
  sync.sync_normalizers(*s.agent);
  EXPECT_EQ(s.agent->levels()[0]->obs_norm().count(), 3u * 50u) << "the three stored episodes only";
}

}  // namespace
}  // namespace hindsight::train
