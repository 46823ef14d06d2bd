// Replay buffer blob (a checkpoint's level/<i>/replay section): load() either throws one Error and leaves
// the buffer as it was, or holds the blob's episodes, which save() reproduces exactly while they fit.
// The buffer has the shape of the seed corpus: FetchReach (obs 10, goal 3, action 4, 50 steps).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "hindsight/core/error.hpp"
#include "hindsight/learn/replay_buffer.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static hindsight::learn::ReplayBuffer buffer({10, 3, 4, 50}, 500);
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const std::string before = buffer.save();
  try {
    buffer.load(bytes, "fuzz replay");
  } catch (const hindsight::Error&) {
    if (buffer.save() != before) __builtin_trap();
    return 0;
  }
  if (buffer.episodes() < buffer.capacity_episodes() && buffer.save() != bytes) __builtin_trap();
  return 0;
}
