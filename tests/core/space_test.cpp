#include "hindsight/core/space.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "hindsight/core/error.hpp"

namespace hindsight {
namespace {

TEST(Box, ContainsClipSample) {
  const Box b{{-1.0, 0.0}, {1.0, 2.0}};
  EXPECT_TRUE(b.contains(std::vector<double>{0.0, 2.0}));
  EXPECT_FALSE(b.contains(std::vector<double>{0.0, 2.1}));
  EXPECT_FALSE(b.contains(std::vector<double>{std::nan(""), 1.0}));
  EXPECT_FALSE(b.contains(std::vector<double>{0.0}));
  std::vector<double> out(2);
  b.clip(std::vector<double>{-5.0, 5.0}, out);
  EXPECT_EQ(out, (std::vector<double>{-1.0, 2.0}));
  Rng rng(1);
  for (int i = 0; i < 100; ++i) EXPECT_TRUE(b.contains(b.sample(rng)));
  const Box inf = Box::uniform(1, -std::numeric_limits<double>::infinity(), 0.0);
  EXPECT_THROW(inf.sample(rng), Error);
}

}  // namespace
}  // namespace hindsight
