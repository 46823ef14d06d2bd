#include "hindsight/train/progress_bar.hpp"

#include <gtest/gtest.h>

namespace hindsight::train {
namespace {

TEST(ProgressBar, FormatsDurations) {
  EXPECT_EQ(format_duration(12.4), "12s");
  EXPECT_EQ(format_duration(185), "3m05s");
  EXPECT_EQ(format_duration(3725), "1h02m");
  EXPECT_EQ(format_duration(-1), "?");
}

TEST(ProgressBar, DisabledBarPrintsNothing) {
  ::testing::internal::CaptureStderr();
  ProgressBar bar("x", 10, false);
  bar.update(5);
  bar.finish();
  EXPECT_EQ(::testing::internal::GetCapturedStderr(), "");
  ::testing::internal::CaptureStderr();
  ProgressBar on("work", 4, true);
  on.finish("done");
  const std::string s = ::testing::internal::GetCapturedStderr();
  EXPECT_NE(s.find("work"), std::string::npos);
  EXPECT_NE(s.find("4/4"), std::string::npos);
  EXPECT_NE(s.find("eta"), std::string::npos);
}

}  // namespace
}  // namespace hindsight::train
