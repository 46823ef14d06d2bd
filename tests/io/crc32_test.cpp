#include "hindsight/io/crc32.hpp"

#include <gtest/gtest.h>

#include <string>

namespace hindsight::io {
namespace {

// Suite named Checkpoint* because the checksum exists for checkpoints (and runs with their tests).
TEST(CheckpointCrc32, MatchesTheStandardCheckValues) {
  EXPECT_EQ(crc32("123456789"), 0xCBF43926U);
  EXPECT_EQ(crc32(""), 0x00000000U);
  EXPECT_EQ(crc32("The quick brown fox jumps over the lazy dog"), 0x414FA339U);
  EXPECT_EQ(crc32(std::string(1, '\0')), 0xD202EF8DU);
}

TEST(CheckpointCrc32, ContinuingARunningChecksumEqualsOnePass) {
  const std::string text = "hindsight experience replay";
  for (std::size_t cut = 0; cut <= text.size(); ++cut) {
    EXPECT_EQ(crc32(text.substr(cut), crc32(text.substr(0, cut))), crc32(text)) << cut;
  }
}

// CRC-32C exists for TensorBoard's TFRecord framing; check values from RFC 3720 (iSCSI) B.4 and the
// catalogue of CRC algorithms.
TEST(TbEventsCrc32c, MatchesTheStandardCheckValues) {
  EXPECT_EQ(crc32c("123456789"), 0xE3069283U);
  EXPECT_EQ(crc32c(""), 0x00000000U);
  EXPECT_EQ(crc32c(std::string(32, '\0')), 0x8A9136AAU);
  EXPECT_EQ(crc32c(std::string(32, '\xFF')), 0x62A8AB43U);
}

TEST(TbEventsCrc32c, ContinuingARunningChecksumEqualsOnePass) {
  const std::string text = "hierarchical actor-critic";
  for (std::size_t cut = 0; cut <= text.size(); ++cut) {
    EXPECT_EQ(crc32c(text.substr(cut), crc32c(text.substr(0, cut))), crc32c(text)) << cut;
  }
}

}  // namespace
}  // namespace hindsight::io
