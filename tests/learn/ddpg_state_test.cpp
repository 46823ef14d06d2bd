#include "hindsight/learn/ddpg_state.hpp"

#include <gtest/gtest.h>

#include <limits>

#include "hindsight/core/error.hpp"

namespace hindsight::learn {
namespace {

DdpgState sample() {
  DdpgState s;
  s.shape = DdpgShape{3, 2, {4}, true, false};
  s.actor_step = 7;
  s.critic_step = 9;
  for (std::size_t i = 0; i < s.shape.values(); ++i) s.values.push_back(0.25F * static_cast<float>(i));
  return s;
}

std::string error_of(const std::string& bytes, const DdpgShape& shape) {
  try {
    decode_ddpg_state(bytes, shape);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(DdpgState, SizesFollowTheShape) {
  // Actor 3-4-2: 4*4 + 2*5 = 26; critic 5-4-1: 4*6 + 1*5 = 29; twice with targets, plus m and v.
  EXPECT_EQ((DdpgShape{3, 2, {4}, true, false}.values()), (26u + 29u) * 4u);
  EXPECT_EQ((DdpgShape{3, 2, {4}, false, false}.values()), (26u + 29u) * 3u);
  EXPECT_EQ((DdpgShape{3, 2, {4, 5}, true, true}.describe()),
            "input 3, action 2, hidden [4,5], target networks on, bounded critic on");
}

TEST(DdpgState, RoundTripsExactly) {
  const DdpgState s = sample();
  const std::string bytes = encode_ddpg_state(s);
  const DdpgState back = decode_ddpg_state(bytes, s.shape);
  EXPECT_EQ(back.shape, s.shape);
  EXPECT_EQ(back.actor_step, 7);
  EXPECT_EQ(back.critic_step, 9);
  EXPECT_EQ(back.values, s.values);
  EXPECT_TRUE(encode_ddpg_state(back) == bytes);
}

TEST(DdpgState, EveryDamageIsOneErrorLine) {
  const DdpgState s = sample();
  const std::string bytes = encode_ddpg_state(s);
  EXPECT_EQ(error_of("PK\x03\x04", s.shape), "ddpg checkpoint: not a DDPG learner checkpoint");
  for (std::size_t n = 0; n < bytes.size(); n += 7) EXPECT_NE(error_of(bytes.substr(0, n), s.shape), "") << n;
  EXPECT_NE(error_of(bytes + "x", s.shape).find("truncated or oversized"), std::string::npos);
  std::string flipped = bytes;
  flipped[bytes.size() - 20] ^= 0x01;
  EXPECT_EQ(error_of(flipped, s.shape), "ddpg checkpoint: checksum mismatch");
  DdpgShape other = s.shape;
  other.hidden = {5};
  EXPECT_NE(error_of(bytes, other).find("saved networks (input 3, action 2, hidden [4]"), std::string::npos);
  DdpgState bad = s;
  bad.actor_step = -1;
  EXPECT_EQ(error_of(encode_ddpg_state(bad), s.shape), "ddpg checkpoint: negative Adam step count");
  bad = s;
  bad.values[3] = std::numeric_limits<float>::infinity();
  EXPECT_EQ(error_of(encode_ddpg_state(bad), s.shape), "ddpg checkpoint: parameters or Adam state hold NaN or Inf");
  bad = s;
  bad.values.pop_back();
  EXPECT_THROW(encode_ddpg_state(bad), Error);
}

}  // namespace
}  // namespace hindsight::learn
