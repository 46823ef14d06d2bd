// Runs under `mpirun -np 2` (ctest): RankSync across real ranks.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "hindsight/core/error.hpp"
#include "hindsight/io/config.hpp"
#include "hindsight/train/rank_sync.hpp"
#include "hindsight/agents/make_agent.hpp"
#include "support/mpi_comm.hpp"

namespace hindsight::train {
namespace {

using agents::make_setup;
using agents::Setup;
using learn::Level;
using learn::Trajectory;

using hindsight::testing::comm;

TrainConfig small_config() {
  TrainConfig cfg = default_config();
  cfg.env = "FetchReach";
  cfg.hidden = {32, 32};
  cfg.batch_size = 64;
  cfg.buffer_size = 10000;
  return cfg;
}

// A random-policy trajectory of rank r's i-th warm-up episode (every rank can rebuild any rank's).
Trajectory warmup_trajectory(GoalEnv& env, int r, int i) {
  Rng rng(derive_seed(1234, static_cast<std::uint64_t>(r * 1000 + i)));
  Trajectory t;
  GoalObs o = env.reset(derive_seed(99, static_cast<std::uint64_t>(r * 1000 + i)));
  t.T = env.max_episode_steps();
  for (int s = 0; s < t.T; ++s) {
    t.obs.insert(t.obs.end(), o.observation.begin(), o.observation.end());
    t.ag.insert(t.ag.end(), o.achieved_goal.begin(), o.achieved_goal.end());
    t.g.insert(t.g.end(), o.desired_goal.begin(), o.desired_goal.end());
    o = env.step(env.action_space().sample(rng)).obs;
  }
  t.obs.insert(t.obs.end(), o.observation.begin(), o.observation.end());
  t.ag.insert(t.ag.end(), o.achieved_goal.begin(), o.achieved_goal.end());
  return t;
}

std::vector<double> as_doubles(const std::vector<float>& v) { return {v.begin(), v.end()}; }

TEST(RankSyncMpi, MergedNormalizerEqualsOneProcessFedTheUnion) {
  const int ranks = comm().size(), me = comm().rank();
  TrainConfig cfg = small_config();
  cfg.her_strategy = HerStrategy::none;  // goals as stored, so a plain normalizer can replay the union
  auto s = make_setup(cfg, me);
  RankSync sync(comm());
  // Ranks see different amounts of data, as uneven warm-up shares do.
  const auto episodes_of = [](int r) { return 3 + 2 * r; };
  for (int i = 0; i < episodes_of(me); ++i) s.agent->observe_warmup(warmup_trajectory(*s.env, me, i));
  sync.sync_normalizers(*s.agent);

  // The reference: one normalizer fed every rank's rows one by one (Welford), as float32 like the buffer.
  const std::size_t od = s.env->observation_space().size(), gd = s.env->goal_space().size();
  learn::Normalizer obs_ref(od), goal_ref(gd);
  const auto row = [](const std::vector<double>& v, std::size_t k, std::size_t d) {
    std::vector<double> x(d);
    for (std::size_t i = 0; i < d; ++i) x[i] = static_cast<float>(v[k * d + i]);
    return x;
  };
  for (int r = 0; r < ranks; ++r) {
    for (int i = 0; i < episodes_of(r); ++i) {
      const Trajectory t = warmup_trajectory(*s.env, r, i);
      for (std::size_t k = 0; k < static_cast<std::size_t>(t.T); ++k) {
        obs_ref.update(row(t.obs, k, od));
        goal_ref.update(row(t.g, k, gd));
      }
    }
  }
  const Level& level = *s.agent->levels()[0];
  const auto check_rel = [](const std::vector<double>& got, const std::vector<double>& want) {
    ASSERT_EQ(got.size(), want.size());
    for (std::size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], 1e-9 * std::abs(want[i])) << i;
  };
  check_rel(level.obs_norm().raw(), obs_ref.raw());
  check_rel(level.goal_norm().raw(), goal_ref.raw());

