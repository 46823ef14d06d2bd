#include "hindsight/core/float_mode.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <thread>

namespace hindsight {
namespace {

// Puts back the mode the thread had before the test, whatever the test did.
struct RestoreFloatModeAfter {
  bool flushed = denormals_flushed();
  ~RestoreFloatModeAfter() {
    if (flushed) {
      flush_denormals();
    } else {
      keep_denormals();
    }
  }
};

float times(float a, float b) {
  volatile float x = a, y = b;  // keep the compiler from folding the product
  return x * y;
}

TEST(FloatMode, DefaultKeepsDenormals) {
  RestoreFloatModeAfter restore;
  keep_denormals();
  EXPECT_FALSE(denormals_flushed());
  const float tiny = times(1e-30f, 1e-10f);  // 1e-40 is below FLT_MIN (1.18e-38): a denormal
  EXPECT_GT(tiny, 0.0f);
  EXPECT_EQ(std::fpclassify(tiny), FP_SUBNORMAL);
}

TEST(FloatMode, FlushTurnsDenormalResultsAndOperandsIntoZero) {
  RestoreFloatModeAfter restore;
  keep_denormals();
  const float denormal = times(1e-30f, 1e-10f);
  ASSERT_EQ(std::fpclassify(denormal), FP_SUBNORMAL);  // computed before the mode changes
  if (!flush_denormals()) GTEST_SKIP() << "this CPU has no flush-to-zero mode";
  EXPECT_TRUE(denormals_flushed());
  EXPECT_EQ(times(1e-30f, 1e-10f), 0.0f);  // FTZ: the result
  EXPECT_EQ(times(denormal, 1e30f), 0.0f);  // DAZ: the operand (kept, it would be 1e-10)
  EXPECT_EQ(times(std::numeric_limits<float>::min(), 1.0f), std::numeric_limits<float>::min());  // normals untouched
  keep_denormals();
  EXPECT_FALSE(denormals_flushed());
  EXPECT_GT(times(denormal, 1e30f), 0.0f);
}

TEST(FloatMode, ThreadsStartedAfterInheritTheMode) {
  RestoreFloatModeAfter restore;
  if (!flush_denormals()) GTEST_SKIP() << "this CPU has no flush-to-zero mode";
  bool child = false;
  std::thread([&] { child = denormals_flushed(); }).join();
  EXPECT_TRUE(child);
}

}  // namespace
}  // namespace hindsight
