// `hindsight eval` as a user runs it: per-level success, then success_rate last.
#include <gtest/gtest.h>

#include <fstream>

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

TEST(CliEval, ScoresChosenGoalsOneLineEachThenTheOverallRate) {
  const std::string dir = fresh_dir("eval_cli_goals");
  const std::string run = train_tiny_run(dir + "/runs");
  const std::string goals = dir + "/goals.txt";
  {
    std::ofstream f(goals);
    f << "# two more\n1.30,0.70,0.45\n1.4 0.8 0.6\n";
  }
  const auto r = run_cli("eval '" + run + "' --goal 1.342,0.749,0.535 --goal=1.2,0.6,0.5 --goals '" + goals +
                         "' --episodes 3");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("goals=4 episodes_per_goal=3"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\ngoal[0]=1.342,0.749,0.535 success_rate="), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\ngoal[3]=1.4,0.8,0.6 success_rate="), std::string::npos) << r.out;
  EXPECT_EQ(last_line(r.out).rfind("success_rate=", 0), 0u) << r.out;
  const auto bad = run_cli("eval '" + run + "' --goal 1,2");
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_EQ(line_count(bad.err), 1) << bad.err;
  EXPECT_NE(bad.err.find("--goal '1,2': 2 values, the task's goals have 3"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace hindsight::testing
