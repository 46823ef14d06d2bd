#include "hindsight/io/crc32.hpp"

#include <array>

namespace hindsight::io {
namespace {

// table[b] = CRC of the single byte b, so the main loop consumes a byte per lookup instead of 8 shifts.
constexpr std::array<std::uint32_t, 256> make_table(std::uint32_t poly) {
  std::array<std::uint32_t, 256> table{};
  for (std::uint32_t b = 0; b < 256; ++b) {
    std::uint32_t c = b;
    for (int k = 0; k < 8; ++k) c = (c & 1U) ? (c >> 1) ^ poly : c >> 1;
    table[b] = c;
  }
  return table;
}

constexpr std::array<std::uint32_t, 256> kTable = make_table(0xEDB88320U);
constexpr std::array<std::uint32_t, 256> kTableC = make_table(0x82F63B78U);

// The register is kept inverted between calls (pre- and post-conditioning), which is what makes
// crc(b, crc(a)) == crc(a + b).
std::uint32_t reflected_crc(const std::array<std::uint32_t, 256>& table, std::string_view bytes,
                            std::uint32_t crc) {
  std::uint32_t c = ~crc;
  for (const char ch : bytes) c = table[(c ^ static_cast<unsigned char>(ch)) & 0xFFU] ^ (c >> 8);
  return ~c;
}

}  // namespace

std::uint32_t crc32(std::string_view bytes, std::uint32_t crc) { return reflected_crc(kTable, bytes, crc); }

std::uint32_t crc32c(std::string_view bytes, std::uint32_t crc) { return reflected_crc(kTableC, bytes, crc); }

}  // namespace hindsight::io
