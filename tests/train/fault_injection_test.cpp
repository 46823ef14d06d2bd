#include "hindsight/train/fault_injection.hpp"

#include <gtest/gtest.h>

#include "hindsight/core/error.hpp"
#include "hindsight/train/comm.hpp"
#include "support/test_support.hpp"

namespace hindsight::train {
namespace {

TEST(FaultInjection, StrikesOnlyTheNamedRank) {
  EXPECT_EQ(parse_fault("1:throw", 1), Fault::kThrow);
  EXPECT_EQ(parse_fault("1:throw", 0), Fault::kNone);
  EXPECT_EQ(parse_fault("0:nan", 0), Fault::kNan);
  EXPECT_EQ(parse_fault("12:kill", 12), Fault::kKill);
  EXPECT_EQ(parse_fault("", 0), Fault::kNone);
}

TEST(FaultInjection, MalformedSpecIsOneClearError) {
  for (const char* bad : {"throw", "1:", ":nan", "x:nan", "1:explode", "-1:kill", "1234567890:nan"}) {
    EXPECT_NE(testing::error_of([&] { parse_fault(bad, 0); }).find("expected RANK:KIND"), std::string::npos) << bad;
  }
}

TEST(FaultInjection, ThrowKindThrowsAndNoneDoesNothing) {
  LocalComm comm;
  RankSync sync(comm);
  EXPECT_NO_THROW(inject_fault(Fault::kNone, sync));
  EXPECT_THROW(inject_fault(Fault::kThrow, sync), Error);
}

}  // namespace
}  // namespace hindsight::train
