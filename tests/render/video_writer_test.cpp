#include "hindsight/render/video_writer.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>

#include "hindsight/core/error.hpp"
#include "support/media.hpp"

namespace hindsight::render {
namespace {

using hindsight::testing::dir_entries;
using hindsight::testing::fresh_dir;
using hindsight::testing::is_png;
using hindsight::testing::probe_video;

// A frame whose colour changes with i, so the encoder has real content.
Frame test_frame(int w, int h, int i) {
  Frame f{w, h, std::vector<std::uint8_t>(static_cast<std::size_t>(w) * h * 3)};
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      const std::size_t k = (static_cast<std::size_t>(y) * w + x) * 3;
      f.rgb[k] = static_cast<std::uint8_t>(x * 4 + i * 10);
      f.rgb[k + 1] = static_cast<std::uint8_t>(y * 4);
      f.rgb[k + 2] = static_cast<std::uint8_t>(i * 20);
    }
  }
  return f;
}

std::string error_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

// Sets PATH for the scope of a test (ffmpeg is looked up on PATH).
class ScopedPath {
 public:
  explicit ScopedPath(const std::string& value) : old_(std::getenv("PATH") ? std::getenv("PATH") : "") {
    ::setenv("PATH", value.c_str(), 1);
  }
  ~ScopedPath() { ::setenv("PATH", old_.c_str(), 1); }

 private:
  std::string old_;
};

TEST(VideoWriterTest, Mp4IsH264WithEveryFrameAndTheSize) {
  const std::string dir = fresh_dir("video");
  const std::string out = dir + "/clip.mp4";
  VideoWriter w(out, VideoFormat::mp4, 64, 48);
  for (int i = 0; i < 17; ++i) w.write(test_frame(64, 48, i));
  EXPECT_FALSE(std::filesystem::exists(out)) << "the final name appears only when the video is complete";
  w.finish();
  const auto info = probe_video(out);
  EXPECT_EQ(info.codec, "h264");
  EXPECT_EQ(info.width, 64);
  EXPECT_EQ(info.height, 48);
  EXPECT_EQ(info.frames, 17);
  EXPECT_EQ(dir_entries(dir), std::vector<std::string>{"clip.mp4"});
}

TEST(VideoWriterTest, GifAndPngFrames) {
  const std::string dir = fresh_dir("video");
  {
    VideoWriter gif(dir + "/clip.gif", VideoFormat::gif, 40, 30);
    for (int i = 0; i < 5; ++i) gif.write(test_frame(40, 30, i));
    gif.finish();
  }
  const auto g = probe_video(dir + "/clip.gif");
  EXPECT_EQ(g.codec, "gif");
  EXPECT_EQ(g.frames, 5);
  {
    VideoWriter png(dir + "/frames", VideoFormat::png, 41, 31);  // odd sizes are fine for PNG
    for (int i = 0; i < 3; ++i) png.write(test_frame(41, 31, i));
    png.finish();
  }
  EXPECT_EQ(dir_entries(dir + "/frames"),
            (std::vector<std::string>{"frame-00001.png", "frame-00002.png", "frame-00003.png"}));
  EXPECT_TRUE(is_png(dir + "/frames/frame-00002.png"));
}

TEST(VideoWriterTest, AnAbandonedRecordingLeavesNothing) {
  const std::string dir = fresh_dir("video");
  {
    VideoWriter w(dir + "/clip.mp4", VideoFormat::mp4, 32, 32);
    w.write(test_frame(32, 32, 0));
  }
  {
    VideoWriter w(dir + "/frames", VideoFormat::png, 32, 32);
    w.write(test_frame(32, 32, 0));
  }
  EXPECT_TRUE(dir_entries(dir).empty());
}

TEST(VideoWriterTest, AnExistingVideoIsReplacedOnlyOnSuccess) {
  const std::string dir = fresh_dir("video");
  const std::string out = dir + "/clip.mp4";
  {
    VideoWriter w(out, VideoFormat::mp4, 32, 32);
    for (int i = 0; i < 4; ++i) w.write(test_frame(32, 32, i));
    w.finish();
  }
  {
    VideoWriter w(out, VideoFormat::mp4, 32, 32);
    w.write(test_frame(32, 32, 0));
  }
  EXPECT_EQ(probe_video(out).frames, 4);
  EXPECT_EQ(dir_entries(dir), std::vector<std::string>{"clip.mp4"});
}

TEST(VideoWriterTest, BadInputIsAClearError) {
  const std::string dir = fresh_dir("video");
  // A regular file cannot be a parent directory, whatever the user's permissions (tests may run as root).
  std::ofstream(dir + "/plain") << "x";
  EXPECT_EQ(error_of([&] {
              VideoWriter(dir + "/plain/clip.mp4", VideoFormat::mp4, 32, 32);
            }).rfind("cannot write " + dir + "/plain/clip.mp4: ", 0),
            0u);
  EXPECT_NE(error_of([&] { VideoWriter(dir + "/odd.mp4", VideoFormat::mp4, 33, 32); }).find("even"),
            std::string::npos);
  std::filesystem::create_directories(dir + "/full");
  std::ofstream(dir + "/full/x") << "x";
  EXPECT_NE(
      error_of([&] { VideoWriter(dir + "/full", VideoFormat::png, 32, 32); }).find("not an empty directory"),
      std::string::npos);
  VideoWriter w(dir + "/clip.mp4", VideoFormat::mp4, 32, 32);
  EXPECT_NE(error_of([&] { w.write(test_frame(16, 16, 0)); }).find("16x16"), std::string::npos);
  std::filesystem::remove(dir + "/plain");
  std::filesystem::remove_all(dir + "/full");
}

TEST(VideoWriterTest, NoFramesIsAnErrorAndWritesNothing) {
  const std::string dir = fresh_dir("video");
  VideoWriter w(dir + "/clip.mp4", VideoFormat::mp4, 32, 32);
  EXPECT_THROW(w.finish(), Error);
  EXPECT_TRUE(dir_entries(dir).empty());
}

TEST(VideoWriterTest, MissingFfmpegIsOneClearLine) {
  const std::string dir = fresh_dir("video");
  std::filesystem::create_directories(dir + "/emptybin");
  std::string message;
  {
    ScopedPath path(dir + "/emptybin");
    message = error_of([&] { VideoWriter(dir + "/clip.mp4", VideoFormat::mp4, 32, 32); });
  }
  EXPECT_EQ(message, "ffmpeg not found on PATH (Debian: apt-get install ffmpeg)");
  EXPECT_EQ(dir_entries(dir), std::vector<std::string>{"emptybin"});
}

}  // namespace
}  // namespace hindsight::render
