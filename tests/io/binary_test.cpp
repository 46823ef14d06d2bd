#include "hindsight/io/binary.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "support/test_support.hpp"

namespace hindsight::io {
namespace {

using hindsight::testing::error_of;

TEST(Binary, ValuesAndFloatsRoundTrip) {
  std::string blob;
  put<std::int32_t>(blob, -7);
  put<std::uint64_t>(blob, std::numeric_limits<std::uint64_t>::max());
  const std::vector<float> f{1.5f, -0.25f, 3e38f};
  put_floats(blob, f);
  put(blob, 2.5);
  ASSERT_EQ(blob.size(), 4u + 8u + 12u + 8u);

  BinaryReader r(blob, "blob");
  EXPECT_EQ(r.get<std::int32_t>(), -7);
  EXPECT_EQ(r.get<std::uint64_t>(), std::numeric_limits<std::uint64_t>::max());
  std::vector<float> back;
  r.floats(back, 3);
  EXPECT_EQ(back, f);
  EXPECT_FALSE(r.done());
  EXPECT_EQ(r.get<double>(), 2.5);
  EXPECT_TRUE(r.done());
  EXPECT_EQ(r.position(), blob.size());
}

TEST(Binary, ReadingPastTheEndNamesTheBlobAndTheOffset) {
  std::string blob;
  put<std::int32_t>(blob, 1);
  put<std::int16_t>(blob, 2);
  BinaryReader r(blob, "x.ckpt: replay data");
  r.get<std::int32_t>();
  EXPECT_EQ(error_of([&] { r.get<std::int64_t>(); }), "x.ckpt: replay data truncated at byte 4 of 6 (needed 6 more)");
  EXPECT_EQ(r.position(), 4u) << "a failed read consumes nothing";
  EXPECT_EQ(r.get<std::int16_t>(), 2);
}

TEST(Binary, AHugeFloatCountIsRefusedBeforeAnyAllocation) {
  const std::string blob(16, '\0');
  BinaryReader r(blob, "blob");
  std::vector<float> v{1.0f};
  EXPECT_EQ(error_of([&] { r.floats(v, std::size_t{1} << 60); }),
            "blob truncated at byte 0 of 16 (needed 1152921504606846976 floats)");
  EXPECT_EQ(v, std::vector<float>{1.0f}) << "left unchanged";
}

TEST(Binary, AStartBeyondTheEndIsTruncation) {
  EXPECT_EQ(error_of([] { BinaryReader r("abc", "blob", 8); }), "blob truncated: 3 bytes, its header needs 8");
  BinaryReader r("abcdefgh", "blob", 8);
  EXPECT_TRUE(r.done());
}

}  // namespace
}  // namespace hindsight::io
