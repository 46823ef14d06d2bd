#include "hindsight/core/finite.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <vector>

namespace hindsight {
namespace {

constexpr float kNanF = std::numeric_limits<float>::quiet_NaN();
constexpr float kInfF = std::numeric_limits<float>::infinity();
constexpr double kNan = std::numeric_limits<double>::quiet_NaN();

TEST(Finite, ExtremeButFiniteValuesPass) {
  const std::vector<float> f{0.0F, -0.0F, std::numeric_limits<float>::max(), -std::numeric_limits<float>::max(),
                             std::numeric_limits<float>::denorm_min(), 1e-30F};
  EXPECT_TRUE(all_finite(std::span<const float>(f)));
  const std::vector<double> d{std::numeric_limits<double>::max(), std::numeric_limits<double>::denorm_min()};
  EXPECT_TRUE(all_finite(std::span<const double>(d)));
  EXPECT_TRUE(all_finite(std::span<const float>()));
  EXPECT_FALSE(first_non_finite(std::span<const float>(f)).has_value());
}

TEST(Finite, EveryPositionAndKindIsFound) {
  // Lengths around vector widths, with the bad value at every position.
  for (std::size_t n : {1U, 7U, 8U, 9U, 33U}) {
    for (std::size_t at = 0; at < n; ++at) {
      for (const float bad : {kNanF, kInfF, -kInfF, -kNanF}) {
        std::vector<float> v(n, 1.5F);
        v[at] = bad;
        EXPECT_FALSE(all_finite(std::span<const float>(v))) << n << " " << at;
        EXPECT_EQ(first_non_finite(std::span<const float>(v)), at);
        std::vector<double> d(v.begin(), v.end());
        EXPECT_FALSE(all_finite(std::span<const double>(d)));
        EXPECT_EQ(first_non_finite(std::span<const double>(d)), at);
      }
    }
  }
}

TEST(Finite, NamesAndMessages) {
  EXPECT_EQ(non_finite_name(kNan), "NaN");
  EXPECT_EQ(non_finite_name(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(non_finite_name(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(non_finite_name(2.0), "finite");
  const int origin = 0;
  const std::vector<double> v{1.0, 2.0, -std::numeric_limits<double>::infinity(), kNan};
  try {
    check_finite(std::span<const double>(v), "critic gradient", &origin);
    FAIL();
  } catch (const NonFiniteError& e) {
    EXPECT_STREQ(e.what(), "critic gradient[2] is -Inf");
    EXPECT_EQ(e.origin(), &origin);
  }
  const std::vector<float> ok{1.0F};
  EXPECT_NO_THROW(check_finite(std::span<const float>(ok), "x"));
}

}  // namespace
}  // namespace hindsight
