// Checkpoint container: any bytes either parse into sections or throw one Error; sections that parse
// serialize back to a file with the same sections.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "hindsight/core/error.hpp"
#include "hindsight/io/checkpoint.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  try {
    const auto ckpt = hindsight::io::Checkpoint::parse(bytes, "fuzz.ckpt");
    const auto again = hindsight::io::Checkpoint::parse(ckpt.serialize(), "reserialized.ckpt");
    if (again.names() != ckpt.names()) __builtin_trap();
    for (const auto& name : ckpt.names()) {
      if (again.get(name) != ckpt.get(name)) __builtin_trap();
    }
  } catch (const hindsight::Error&) {
  }
  return 0;
}
