#include "hindsight/learn/her_sampler.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <memory>

#include "hindsight/core/error.hpp"

namespace hindsight::learn {
namespace {

constexpr int kMaxSteps = 10;
constexpr ReplayDims kDims{.obs = 2, .goal = 3, .action = 2, .max_steps = kMaxSteps};
constexpr int kEpisodes = 8;

// Episode `id` has length 1 + id (so lengths differ) and values that identify episode and step:
// obs[t] = (id, t), action[t] = (id, t), ag[t] = (t, 100 id, 0), desired g[t] = (-1, 100 id, -7).
int length_of(int id) { return 1 + id; }

EpisodeData make_episode(int id) {
  EpisodeData ep;
  ep.T = length_of(id);
  for (int t = 0; t <= ep.T; ++t) {
    ep.obs.insert(ep.obs.end(), {float(id), float(t)});
    ep.ag.insert(ep.ag.end(), {float(t), 100.0f * id, 0.0f});
    if (t == ep.T) break;
    ep.g.insert(ep.g.end(), {-1.0f, 100.0f * id, -7.0f});
    ep.actions.insert(ep.actions.end(), {float(id), float(t)});
  }
  return ep;
}

ReplayBuffer make_buffer() {
  ReplayBuffer b(kDims, 1000);
  for (int id = 0; id < kEpisodes; ++id) b.store(make_episode(id));
  return b;
}

// A continuous reward (negative L1 distance), so any mismatch between r and (ag2, g) shows.
double l1_reward(const float* a, const float* d) {
  double s = 0;
  for (int i = 0; i < 3; ++i) s += std::abs(double(a[i]) - double(d[i]));
  return -s;
}

struct CountingReward {
  std::shared_ptr<int> calls = std::make_shared<int>(0);
  void operator()(std::span<const double> a, std::span<const double> d, std::span<double> out) const {
    ++*calls;
    EXPECT_EQ(a.size(), 3 * out.size());
    EXPECT_EQ(d.size(), 3 * out.size());
    for (std::size_t k = 0; k < out.size(); ++k) {
      double s = 0;
      for (int i = 0; i < 3; ++i) s += std::abs(a[3 * k + i] - d[3 * k + i]);
      out[k] = -s;
    }
  }
};

struct Stats {
  std::size_t relabelled = 0;
  std::vector<std::size_t> per_episode = std::vector<std::size_t>(kEpisodes, 0);
  bool hit_next = false, hit_last = false;  // future index t+1 and T both seen
};

// Checks every row of a batch against the episode it must come from; returns counts.
Stats check_batch(const TransitionBatch& b, HerStrategy strategy) {
  Stats s;
  for (std::size_t k = 0; k < b.n; ++k) {
    const int id = int(b.o[2 * k]), t = int(b.o[2 * k + 1]), T = length_of(id);
    SCOPED_TRACE("row " + std::to_string(k) + " episode " + std::to_string(id) + " t " + std::to_string(t));
    if (!(id >= 0 && id < kEpisodes && t >= 0 && t < T)) {
      ADD_FAILURE() << "row does not come from a stored transition";
      return s;
    }
    ++s.per_episode[id];
    EXPECT_EQ(b.o2[2 * k], float(id));
    EXPECT_EQ(b.o2[2 * k + 1], float(t + 1));
    EXPECT_EQ(b.u[2 * k], float(id));
    EXPECT_EQ(b.u[2 * k + 1], float(t));
    const float* ag = &b.ag[3 * k];
    const float* ag2 = &b.ag2[3 * k];
    const float* g = &b.g[3 * k];
    EXPECT_TRUE(ag[0] == float(t) && ag[1] == 100.0f * id && ag[2] == 0.0f);
    EXPECT_TRUE(ag2[0] == float(t + 1) && ag2[1] == 100.0f * id && ag2[2] == 0.0f);
    EXPECT_EQ(b.discount[k], 1.0f);
    EXPECT_EQ(b.r[k], float(l1_reward(ag2, g)));
    if (b.relabelled[k]) {
      ++s.relabelled;
      // An achieved goal of the same episode (ag[.][1] encodes the episode) at an index in [t+1, T].
      EXPECT_EQ(g[1], 100.0f * id);
      EXPECT_EQ(g[2], 0.0f);
      EXPECT_TRUE(g[0] >= float(t + 1) && g[0] <= float(T)) << "future index " << g[0];
      if (strategy == HerStrategy::kFinal) {
        EXPECT_EQ(g[0], float(T));
      }
      s.hit_next |= g[0] == float(t + 1) && t + 1 < T;
      s.hit_last |= g[0] == float(T) && t + 1 < T;
    } else {
      EXPECT_TRUE(g[0] == -1.0f && g[1] == 100.0f * id && g[2] == -7.0f);
    }
  }
  return s;
}

}  // namespace

TEST(HerSampler, FutureRelabelsWithinTheSameEpisodeAtTheExpectedRate) {
  const ReplayBuffer buffer = make_buffer();
  for (int k : {4, 1}) {
    SCOPED_TRACE("k = " + std::to_string(k));
    CountingReward reward;
    const HerSampler sampler(HerStrategy::kFuture, k, reward);
    const double p = 1.0 - 1.0 / (1.0 + k);
    EXPECT_DOUBLE_EQ(sampler.relabel_probability(), p);

    Rng rng(100 + k);
    TransitionBatch batch;
    const std::size_t n = 100'000;
    sampler.sample(buffer, n, rng, batch);
    EXPECT_EQ(*reward.calls, 1);  // one batched reward call for the whole batch
    ASSERT_EQ(batch.n, n);
    const Stats s = check_batch(batch, HerStrategy::kFuture);
    EXPECT_NEAR(double(s.relabelled) / n, p, 0.01);
    EXPECT_TRUE(s.hit_next);
    EXPECT_TRUE(s.hit_last);
    // Every transition is equally likely, so an episode is drawn in proportion to its length.
    const double total = buffer.transitions();
    for (int id = 0; id < kEpisodes; ++id) {
      EXPECT_NEAR(double(s.per_episode[id]) / n, length_of(id) / total, 0.01) << "episode " << id;
    }
  }
}

TEST(HerSampler, FinalUsesLastAchievedGoalAndNoneNeverRelabels) {
  const ReplayBuffer buffer = make_buffer();
  Rng rng(9);
  TransitionBatch batch;

  const HerSampler final_sampler(HerStrategy::kFinal, 4, CountingReward{});
  final_sampler.sample(buffer, 20'000, rng, batch);
  const Stats f = check_batch(batch, HerStrategy::kFinal);
  EXPECT_NEAR(double(f.relabelled) / 20'000, 0.8, 0.015);

  const HerSampler none(HerStrategy::kNone, 4, CountingReward{});
  EXPECT_EQ(none.relabel_probability(), 0.0);
  none.sample(buffer, 20'000, rng, batch);
  EXPECT_EQ(check_batch(batch, HerStrategy::kNone).relabelled, 0u);

  const HerSampler k0(HerStrategy::kFuture, 0, CountingReward{});
  k0.sample(buffer, 5'000, rng, batch);
  EXPECT_EQ(check_batch(batch, HerStrategy::kFuture).relabelled, 0u);
}

TEST(HerSampler, ReusesBatchStorageAndIsDeterministic) {
  const ReplayBuffer buffer = make_buffer();
  const HerSampler sampler(HerStrategy::kFuture, 4, CountingReward{});
  TransitionBatch a, b;
  Rng r1(3), r2(3);
  sampler.sample(buffer, 256, r1, a);
  const float* o_data = a.o.data();
  const double* scratch_data = a.scratch.data();
  sampler.sample(buffer, 256, r1, a);
  EXPECT_EQ(a.o.data(), o_data);
  EXPECT_EQ(a.scratch.data(), scratch_data);

  sampler.sample(buffer, 256, r2, b);
  sampler.sample(buffer, 256, r2, b);
  EXPECT_EQ(a.o, b.o);
  EXPECT_EQ(a.g, b.g);
  EXPECT_EQ(a.r, b.r);
  EXPECT_EQ(a.relabelled, b.relabelled);
}

TEST(HerSampler, RefusesBadInput) {
  EXPECT_EQ(parse_her_strategy("future"), HerStrategy::kFuture);
  EXPECT_EQ(parse_her_strategy("final"), HerStrategy::kFinal);
  EXPECT_EQ(parse_her_strategy("none"), HerStrategy::kNone);
  EXPECT_THROW(parse_her_strategy("episode"), Error);
  EXPECT_THROW(HerSampler(HerStrategy::kFuture, -1, CountingReward{}), Error);
  EXPECT_THROW(HerSampler(HerStrategy::kFuture, 4, RewardFn{}), Error);

  const ReplayBuffer empty(kDims, 100);
  const HerSampler sampler(HerStrategy::kFuture, 4, CountingReward{});
  TransitionBatch batch;
  Rng rng(1);
  EXPECT_THROW(sampler.sample(empty, 8, rng, batch), Error);
}

}  // namespace hindsight::learn

namespace hindsight::learn {
namespace {

// One episode of 6 steps with 2-D achieved goals (value, step index); the reward looks at the value
// only (reached within 0.5), so a relabelled goal names its own step. Values 0 0 2 2 2 4 0: the goal is
// "not touched" across steps 0->1, 2->3 and 3->4.
ReplayBuffer trivial_buffer() {
  ReplayBuffer b(ReplayDims{.obs = 1, .goal = 2, .action = 1, .max_steps = 6}, 60);
  EpisodeData ep;
  ep.T = 6;
  const float values[] = {0, 0, 2, 2, 2, 4, 0};
  for (int t = 0; t <= 6; ++t) {
    ep.obs.push_back(float(t));
    ep.ag.insert(ep.ag.end(), {values[t], float(t)});
    if (t == 6) break;
    ep.g.insert(ep.g.end(), {0.0f, -1.0f});
    ep.actions.push_back(0.0f);
  }
  b.store(ep);
  return b;
}

void value_reward(std::span<const double> a, std::span<const double> d, std::span<double> out) {
  for (std::size_t k = 0; k < out.size(); ++k) out[k] = std::abs(a[2 * k] - d[2 * k]) < 0.5 ? 0.0 : -1.0;
}

struct TrivialCounts {
  int trivial = 0;            // relabelled with ag[t+1], already reached at t
  int next_moved = 0;         // relabelled with ag[t+1], not reached at t
  int longer_reached = 0;     // relabelled with a later goal that was already reached at t
  int real_reached = 0;       // original goal, already reached at t
};

TrivialCounts count(HerStrategy strategy, bool drop) {
  const ReplayBuffer b = trivial_buffer();
  const HerSampler s(strategy, 4, value_reward, drop);
  Rng rng(5);
  TransitionBatch batch;
  s.sample(b, 20000, rng, batch);
  TrivialCounts c;
  EXPECT_EQ(batch.n, 20000u);
  for (std::size_t k = 0; k < batch.n; ++k) {
    const int t = int(batch.o[k]);
    const bool reached_at_start = std::abs(batch.ag[2 * k] - batch.g[2 * k]) < 0.5f;
    if (!batch.relabelled[k]) {
      c.real_reached += reached_at_start ? 1 : 0;
      continue;
    }
    const int at = int(batch.g[2 * k + 1]);
    if (at == t + 1) {
      (reached_at_start ? c.trivial : c.next_moved) += 1;
    } else if (reached_at_start) {
      ++c.longer_reached;
    }
  }
  return c;
}

TEST(HacDropTrivialHindsight, DropsExactlyTheLengthOneAlreadyReachedRelabels) {
  const TrivialCounts keep = count(HerStrategy::kFuture, false);
  EXPECT_GT(keep.trivial, 1000);
  const TrivialCounts drop = count(HerStrategy::kFuture, true);
  EXPECT_EQ(drop.trivial, 0);
  EXPECT_GT(drop.next_moved, 500);      // length 1, but the goal moved: kept
  EXPECT_GT(drop.longer_reached, 500);  // reached at the start, but a longer hindsight goal: kept
  EXPECT_GT(drop.real_reached, 500);    // real goals are never dropped
  // "final" relabels with ag[T]: only the last step's relabel has length 1 (4 -> 0 moved), nothing drops.
  const TrivialCounts fin = count(HerStrategy::kFinal, true);
  EXPECT_EQ(fin.trivial, 0);
  EXPECT_EQ(count(HerStrategy::kFinal, false).longer_reached, fin.longer_reached);
}

}  // namespace
}  // namespace hindsight::learn
