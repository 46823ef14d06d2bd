// bench/step_traces.sh on hand-made `eval --steps-csv` files whose figures are worked out below.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "support/run_cli.hpp"
#include "support/test_support.hpp"

namespace hindsight {
namespace {

using testing::run_shell;

const std::string kScript = std::string(HINDSIGHT_BENCH_DIR) + "/step_traces.sh";

std::string write_csv(const std::string& dir, const std::string& name, const std::string& text) {
  const std::string path = dir + "/" + name;
  std::ofstream(path) << text;
  return path;
}

// The goal is at x = 0.1 in every episode; only x moves.
//   0 kept:    enters at 0.06 (moved 0.06), ends at 0.08: travel 0.02, final 0.02.
//   1 lost:    enters at 0.08 (moved 0.08), leaves to 0.17 (moved 0.09): travel 0.09, final 0.07; the gripper
//              stays at 0, so it is 0.08 then 0.17 from the block: it slides.
//   2 never at the goal.
//   3 lost:    starts inside the window (no entry speed), pushed from 0.1 to 0.21 with the gripper 0.05 then
//              0.04 behind it: travel 0.11, final 0.11, moved 0.11 leaving.
// Level 1's subgoal in the step before entry: 0.15 from the gripper in episode 0 (0.1 against -0.05), 0.05 in
// episode 1 ((0.04, 0.03, 0) against the origin): median 0.10 over 2 episodes.
const char* kHierarchy =
    "episode,step,success,ag_0,ag_1,ag_2,g_0,g_1,g_2,s_0,s_1,s_2,l1_0,l1_1,l1_2\n"
    "0,1,0,0,0,0,0.1,0,0,-0.05,0,0,0.1,0,0\n"
    "0,2,1,0.06,0,0,0.1,0,0,0,0,0,0,0,0\n"
    "0,3,1,0.08,0,0,0.1,0,0,0,0,0,0,0,0\n"
    "1,1,0,0,0,0,0.1,0,0,0,0,0,0.04,0.03,0\n"
    "1,2,1,0.08,0,0,0.1,0,0,0,0,0,0,0,0\n"
    "1,3,0,0.17,0,0,0.1,0,0,0,0,0,0,0,0\n"
    "2,1,0,0,0,0,0.1,0,0,0,0,0,0,0,0\n"
    "2,2,0,0,0,0,0.1,0,0,0,0,0,0,0,0\n"
    "3,1,1,0.1,0,0,0.1,0,0,0.05,0,0,0,0,0\n"
    "3,2,0,0.21,0,0,0.1,0,0,0.17,0,0,0,0,0\n";

TEST(StepTraces, CountsAndMediansOfKeptAndLostEpisodes) {
  const std::string dir = testing::test_dir();
  const std::string f = write_csv(dir, "traces_hac.csv", kHierarchy);
  const auto r = run_shell("bash " + kScript + " " + f);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, f + ": episodes 4, reached 3, kept 1, lost 2\n"
                       "  entry speed (m per step): median 0.070 over 2 episodes\n"
                       "  level 1 subgoal in the step before entry: median 0.100 m from the gripper over 2 episodes\n"
                       "  kept: travel after entry median 0.020, final distance median 0.020\n"
                       "  lost: travel after entry median 0.100, final distance median 0.090 (0.070-0.110), "
                       "move when leaving 0.090-0.110\n"
                       "  lost: slides 1, pushed 1\n"
                       "  lifted more than 0.025: 0 episodes\n");
}

TEST(StepTraces, SumsFilesAndLeavesTheGripperOutForAFlatAgent) {
  const std::string dir = testing::test_dir();
  const std::string a = write_csv(dir, "traces_a.csv", kHierarchy);
  // A flat agent's file: no s_* columns. One lost episode in 3-D: enters moving (0.03, 0.04, 0) = 0.05, leaves
  // moving 0.12 in z (lifted).
  const std::string b = write_csv(dir, "traces_flat.csv",
                                  "episode,step,success,ag_0,ag_1,ag_2,g_0,g_1,g_2\n"
                                  "0,1,0,0,0,0,0.03,0.04,0\n"
                                  "0,2,1,0.03,0.04,0,0.03,0.04,0\n"
                                  "0,3,0,0.03,0.04,0.12,0.03,0.04,0\n");
  const auto r = run_shell("bash " + kScript + " " + a + " " + b);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find(b + ": episodes 1, reached 1, kept 0, lost 1\n"
                           "  entry speed (m per step): median 0.050 over 1 episodes\n"
                           "  kept: travel after entry median -, final distance median -\n"
                           "  lost: travel after entry median 0.120, final distance median 0.120 (0.120-0.120), "
                           "move when leaving 0.120-0.120\n"
                           "  lifted more than 0.025: 1 episodes\n"
                           "all files: "),
            std::string::npos)
      << r.out;
  // Together: entries 0.06, 0.08, 0.05; lost travels 0.09, 0.11, 0.12. No gripper or subgoal line: b has none.
  EXPECT_NE(r.out.find("all files: episodes 5, reached 4, kept 1, lost 3\n"
                       "  entry speed (m per step): median 0.060 over 3 episodes\n"
                       "  kept: travel after entry median 0.020, final distance median 0.020\n"
                       "  lost: travel after entry median 0.110, final distance median 0.110 (0.070-0.120), "
                       "move when leaving 0.090-0.120\n"
                       "  lifted more than 0.025: 1 episodes\n"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find("all files") , r.out.rfind("all files"));
  EXPECT_EQ(r.out.substr(r.out.find("all files")).find("slides"), std::string::npos) << r.out;
}

TEST(StepTraces, RefusesAFileThatIsNotAStepsCsvInOneLine) {
  const std::string dir = testing::test_dir();
  const std::string f = write_csv(dir, "traces_bad.csv", "episode,seed,success,reached\n0,1,1,1\n");
  const auto r = run_shell("bash " + kScript + " " + f);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "step_traces: " + f + " is not an eval --steps-csv file\n");
  const auto missing = run_shell("bash " + kScript + " " + f + ".none");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_EQ(missing.err, "step_traces: cannot read " + f + ".none\n");
}

}  // namespace
}  // namespace hindsight
