#pragma once
// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320): the checksum of zlib, PNG and gzip, so
// checkpoint sections can be checked with standard tools too.
// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78): the checksum of TFRecord framing, which
// TensorBoard's event files use (io/tb_events).
#include <cstdint>
#include <string_view>

namespace hindsight::io {

// CRC-32 of bytes; pass a previous result as crc to continue a running checksum over several pieces.
std::uint32_t crc32(std::string_view bytes, std::uint32_t crc = 0);
// CRC-32C of bytes; pass a previous result as crc to continue a running checksum over several pieces.
std::uint32_t crc32c(std::string_view bytes, std::uint32_t crc = 0);

}  // namespace hindsight::io
