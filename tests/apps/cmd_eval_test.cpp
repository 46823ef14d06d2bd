// `hindsight eval` as a user runs it: per-level success, then success_rate last.
#include <gtest/gtest.h>

#include "support/media.hpp"
#include "support/run_cli.hpp"

namespace hindsight::testing {
namespace {

TEST(CliEval, PrintsPerLevelSuccessAndSuccessRateLast) {
  const std::string dir = fresh_dir("eval_cli");
  const std::string run = train_tiny_run(dir + "/runs");
  const auto r = run_cli("eval '" + run + "' --episodes 3 --seed 4");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\nl0/success_rate="), std::string::npos) << r.out;
  const std::string last = last_line(r.out);
  ASSERT_EQ(last.rfind("success_rate=", 0), 0u) << r.out;
  // One level: its success is the env success.
  EXPECT_NE(r.out.find("l0/" + last + "\n"), std::string::npos) << r.out;
  EXPECT_EQ(run_cli("eval '" + run + "' --episodes 3 --seed 4").out, r.out) << "deterministic";
}

}  // namespace
}  // namespace hindsight::testing
