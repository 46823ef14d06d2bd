// `hindsight plot` and `train plot_every=K` as a user runs them.
#include <gtest/gtest.h>

#include <filesystem>

#include "support/media.hpp"
#include "support/run_cli.hpp"

namespace hindsight::testing {
namespace {

namespace fs = std::filesystem;

// One figure per metric of a flat run's progress.csv, the trainer's timing columns included.
const std::vector<std::string> kFlatFigures{
    "level_actor_loss.png",       "level_critic_loss.png",    "level_q_mean.png",
    "level_reward.png",           "level_skipped_updates.png", "level_success_rate.png",
    "test_success_rate.png",      "time_allreduce_seconds.png", "time_rollout_seconds.png",
    "time_update_seconds.png",    "train_moved_rate.png",     "train_success_rate.png"};

TEST(CliPlot, TwoRunsGiveOneNonEmptyPngPerMetric) {
  const std::string dir = fresh_dir("plot_cli");
  const std::string a = train_tiny_run(dir + "/runs", "FetchReach", 2, "run_name=a");
  const std::string b = train_tiny_run(dir + "/runs", "FetchReach", 2, "run_name=b norm_init=off");
  // --dashed takes one word: the run directory after it is still plotted.
  const auto r =
      run_cli("plot '" + a + "' --dashed b '" + b + "' --out '" + dir + "/cmp' --smooth 2 --x epoch");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(dir_entries(dir + "/cmp"), kFlatFigures);
  for (const auto& f : kFlatFigures) {
    EXPECT_TRUE(is_png(dir + "/cmp/" + f)) << f;
    EXPECT_GT(fs::file_size(dir + "/cmp/" + f), 1000u) << f;
  }
  EXPECT_EQ(last_line(r.out), "plots=" + std::to_string(kFlatFigures.size()) + " dir=" + dir + "/cmp");
}

TEST(CliPlot, OneRunDefaultsToItsPlotsDirectory) {
  const std::string dir = fresh_dir("plot_cli");
  const std::string a = train_tiny_run(dir + "/runs");
  const auto r = run_cli("plot '" + a + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(dir_entries(a + "/plots"), kFlatFigures);
}

TEST(CliPlot, TrainWritesPlotsEveryKEpochs) {
  const std::string dir = fresh_dir("plot_cli");
  const std::string a = train_tiny_run(dir + "/runs", "FetchReach", 2, "plot_every=1");
  EXPECT_EQ(dir_entries(a + "/plots"), kFlatFigures);
}

TEST(CliPlot, APlottingFailureDoesNotStopTraining) {
  const std::string dir = fresh_dir("plot_cli");
  fs::create_directories(dir + "/emptybin");
  // Without gnuplot on PATH: the run completes, warns once (not every epoch) and writes no plots.
  const auto r = run_cli("train --env FetchReach --epochs 3 --out '" + dir +
                             "/runs' run_name=a cycles=1 "
                             "updates_per_cycle=2 batch_size=16 hidden=8 test_episodes=1 plot_every=1",
                         "PATH='" + dir + "/emptybin'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::size_t warnings = 0;
  for (std::size_t at = r.err.find("plots not written"); at != std::string::npos;
       at = r.err.find("plots not written", at + 1)) {
    ++warnings;
  }
  EXPECT_EQ(warnings, 1u) << r.err;
  EXPECT_NE(r.err.find("gnuplot not found on PATH"), std::string::npos) << r.err;
  EXPECT_TRUE(fs::exists(dir + "/runs/a/checkpoints/latest.ckpt"));
  EXPECT_FALSE(fs::exists(dir + "/runs/a/plots"));
}

TEST(CliPlot, BadInputIsOneClearLine) {
  const std::string dir = fresh_dir("plot_cli");
  const std::string a = train_tiny_run(dir + "/runs");
  fs::create_directories(dir + "/emptybin");
  const std::vector<std::pair<std::string, std::string>> cases{
      {"plot '" + a + "' --out '" + dir + "/o'", "PATH='" + dir + "/emptybin'"},
      {"plot '" + a + "' --out '" + dir + "/o' --x steps", ""},
      {"plot '" + a + "' --out '" + dir + "/o' --smooth 0", ""},
      {"plot '" + a + "' '" + a + "'", ""},
      {"plot '" + dir + "/nonexistent' --out '" + dir + "/o'", ""},
      {"plot", ""},
  };
  for (const auto& [args, env] : cases) {
    const auto r = run_cli(args, env);
    EXPECT_NE(r.exit_code, 0) << args;
    EXPECT_EQ(line_count(r.err), 1) << args << ": " << r.err;
    EXPECT_TRUE(r.out.empty()) << args;
  }
  EXPECT_FALSE(fs::exists(dir + "/o"));
  EXPECT_FALSE(fs::exists(a + "/plots"));
  EXPECT_NE(run_cli("plot '" + a + "'", "PATH='" + dir + "/emptybin'").err.find("gnuplot not found on PATH"),
            std::string::npos);
}

}  // namespace
}  // namespace hindsight::testing
