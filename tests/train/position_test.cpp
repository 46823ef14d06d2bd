#include "hindsight/train/position.hpp"

#include <gtest/gtest.h>

namespace hindsight::train {
namespace {

TEST(Position, NamesEpochCycleAndIndexThatApply) {
  EXPECT_EQ((Position{"update", 3, 12, 7}.describe()), "epoch 3 cycle 12 update 7");
  EXPECT_EQ((Position{"test episode", 3, 0, 2}.describe()), "epoch 3 test episode 2");
  EXPECT_EQ((Position{"demonstration episode", 0, 0, 4}.describe()), "demonstration episode 4");
  EXPECT_EQ(Position{}.describe(), "start 0");
}

}  // namespace
}  // namespace hindsight::train
