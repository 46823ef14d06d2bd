#include "hindsight/core/stats.hpp"

#include <gtest/gtest.h>

#include "hindsight/core/error.hpp"

namespace hindsight {
namespace {

TEST(WilsonInterval, MatchesHandComputedValues) {
  // 90 of 100 at z = 1.96: centre (0.9 + 0.019208) / 1.038416 = 0.885, half-width
  // 1.96 / 1.038416 * sqrt(0.0009 + 0.000096) = 0.0596 (Wilson 1927; also any statistics table).
  const auto [lo, hi] = wilson_interval(90, 100);
  EXPECT_NEAR(lo, 0.8256, 1e-4);
  EXPECT_NEAR(hi, 0.9448, 1e-4);
}

TEST(WilsonInterval, IsNotEmptyAtTheEnds) {
  const auto [lo0, hi0] = wilson_interval(0, 10);
  EXPECT_DOUBLE_EQ(lo0, 0.0);
  EXPECT_NEAR(hi0, 0.2775, 1e-4);  // 3.8416 / 13.8416
  const auto [lo1, hi1] = wilson_interval(10, 10);
  EXPECT_NEAR(lo1, 1.0 - 0.2775, 1e-4);
  EXPECT_DOUBLE_EQ(hi1, 1.0);
}

TEST(WilsonInterval, TenEpisodesCannotTellNinetyFromAHundredPercent) {
  const auto [lo, hi] = wilson_interval(9, 10);
  EXPECT_LT(lo, 0.6);
  EXPECT_GT(hi, 0.98);
}

TEST(WilsonInterval, RejectsImpossibleCounts) {
  EXPECT_THROW(wilson_interval(1, 0), Error);
  EXPECT_THROW(wilson_interval(-1, 5), Error);
  EXPECT_THROW(wilson_interval(6, 5), Error);
}

}  // namespace
}  // namespace hindsight
