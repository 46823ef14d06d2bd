#include "hindsight/learn/fixed_replay.hpp"

#include <gtest/gtest.h>

#include "hindsight/core/error.hpp"

namespace hindsight::learn {
namespace {

constexpr ReplayDims kDims{.obs = 2, .goal = 1, .action = 1, .max_steps = 4};

FixedTransition make(float id) { return {{id, id}, {id + 1, id + 1}, {-id}, {0.5f}, -3.0f, 0.0f}; }

TEST(HacFixedReplay, EvictsWithTheEpisodeItWasStoredWith) {
  FixedReplay f(kDims);
  const FixedTransition e0[] = {make(0), make(1)};
  f.store(e0, 1);  // the level's buffer holds 1 episode: #0
  f.store({}, 2);  // #1 carries none
  const FixedTransition e2[] = {make(2)};
  f.store(e2, 2);  // the buffer dropped #0: its two go
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f.at(0).o, (std::vector<float>{2, 2}));
  EXPECT_EQ(f.episodes_seen(), 3u);
  f.store({}, 2);
  f.store({}, 2);
  EXPECT_EQ(f.size(), 0u);
  EXPECT_THROW(f.at(0), Error);
}

TEST(HacFixedReplay, SamplesRowsAsStored) {
  FixedReplay f(kDims);
  const FixedTransition one[] = {make(7)};
  f.store(one, 10);
  TransitionBatch b;
  b.o.resize(6);
  b.o2.resize(6);
  b.g.resize(3);
  b.u.resize(3);
  b.r.resize(3);
  b.ag.resize(3, 9.0f);
  b.ag2.resize(3, 9.0f);
  b.discount.resize(3, 1.0f);
  b.relabelled.resize(3, 1);
  Rng rng(1);
  f.sample_into(2, rng, b, 1);
  EXPECT_EQ(b.o, (std::vector<float>{0, 0, 7, 7, 7, 7}));
  EXPECT_EQ(b.o2, (std::vector<float>{0, 0, 8, 8, 8, 8}));
  EXPECT_EQ(b.g, (std::vector<float>{0, -7, -7}));
  EXPECT_EQ(b.r, (std::vector<float>{0, -3, -3}));
  EXPECT_EQ(b.discount, (std::vector<float>{1, 0, 0}));
  EXPECT_EQ(b.relabelled, (std::vector<unsigned char>{1, 0, 0}));
  EXPECT_THROW(f.sample_into(3, rng, b, 1), Error);  // no room
}

TEST(HacFixedReplay, SaveLoadRoundTripAndRefusesBadBytes) {
  FixedReplay f(kDims);
  const FixedTransition two[] = {make(1), make(2)};
  f.store(two, 5);
  f.store({}, 5);
  const std::string blob = f.save();
  FixedReplay g(kDims);
  g.load(blob, "test");
  EXPECT_EQ(g.size(), 2u);
  EXPECT_EQ(g.episodes_seen(), 2u);
  EXPECT_EQ(g.at(1).g, (std::vector<float>{-2}));
  EXPECT_EQ(g.save(), blob);

  EXPECT_THROW(g.load(blob.substr(0, blob.size() - 1), "test"), Error);
  EXPECT_THROW(g.load("nonsense", "test"), Error);
  FixedReplay other(ReplayDims{.obs = 3, .goal = 1, .action = 1, .max_steps = 4});
  EXPECT_THROW(other.load(blob, "test"), Error);
  EXPECT_EQ(g.size(), 2u);  // unchanged by the failed loads
  const FixedTransition wrong[] = {FixedTransition{{1}, {1}, {1}, {1}, 0, 0}};
  EXPECT_THROW(g.store(wrong, 1), Error);
}

}  // namespace
}  // namespace hindsight::learn
