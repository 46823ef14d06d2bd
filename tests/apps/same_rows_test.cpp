// Determinism across refactors: fixed seeds give the progress.csv rows recorded before train/ was split
// into one job per file (testdata/same_rows/, written by the binary of that time with the commands below).
// Every recorded column but the ones that measure time must agree (columns added later are not recorded).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>

#include "hindsight/io/metrics_log.hpp"
#include "support/run_cli.hpp"

namespace hindsight {
namespace {

namespace fs = std::filesystem;

// A small run exercising demonstrations, the normalizer warm-up, updates, tests and checkpoints.
const char* const kSmall =
    "cycles=2 episodes_per_cycle=2 updates_per_cycle=4 batch_size=32 hidden=[16,16] test_episodes=3 "
    "norm_warmup_episodes=2 buffer_size=2000 best_episodes=0 demos=2 demo_batch_size=8 torch_threads=1";

bool is_time_column(const std::string& name) { return name == "wall_seconds" || name.rfind("time/", 0) == 0; }

// Trains `args` from the built-in defaults (no preset: the presets may change, the rows must not) into a
// fresh directory and compares its progress.csv with testdata/same_rows/want.
void expect_recorded_rows(const std::string& args, const std::string& want) {
  const std::string out = ::testing::TempDir() + "same_rows_" + want;
  const std::string no_presets = out + "/no-presets";
  fs::remove_all(out);
  fs::create_directories(no_presets);
  const auto r = testing::run_cli("train " + args + " --seed 7 --epochs 2 --out " + out + " run_name=run " + kSmall,
                                  "HINDSIGHT_CONFIGS=" + no_presets + " OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto got = io::read_csv(out + "/run/progress.csv");
  const auto expected = io::read_csv(std::string(HINDSIGHT_TESTDATA_DIR) + "/same_rows/" + want);
  // Every recorded column is still there, in the recorded order; columns added since are not recorded.
  std::vector<std::string> recorded;
  for (const auto& c : got.header) {
    if (std::find(expected.header.begin(), expected.header.end(), c) != expected.header.end()) recorded.push_back(c);
  }
  ASSERT_EQ(recorded, expected.header);
  ASSERT_EQ(got.rows.size(), expected.rows.size());
  for (std::size_t i = 0; i < got.rows.size(); ++i) {
    for (std::size_t j = 0; j < expected.header.size(); ++j) {
      const std::string& name = expected.header[j];
      if (is_time_column(name)) continue;
      const double g = got.rows[i][got.column(name)], w = expected.rows[i][j];
      // The file holds six significant digits: equal to that precision.
      EXPECT_NEAR(g, w, 1e-5 * std::max(1.0, std::abs(w))) << "row " << i + 1 << " column " << name;
    }
  }
  fs::remove_all(out);
}

TEST(SameRows, FlatRunMatchesTheRecordedRows) {
  expect_recorded_rows("--env FetchPush", "flat-FetchPush-seed7.csv");
}

TEST(SameRows, TwoLevelRunMatchesTheRecordedRows) {
  expect_recorded_rows("--env FetchPickAndPlace --levels 2", "hac-FetchPickAndPlace-seed7.csv");
}

}  // namespace
}  // namespace hindsight
