#include "hindsight/learn/replay_buffer.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <functional>

#include "hindsight/core/error.hpp"

namespace hindsight::learn {
namespace {

constexpr ReplayDims kDims{.obs = 3, .goal = 2, .action = 1, .max_steps = 5};

// An episode of length T whose every value encodes (id, field, row, column), so misplaced data shows.
EpisodeData make_episode(int id, int T, const ReplayDims& d = kDims) {
  EpisodeData ep;
  ep.T = T;
  const auto fill = [&](std::vector<float>& v, int rows, int width, int field) {
    for (int r = 0; r < rows; ++r) {
      for (int c = 0; c < width; ++c) v.push_back(static_cast<float>(id * 10000 + field * 1000 + r * 10 + c));
    }
  };
  fill(ep.obs, T + 1, d.obs, 1);
  fill(ep.ag, T + 1, d.goal, 2);
  fill(ep.g, T, d.goal, 3);
  fill(ep.actions, T, d.action, 4);
  return ep;
}

void expect_episode(const ReplayBuffer& b, std::size_t i, const EpisodeData& ep) {
  ASSERT_EQ(b.length(i), ep.T) << "episode " << i;
  const auto same = [](std::span<const float> got, const std::vector<float>& want) {
    return std::equal(got.begin(), got.end(), want.begin(), want.end());
  };
  EXPECT_TRUE(same(b.obs(i), ep.obs)) << "episode " << i;
  EXPECT_TRUE(same(b.ag(i), ep.ag)) << "episode " << i;
  EXPECT_TRUE(same(b.g(i), ep.g)) << "episode " << i;
  EXPECT_TRUE(same(b.actions(i), ep.actions)) << "episode " << i;
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(ReplayBuffer, CapacityIsInTransitionsRoundedToWholeEpisodes) {
  const ReplayBuffer b(kDims, 17);  // 3 episodes of up to 5 steps
  EXPECT_EQ(b.capacity_episodes(), 3u);
  EXPECT_EQ(b.capacity_transitions(), 15u);
  EXPECT_EQ(b.episodes(), 0u);
  EXPECT_EQ(b.transitions(), 0u);
  EXPECT_THROW(ReplayBuffer(kDims, 4), Error);  // not even one episode
  EXPECT_THROW(ReplayBuffer(ReplayDims{.obs = 3, .goal = 0, .action = 1, .max_steps = 5}, 100), Error);
}

TEST(ReplayBuffer, RingOverwritesOldestAndTracksVariableLengths) {
  ReplayBuffer b(kDims, 15);
  const int lengths[] = {5, 2, 4, 1, 3, 5, 2};
  std::vector<EpisodeData> eps;
  for (int id = 0; id < 7; ++id) eps.push_back(make_episode(id, lengths[id]));

  for (int id = 0; id < 3; ++id) b.store(eps[id]);
  EXPECT_EQ(b.episodes(), 3u);
  EXPECT_EQ(b.transitions(), 11u);
  for (std::size_t i = 0; i < 3; ++i) expect_episode(b, i, eps[i]);

  // Each further episode evicts the oldest; index 0 is always the oldest still held.
  for (int id = 3; id < 7; ++id) {
    b.store(eps[id]);
    EXPECT_EQ(b.episodes(), 3u);
    std::size_t want_transitions = 0;
    for (int k = 0; k < 3; ++k) {
      expect_episode(b, static_cast<std::size_t>(k), eps[id - 2 + k]);
      want_transitions += static_cast<std::size_t>(lengths[id - 2 + k]);
    }
    EXPECT_EQ(b.transitions(), want_transitions) << "after storing " << id;
  }
  EXPECT_THROW(b.length(3), Error);

  b.clear();
  EXPECT_EQ(b.episodes(), 0u);
  EXPECT_EQ(b.transitions(), 0u);
  b.store(eps[6]);
  expect_episode(b, 0, eps[6]);
}

TEST(ReplayBuffer, StoreRejectsMalformedEpisodes) {
  ReplayBuffer b(kDims, 50);
  EXPECT_THROW(b.store(make_episode(0, 0)), Error);
  EXPECT_THROW(b.store(make_episode(0, 6)), Error);  // longer than max_steps
  auto ep = make_episode(0, 3);
  ep.obs.pop_back();
  EXPECT_NE(error_of([&] { b.store(ep); }).find("'obs'"), std::string::npos);
  ep = make_episode(0, 3);
  ep.g.push_back(0.0f);
  EXPECT_NE(error_of([&] { b.store(ep); }).find("'g'"), std::string::npos);
  ep = make_episode(0, 3);
  ep.actions.clear();
  EXPECT_NE(error_of([&] { b.store(ep); }).find("'actions'"), std::string::npos);
  EXPECT_EQ(b.episodes(), 0u);
}

TEST(ReplayBuffer, SaveLoadRoundTripsWrappedContents) {
  ReplayBuffer b(kDims, 15);
  std::vector<EpisodeData> eps;
  for (int id = 0; id < 5; ++id) eps.push_back(make_episode(id, 1 + id % 5));
  for (const auto& ep : eps) b.store(ep);  // wrapped: holds episodes 2, 3, 4
  const std::string blob = b.save();

  ReplayBuffer c(kDims, 15);
  c.store(make_episode(99, 2));  // replaced by the load
  c.load(blob, "ckpt");
  EXPECT_EQ(c.episodes(), 3u);
  EXPECT_EQ(c.transitions(), b.transitions());
  for (std::size_t i = 0; i < 3; ++i) expect_episode(c, i, eps[i + 2]);
  EXPECT_EQ(c.save(), blob);

  // The ring keeps working after a load: the next store evicts the oldest loaded episode.
  c.store(make_episode(7, 4));
  expect_episode(c, 0, eps[3]);
  expect_episode(c, 2, make_episode(7, 4));

  // A smaller buffer keeps the newest episodes.
  ReplayBuffer small(kDims, 10);
  small.load(blob, "ckpt");
  EXPECT_EQ(small.episodes(), 2u);
  expect_episode(small, 0, eps[3]);
  expect_episode(small, 1, eps[4]);

  ReplayBuffer empty(kDims, 15);
  ReplayBuffer empty_back(kDims, 15);
  empty_back.load(empty.save(), "ckpt");
  EXPECT_EQ(empty_back.episodes(), 0u);
}

TEST(ReplayBuffer, LoadRefusesTruncatedCorruptOrMismatchedData) {
  ReplayBuffer b(kDims, 15);
  for (int id = 0; id < 3; ++id) b.store(make_episode(id, 3));
  const std::string blob = b.save();

  ReplayBuffer c(kDims, 15);
  c.store(make_episode(42, 2));
  // Every proper prefix is refused, and the buffer keeps its contents.
  for (std::size_t cut :
       {std::size_t{0}, std::size_t{5}, std::size_t{30}, blob.size() / 2, blob.size() - 1}) {
    const std::string msg = error_of([&] { c.load(std::string_view(blob).substr(0, cut), "run/ckpt.bin"); });
    EXPECT_NE(msg.find("run/ckpt.bin"), std::string::npos) << cut << ": " << msg;
    if (cut >= 8) {
      EXPECT_NE(msg.find("truncated"), std::string::npos) << cut << ": " << msg;
    }
  }
  ASSERT_EQ(c.episodes(), 1u);
  expect_episode(c, 0, make_episode(42, 2));

  std::string bad_magic = blob;
  bad_magic[0] = 'X';
  EXPECT_NE(error_of([&] { c.load(bad_magic, "f"); }).find("bad magic"), std::string::npos);
  EXPECT_NE(error_of([&] { c.load(blob + "x", "f"); }).find("unexpected bytes"), std::string::npos);
  ReplayBuffer other(ReplayDims{.obs = 4, .goal = 2, .action = 1, .max_steps = 5}, 15);
  EXPECT_NE(error_of([&] { other.load(blob, "f"); }).find("differ"), std::string::npos);

  // A corrupt episode length (first episode header right after the 36-byte file header).
  std::string bad_len = blob;
  const std::int32_t huge = 1000;
  std::memcpy(bad_len.data() + 36, &huge, sizeof(huge));
  EXPECT_NE(error_of([&] { c.load(bad_len, "f"); }).find("length 1000"), std::string::npos);
}

}  // namespace hindsight::learn

namespace hindsight::learn {

// Storing must not copy the held episodes each time (it once reserved 2x the held slots per episode, and
// a reserve above the allocation reallocates to exactly that size, so every store copied the whole
// buffer): the oldest episode's storage may move at most log2(episodes) times (today: never, the capacity
// is reserved at the first store), whether filled by store() or load().
TEST(ReplayBuffer, StoringEpisodesReallocatesOnlyLogarithmicallyOften) {
  const std::size_t n = 4096;
  ReplayBuffer b(kDims, n * static_cast<std::size_t>(kDims.max_steps));
  const auto moves_while_filling = [&](ReplayBuffer& buf, const std::function<void(std::size_t)>& add) {
    int moves = 0;
    const float* where = nullptr;
    for (std::size_t k = 0; k < n; ++k) {
      add(k);
      const float* now = buf.obs(0).data();
      if (now != where) ++moves;
      where = now;
    }
    return moves;
  };
  const int moves = moves_while_filling(b, [&](std::size_t k) { b.store(make_episode(static_cast<int>(k), 1 + k % 5)); });
  EXPECT_LE(moves, 14) << "episodes stored: " << n;  // log2(4096) + 1 = 13 doublings, plus the first store
  EXPECT_EQ(b.episodes(), n);
  // A cleared buffer keeps its allocation: refilling it moves nothing.
  b.clear();
  const int refill = moves_while_filling(b, [&](std::size_t k) { b.store(make_episode(static_cast<int>(k), 5)); });
  EXPECT_EQ(refill, 1);
  // Loading a full buffer allocates once.
  ReplayBuffer c(kDims, n * static_cast<std::size_t>(kDims.max_steps));
  c.load(b.save(), "test");
  const auto lowest = [&] {
    const float* p = c.obs(0).data();
    for (std::size_t i = 0; i < c.episodes(); ++i) p = std::min(p, c.obs(i).data());
    return p;
  };
  const float* base = lowest();
  for (int k = 0; k < 10; ++k) c.store(make_episode(k, 5));  // the ring wraps: no growth, no move
  EXPECT_EQ(lowest(), base);
  EXPECT_EQ(c.episodes(), n);
}

}  // namespace hindsight::learn
