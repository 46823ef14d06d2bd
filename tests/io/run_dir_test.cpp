#include "hindsight/io/run_dir.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <string>

#include "hindsight/core/error.hpp"
#include "hindsight/io/atomic_file.hpp"
#include "support/test_support.hpp"

namespace hindsight::io {
namespace {

using hindsight::testing::error_of;
using hindsight::testing::test_dir;

namespace fs = std::filesystem;

TEST(RunDir, AutomaticNameHasEnvSeedAndTimestamp) {
  const std::string out = test_dir() + "/runs";
  const std::string root = create_run_dir(out, "", "FetchReach", 7);
  EXPECT_TRUE(std::regex_match(root, std::regex(".*/runs/FetchReach-s7-[0-9]{8}-[0-9]{6}"))) << root;
  EXPECT_TRUE(fs::is_directory(root));
  EXPECT_TRUE(fs::is_directory(run_paths(root).checkpoints));
}

TEST(RunDir, TakenNamesGetNumberedSuffixes) {
  const std::string out = test_dir();
  EXPECT_EQ(create_run_dir(out, "exp", "FetchReach", 0), out + "/exp");
  EXPECT_EQ(create_run_dir(out, "exp", "FetchReach", 0), out + "/exp-2");
  EXPECT_EQ(create_run_dir(out, "exp", "FetchReach", 0), out + "/exp-3");
}

TEST(RunDir, IsRunDirOnceItHoldsAConfig) {
  const std::string root = create_run_dir(test_dir(), "r", "Pendulum", 1);
  EXPECT_FALSE(is_run_dir(root));
  write_file_atomic(run_paths(root).config, "env: Pendulum\n");
  EXPECT_TRUE(is_run_dir(root));
  EXPECT_FALSE(is_run_dir(root + "/checkpoints"));
}

TEST(RunDir, PathsAreTheDocumentedLayout) {
  const RunPaths p = run_paths("runs/x");
  EXPECT_EQ(p.root, "runs/x");
  EXPECT_EQ(p.config, "runs/x/config.yaml");
  EXPECT_EQ(p.progress, "runs/x/progress.csv");
  EXPECT_EQ(p.checkpoints, "runs/x/checkpoints");
  EXPECT_EQ(p.latest_checkpoint, "runs/x/checkpoints/latest.ckpt");
  EXPECT_EQ(p.best_checkpoint, "runs/x/checkpoints/best.ckpt");
  EXPECT_EQ(rank_checkpoint(p, 3, 12), "runs/x/checkpoints/rank3-epoch12.ckpt");
}

TEST(RunDir, UnwritableOutIsOneErrorLineNamingIt) {
  const std::string dir = test_dir();
  const std::string file = dir + "/not_a_dir";
  write_file_atomic(file, "x");
  // Permission bits do not stop root, so "unwritable" is made with a path through a regular file.
  EXPECT_NE(error_of([&] { create_run_dir(file + "/runs", "", "FetchReach", 0); })
                .find("cannot create run directory under '" + file + "/runs'"),
            std::string::npos);
  EXPECT_NE(error_of([&] { create_run_dir(file, "", "FetchReach", 0); }).find(file), std::string::npos);
}

TEST(RunDir, RunNameMustBeAPlainName) {
  const std::string out = test_dir();
  for (const char* bad : {"a/b", "..", "."}) {
    const std::string msg = error_of([&] { create_run_dir(out, bad, "FetchReach", 0); });
    const std::string expected = "run_name '" + std::string(bad) + "' must be a plain directory name";
    EXPECT_NE(msg.find(expected), std::string::npos) << msg;
  }
}

}  // namespace
}  // namespace hindsight::io
