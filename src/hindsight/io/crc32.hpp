#pragma once
// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320): the checksum of zlib, PNG and gzip, so
// checkpoint sections can be checked with standard tools too.
#include <cstdint>
#include <string_view>

namespace hindsight::io {

// CRC-32 of bytes; pass a previous result as crc to continue a running checksum over several pieces.
std::uint32_t crc32(std::string_view bytes, std::uint32_t crc = 0);

}  // namespace hindsight::io