  // Not just close: every rank holds the very same bits.
  std::vector<double> mine = level.obs_norm().raw();
  const std::vector<double> g = level.goal_norm().raw();
  mine.insert(mine.end(), g.begin(), g.end());
  const std::vector<double> all = comm().allgather(mine);
  for (int r = 0; r < ranks; ++r) {
    for (std::size_t i = 0; i < mine.size(); ++i) {
      EXPECT_EQ(all[static_cast<std::size_t>(r) * mine.size() + i], all[i]) << "rank " << r << " value " << i;
    }
  }
}

TEST(RankSyncMpi, AllRanksHoldIdenticalParametersAfterUpdates) {
  const int ranks = comm().size(), me = comm().rank();
  TrainConfig cfg = small_config();
  cfg.seed = 7 + static_cast<std::uint64_t>(me);  // different initial networks on every rank
  auto s = make_setup(cfg, me);
  for (int e = 0; e < 4; ++e) s.agent->run_episode(*s.env, derive_seed(500 + me, e), true);  // own data
  Level& level = *s.agent->levels()[0];
  const std::vector<float> own_init = level.learner().flat_parameters();

  RankSync sync(comm());
  sync.broadcast_parameters(*s.agent);
  sync.install_gradient_reducers(*s.agent, true);
  sync.sync_normalizers(*s.agent);
  const std::vector<float> start = level.learner().flat_parameters();
  constexpr int kUpdates = 25;
  for (int u = 0; u < kUpdates; ++u) {
    s.agent->train_step();
    if (u % 10 == 9) s.agent->update_targets();
  }
  const std::vector<float> end = level.learner().flat_parameters();
  EXPECT_NE(end, start) << "the updates changed the parameters";
  if (ranks > 1 && me > 0) EXPECT_NE(own_init, start) << "rank 0's networks replaced this rank's own";

  // Every float of actor, critic and both targets equals rank 0's, bit for bit.
  const std::vector<double> all = comm().allgather(as_doubles(end));
  for (int r = 1; r < ranks; ++r) {
    std::size_t differ = 0;
    for (std::size_t i = 0; i < end.size(); ++i) differ += all[r * end.size() + i] != all[i];
    EXPECT_EQ(differ, 0u) << "rank " << r << " differs from rank 0 in " << differ << " parameters";
  }
  EXPECT_NO_THROW(sync.check_parameters_agree(*s.agent));
  const AllreduceStats st = sync.take_allreduce_stats();
  EXPECT_EQ(st.calls, 2 * kUpdates);
}

TEST(RankSyncMpi, DivergedParametersAreReportedOnTheRankThatDiverged) {
  const int me = comm().rank();
  auto s = make_setup(small_config(), me);
  RankSync sync(comm());
  sync.broadcast_parameters(*s.agent);
  Level& level = *s.agent->levels()[0];
  if (me == comm().size() - 1 && comm().size() > 1) {
    std::vector<float> p = level.learner().flat_parameters();
    p[0] += 1.0f;
    level.learner().set_flat_parameters(p);
    EXPECT_THROW(sync.check_parameters_agree(*s.agent), Error);
  } else {
    EXPECT_NO_THROW(sync.check_parameters_agree(*s.agent));
  }
}

TEST(RankSyncMpi, TextThatDiffersFromRankZerosIsReportedOnThatRank) {
  RankSync sync(comm());
  EXPECT_NO_THROW(sync.check_same_text("env: FetchReach\n", "the config"));
  if (comm().rank() > 0) {
    EXPECT_THROW(sync.check_same_text("env: FetchPush\n", "the config"), Error);
  } else {
    EXPECT_NO_THROW(sync.check_same_text("env: FetchReach\n", "the config"));
  }
}

TEST(RankSyncMpi, UnderSkipEveryRankSkipsTheUpdateThatOneRankSpoiled) {
  const int me = comm().rank();
  TrainConfig cfg = small_config();
  cfg.nan_policy = NanPolicy::skip;
  auto s = make_setup(cfg, me);
  for (int e = 0; e < 4; ++e) s.agent->run_episode(*s.env, derive_seed(700 + me, e), true);
  Level& level = *s.agent->levels()[0];
  RankSync sync(comm());
  sync.broadcast_parameters(*s.agent);
  sync.install_gradient_reducers(*s.agent, false);
  sync.sync_normalizers(*s.agent);
  const std::vector<float> before = level.learner().flat_parameters();
  if (me == 1) sync.poison_next_gradient();
  EXPECT_NO_THROW(s.agent->train_step());
  EXPECT_EQ(level.learner().flat_parameters(), before) << "no rank stepped";
  EXPECT_EQ(s.agent->take_epoch_metrics().at("l0/skipped_updates"), 1.0);
  s.agent->train_step();
  EXPECT_NE(level.learner().flat_parameters(), before);
  EXPECT_NO_THROW(sync.check_parameters_agree(*s.agent)) << "the ranks still train one model";
}

}  // namespace
}  // namespace hindsight::train
