#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "support/run_cli.hpp"

namespace hindsight {
namespace {

namespace fs = std::filesystem;
using testing::line_count;
using testing::run_cli;

TEST(HacCli, BadHierarchySettingsAreOneErrorLineAndNoRun) {
  const std::string out = ::testing::TempDir() + "hac_cli_bad";
  fs::remove_all(out);
  const std::pair<const char*, const char*> cases[] = {
      {"levels=2 H=0", "H entries must be >= 1"},
      {"levels=2 H=[20,20]", "H has 2 entries"},
      {"levels=2 subgoal_test_prob=1.5", "subgoal_test_prob"},
      {"levels=0", "levels"},
      {"levels=2 subgoal=0,7", "observation index 7 is beyond the MountainCarContinuous observation (2 values)"},
      {"levels=2 subgoal=velocity", "expected 'default' or comma-separated observation indices"},
      {"levels=1 subgoal=0,7", "levels=1 has no subgoals"},  // a flat run is told it has no subgoals
      // One noise list for every level, but level 0 acts with 1 dimension and level 1 proposes 2.
      {"levels=2 noise_std=[0.02,0.01]", "noise_std for level 0 has 2 values but its actions (the env's) have 1"},
      {"levels=2 level1.noise_std=[0.02]", "noise_std for level 1 has 1 values but its actions (subgoals) have 2"},
      {"levels=2 subgoal_low=[-1.2]", "subgoal_low has 1 values but the MountainCarContinuous subgoal space has 2"},
      {"levels=2 level1.noise_std=[0.02,-0.01]", "level1.noise_std: noise_std entries must be >= 0"},
  };
  for (const auto& [args, message] : cases) {
    const auto r = run_cli("train --env MountainCarContinuous --out " + out + " " + args);
    EXPECT_NE(r.exit_code, 0) << args;
    EXPECT_EQ(line_count(r.err), 1) << args << ": " << r.err;
    EXPECT_NE(r.err.find(message), std::string::npos) << args << ": " << r.err;
  }
  EXPECT_FALSE(fs::exists(out));
}

TEST(HacCli, TrainsTwoLevelsWritesPerLevelColumnsAndEvaluates) {
  const std::string out = ::testing::TempDir() + "hac_cli_run";
  fs::remove_all(out);
  const auto r = run_cli("train --env MountainCarContinuous --out " + out +
                         " run_name=r levels=2 epochs=1 cycles=2 updates_per_cycle=2 batch_size=32 test_episodes=1");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::ifstream csv(out + "/r/progress.csv");
  std::string header;
  std::getline(csv, header);
  for (const char* col : {"l0/success_rate", "l1/penalty_rate", "l1/attempt_length", "l0/critic_loss"}) {
    EXPECT_NE(header.find(col), std::string::npos) << col;
  }
  const auto e = run_cli("eval " + out + "/r --episodes 2");
  EXPECT_EQ(e.exit_code, 0) << e.err;
  EXPECT_NE(e.out.find("success_rate="), std::string::npos);
  fs::remove_all(out);
}

}  // namespace
}  // namespace hindsight
