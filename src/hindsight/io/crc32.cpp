#include "hindsight/io/crc32.hpp"

#include <array>

namespace hindsight::io {
namespace {

// table[b] = CRC of the single byte b, so the main loop consumes a byte per lookup instead of 8 shifts.
constexpr std::array<std::uint32_t, 256> make_table() {
  std::array<std::uint32_t, 256> table{};
  for (std::uint32_t b = 0; b < 256; ++b) {
    std::uint32_t c = b;
    for (int k = 0; k < 8; ++k) c = (c & 1U) ? (c >> 1) ^ 0xEDB88320U : c >> 1;
    table[b] = c;
  }
  return table;
}

constexpr std::array<std::uint32_t, 256> kTable = make_table();

}  // namespace

std::uint32_t crc32(std::string_view bytes, std::uint32_t crc) {
  // The register is kept inverted between calls (pre- and post-conditioning), which is what makes
  // crc32(b, crc32(a)) == crc32(a + b).
  std::uint32_t c = ~crc;
  for (const char ch : bytes) c = kTable[(c ^ static_cast<unsigned char>(ch)) & 0xFFU] ^ (c >> 8);
  return ~c;
}

}  // namespace hindsight::io
