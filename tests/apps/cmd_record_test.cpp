// `hindsight record` as a user runs it: a short trained run recorded to MP4, GIF and PNG frames, and bad
// input.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "hindsight/io/atomic_file.hpp"
#include "support/media.hpp"
#include "support/run_cli.hpp"

namespace hindsight::testing {
namespace {

namespace fs = std::filesystem;

class CliRecord : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = fresh_dir("record");
    run = train_tiny_run(dir + "/runs");
    ASSERT_FALSE(run.empty());
  }
  std::string dir, run;
};

TEST_F(CliRecord, Mp4OfAShortEpisodeIsValidH264) {
  const std::string out = dir + "/ep.mp4";
  const auto r = run_cli("record '" + run + "' --episodes 1 --width 160 --height 120 --out '" + out + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto v = probe_video(out);
  EXPECT_EQ(v.codec, "h264");
  EXPECT_EQ(v.width, 160);
  EXPECT_EQ(v.height, 120);
  EXPECT_EQ(v.frames, 51);  // one frame at reset, one after each of the 50 steps
  EXPECT_NE(r.out.find("video=" + out + "\n"), std::string::npos) << r.out;
  EXPECT_EQ(last_line(r.out).rfind("success_rate=", 0), 0u) << r.out;
  EXPECT_NE(r.err.find("record ["), std::string::npos) << "progress bar on stderr";
}

TEST_F(CliRecord, DefaultOutputIsInTheRunsVideosDirectory) {
  const auto r = run_cli("record '" + run + "' --episodes 2 --width 64 --height 64 --no-shadows");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string video = run + "/videos/best-ep2.mp4";
  EXPECT_EQ(probe_video(video).frames, 102);
  EXPECT_EQ(dir_entries(run + "/videos"), std::vector<std::string>{"best-ep2.mp4"});
  const auto latest =
      run_cli("record '" + run + "' --checkpoint latest --episodes 1 --width 64 --height 64 --gif");
  ASSERT_EQ(latest.exit_code, 0) << latest.err;
  EXPECT_EQ(probe_video(run + "/videos/latest-ep1.gif").codec, "gif");
}

TEST_F(CliRecord, PngFrames) {
  const auto r =
      run_cli("record '" + run + "' --episodes 1 --width 64 --height 48 --png '" + dir + "/frames'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto files = dir_entries(dir + "/frames");
  ASSERT_EQ(files.size(), 51u);
  EXPECT_EQ(files.front(), "frame-00001.png");
  EXPECT_TRUE(is_png(dir + "/frames/" + files.back()));
}

TEST_F(CliRecord, ChosenGoalsAreRecordedInTurn) {
  const auto r = run_cli("record '" + run + "' --goal 1.3,0.7,0.5 --goal 1.4,0.8,0.6 --width 32 --height 32 --png '" +
                         dir + "/goals'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(dir_entries(dir + "/goals").size(), 102u) << "one episode per goal by default";
  EXPECT_NE(r.out.find("episodes=2"), std::string::npos) << r.out;
}

TEST_F(CliRecord, RecordingDoesNotTouchTheNormalizerStatistics) {
  const std::string ckpt = run + "/checkpoints/best.ckpt", latest = run + "/checkpoints/latest.ckpt";
  const std::string norm = run + "/normalizer.json";
  const auto before =
      std::vector<std::string>{io::read_file(ckpt), io::read_file(latest), io::read_file(norm)};
  const auto r =
      run_cli("record '" + run + "' --episodes 1 --width 32 --height 32 --out '" + dir + "/x.mp4'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ((std::vector<std::string>{io::read_file(ckpt), io::read_file(latest), io::read_file(norm)}),
            before);
  EXPECT_EQ(r.err.find("warm-up"), std::string::npos) << "record must never run a normalizer warm-up";
}

// One line on stderr, a non-zero exit, nothing on stdout, and no file (or temporary) left behind.
void expect_clean_failure(const CliResult& r, const std::string& what, const std::string& dir) {
  EXPECT_NE(r.exit_code, 0) << what;
  EXPECT_EQ(line_count(r.err), 1) << what << ": " << r.err;
  EXPECT_TRUE(r.out.empty()) << what << ": " << r.out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    EXPECT_EQ(name.find(".tmp"), std::string::npos) << what << ": left " << e.path();
    EXPECT_NE(e.path().extension(), ".mp4") << what << ": left " << e.path();
  }
}

TEST_F(CliRecord, BadInputIsOneClearLine) {
  const std::string out = "--out '" + dir + "/bad.mp4'";
  // A run directory without a checkpoint.
  const std::string bare = dir + "/bare";
  fs::create_directories(bare);
  fs::copy_file(run + "/config.yaml", bare + "/config.yaml");
  auto r = run_cli("record '" + bare + "' " + out);
  expect_clean_failure(r, "no checkpoint", dir);
  EXPECT_NE(r.err.find("no checkpoint"), std::string::npos) << r.err;
  // An unwritable output path (a regular file as the parent: unwritable even for root).
  std::ofstream(dir + "/plain") << "x";
  r = run_cli("record '" + run + "' --episodes 1 --width 32 --height 32 --out '" + dir + "/plain/v.mp4'");
  expect_clean_failure(r, "unwritable", dir);
  EXPECT_NE(r.err.find("cannot write " + dir + "/plain/v.mp4"), std::string::npos) << r.err;
  // ffmpeg missing.
  fs::create_directories(dir + "/emptybin");
  r = run_cli("record '" + run + "' --episodes 1 " + out, "PATH='" + dir + "/emptybin'");
  expect_clean_failure(r, "no ffmpeg", dir);
  EXPECT_NE(r.err.find("ffmpeg not found on PATH"), std::string::npos) << r.err;
  // Odd size for H.264, bad flags, no MuJoCo scene, not a run directory.
  r = run_cli("record '" + run + "' --width 33 " + out);
  expect_clean_failure(r, "odd width", dir);
  r = run_cli("record '" + run + "' --png '" + dir + "/f' --gif");
  expect_clean_failure(r, "png and gif", dir);
  r = run_cli("record '" + run + "' --episodes 0");
  expect_clean_failure(r, "zero episodes", dir);
  r = run_cli("record '" + dir + "/nonexistent'");
  expect_clean_failure(r, "not a run", dir);
  const std::string car = dir + "/car";
  fs::create_directories(car);
  std::string cfg = io::read_file(run + "/config.yaml");
  const auto at = cfg.find("FetchReach", cfg.find("\nenv: "));
  ASSERT_NE(at, std::string::npos);
  cfg.replace(at, 10, "MountainCarContinuous");
  std::ofstream(car + "/config.yaml") << cfg;
  r = run_cli("record '" + car + "' " + out);
  expect_clean_failure(r, "mountain car", dir);
  EXPECT_NE(r.err.find("record needs a MuJoCo task"), std::string::npos) << r.err;
  fs::remove(dir + "/plain");
}

}  // namespace
}  // namespace hindsight::testing
