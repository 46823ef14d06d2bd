// DDPG learner state (a checkpoint's level/<i>/learner section): decoding either throws one Error or gives a
// state that encodes back to exactly the same bytes (the format is canonical). The expected shape is the
// seed corpus's: FetchReach (10 + 3 inputs, 4 actions), hidden [4], target networks.
#include <cstddef>
#include <cstdint>
#include <string>

#include "hindsight/core/error.hpp"
#include "hindsight/learn/ddpg_state.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const hindsight::learn::DdpgShape shape{13, 4, {4}, true, false};
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  try {
    const auto state = hindsight::learn::decode_ddpg_state(bytes, shape);
    if (hindsight::learn::encode_ddpg_state(state) != bytes) __builtin_trap();
  } catch (const hindsight::Error&) {
  }
  return 0;
}
