#include "hindsight/io/run_dir.hpp"

#include <gtest/gtest.h>

#include <sys/resource.h>

#include <csignal>
#include <filesystem>
#include <optional>
#include <regex>
#include <string>
#include <vector>

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
  const std::string root = create_run_dir(out, "", "FetchReach", 7, "env: x\n");
  EXPECT_TRUE(std::regex_match(root, std::regex(".*/runs/FetchReach-s7-[0-9]{8}-[0-9]{6}"))) << root;
  EXPECT_TRUE(fs::is_directory(root));
  EXPECT_TRUE(fs::is_directory(run_paths(root).checkpoints));
}

TEST(RunDir, ExtraFilesAreInPlaceWhenTheDirectoryAppears) {
  const std::string out = test_dir();
  const std::string root =
      create_run_dir(out, "r", "Reacher2D", 0, "env: x\n", {{"task/t.yaml", "scene: s.xml\n"}, {"task/s.xml", "<mujoco/>"}});
  EXPECT_EQ(read_file(root + "/task/t.yaml"), "scene: s.xml\n");
  EXPECT_EQ(read_file(root + "/task/s.xml"), "<mujoco/>");
  EXPECT_EQ(read_file(run_paths(root).config), "env: x\n");
}

TEST(RunDir, TakenNamesGetNumberedSuffixes) {
  const std::string out = test_dir();
  EXPECT_EQ(create_run_dir(out, "exp", "FetchReach", 0, "env: x\n"), out + "/exp");
  EXPECT_EQ(create_run_dir(out, "exp", "FetchReach", 0, "env: x\n"), out + "/exp-2");
  EXPECT_EQ(create_run_dir(out, "exp", "FetchReach", 0, "env: x\n"), out + "/exp-3");
}

TEST(RunDir, AppearsWithItsConfigAndNothingElse) {
  const std::string out = test_dir();
  const std::string root = create_run_dir(out, "r", "Pendulum", 1, "env: Pendulum\n");
  EXPECT_TRUE(is_run_dir(root));
  EXPECT_EQ(read_file(run_paths(root).config), "env: Pendulum\n");
  EXPECT_EQ(fs::status(root).permissions() & fs::perms::others_read, fs::perms::others_read);
  EXPECT_FALSE(is_run_dir(root + "/checkpoints"));
  // The hidden directory it was assembled in is gone.
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(out)) names.push_back(e.path().filename().string());
  EXPECT_EQ(names, std::vector<std::string>{"r"});
}

TEST(RunDir, AFailedCreationLeavesNothing) {
  const std::string out = test_dir();
  // A full disk, simulated by a file size limit (with SIGXFSZ ignored, writes fail with EFBIG).
  struct rlimit old {};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &old), 0);
  const auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
  struct rlimit tiny = old;
  tiny.rlim_cur = 4;
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &tiny), 0);
  const std::string msg = error_of([&] { create_run_dir(out, "r", "Pendulum", 1, "env: Pendulum\n"); });
  ::setrlimit(RLIMIT_FSIZE, &old);
  std::signal(SIGXFSZ, old_handler);
  EXPECT_NE(msg.find("cannot create run directory under '" + out + "': cannot write"), std::string::npos) << msg;
  EXPECT_NE(msg.find("config.yaml: File too large"), std::string::npos) << msg;
  EXPECT_TRUE(fs::is_empty(out));
}

TEST(RunDir, LockIsExclusiveUntilReleased) {
  const std::string root = create_run_dir(test_dir(), "r", "Pendulum", 1, "env: Pendulum\n");
  std::optional<RunLock> held(std::in_place, root);
  EXPECT_NE(error_of([&] { RunLock again(root); }).find("in use by another hindsight process"),
            std::string::npos);
  RunLock moved = std::move(*held);
  held.reset();
  EXPECT_NE(error_of([&] { RunLock again(root); }).find("in use"), std::string::npos);
  { RunLock released = std::move(moved); }
  EXPECT_NO_THROW(RunLock again(root));
  EXPECT_NE(error_of([&] { RunLock missing(root + "/nope"); }).find("cannot open run directory"),
            std::string::npos);
}

TEST(RunDir, PathsAreTheDocumentedLayout) {
  const RunPaths p = run_paths("runs/x");
  EXPECT_EQ(p.root, "runs/x");
  EXPECT_EQ(p.config, "runs/x/config.yaml");
  EXPECT_EQ(p.progress, "runs/x/progress.csv");
  EXPECT_EQ(p.checkpoints, "runs/x/checkpoints");
  EXPECT_EQ(p.latest_checkpoint, "runs/x/checkpoints/latest.ckpt");
  EXPECT_EQ(p.previous_checkpoint, "runs/x/checkpoints/previous.ckpt");
  EXPECT_EQ(p.best_checkpoint, "runs/x/checkpoints/best.ckpt");
  EXPECT_EQ(rank_checkpoint(p, 3, 12), "runs/x/checkpoints/rank3-epoch12.ckpt");
}

TEST(RunDir, UnwritableOutIsOneErrorLineNamingIt) {
  const std::string dir = test_dir();
  const std::string file = dir + "/not_a_dir";
  write_file_atomic(file, "x");
  // Permission bits do not stop root, so "unwritable" is made with a path through a regular file.
  EXPECT_NE(error_of([&] { create_run_dir(file + "/runs", "", "FetchReach", 0, "env: x\n"); })
                .find("cannot create run directory under '" + file + "/runs'"),
            std::string::npos);
  EXPECT_NE(error_of([&] { create_run_dir(file, "", "FetchReach", 0, "env: x\n"); }).find(file),
            std::string::npos);
}

TEST(RunDir, RunNameMustBeAPlainName) {
  const std::string out = test_dir();
  for (const char* bad : {"a/b", "..", "."}) {
    const std::string msg = error_of([&] { create_run_dir(out, bad, "FetchReach", 0, "env: x\n"); });
    const std::string expected = "run_name '" + std::string(bad) + "' must be a plain directory name";
    EXPECT_NE(msg.find(expected), std::string::npos) << msg;
  }
}

}  // namespace
}  // namespace hindsight::io
