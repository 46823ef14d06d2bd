#pragma once
// The bytes of a DdpgLearner's state (DdpgLearner::save/load), kept free of LibTorch so that the parser
// of these untrusted bytes can be tested and fuzzed on its own. Layout (host byte order, little-endian):
//   "hindsight-ddpg-v1\n"
//   i64 input, i64 action, i64 hidden layer count, i64 hidden[count], u8 target networks, u8 bounded critic
//   i64 actor Adam steps, i64 critic Adam steps
//   f32 values[shape.values()]   networks in DdpgLearner's flat layout, then Adam m, v of actor and critic
//   u64 FNV-1a of every byte above
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace hindsight::learn {

// What a learner's networks look like; a state loads only into a learner of the same shape.
struct DdpgShape {
  std::int64_t input = 0, action = 0;
  std::vector<std::int64_t> hidden;
  bool target_networks = false, bounded_critic = false;

  // Floats in a state of this shape: actor and critic (twice with target networks), plus Adam's m and v.
  std::size_t values() const;
  // "input 13, action 4, hidden [4], target networks on, bounded critic off", for messages.
  std::string describe() const;
  bool operator==(const DdpgShape&) const = default;
};

struct DdpgState {
  DdpgShape shape;
  std::int64_t actor_step = 0, critic_step = 0;
  std::vector<float> values;  // shape.values() floats
};

// The bytes of state.
std::string encode_ddpg_state(const DdpgState& state);
// Parses bytes written for a learner of shape expected; throws one-line Error ("ddpg checkpoint: ...") on
// another shape, a wrong length, a checksum mismatch, negative step counts or non-finite values.
DdpgState decode_ddpg_state(const std::string& bytes, const DdpgShape& expected);

}  // namespace hindsight::learn
