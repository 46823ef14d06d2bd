#include "hindsight/render/video_writer.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "hindsight/core/error.hpp"

namespace fs = std::filesystem;

namespace hindsight::render {
namespace {

// "dir/.name.tmp-XXXXXX": hidden, in the target's directory so the final rename stays on one filesystem.
std::string temporary_template(const std::string& path) {
  const fs::path p(path);
  const fs::path dir = p.has_parent_path() ? p.parent_path() : fs::path(".");
  return (dir / ("." + p.filename().string() + ".tmp-XXXXXX")).string();
}

bool is_directory(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

}  // namespace

VideoWriter::VideoWriter(std::string path, VideoFormat format, int width, int height, int fps)
    : path_(std::move(path)), format_(format), width_(width), height_(height) {
  check(width > 0 && height > 0,
        "video size must be positive, got " + std::to_string(width) + "x" + std::to_string(height));
  check(format != VideoFormat::mp4 || (width % 2 == 0 && height % 2 == 0),
        "H.264 video needs an even width and height, got " + std::to_string(width) + "x" +
            std::to_string(height));
  check(fps > 0, "video frame rate must be positive");
  check(!fs::path(path_).filename().empty(), "output path '" + path_ + "' names no file");
  const auto ffmpeg = io::find_on_path("ffmpeg");
  check(ffmpeg.has_value(), "ffmpeg not found on PATH (Debian: apt-get install ffmpeg)");

  std::string out;
  tmp_ = temporary_template(path_);
  if (format == VideoFormat::png) {
    std::error_code ec;
    check(!fs::exists(path_, ec) || (is_directory(path_) && fs::is_empty(path_, ec)),
          path_ + " already exists and is not an empty directory");
    if (!::mkdtemp(tmp_.data())) throw Error("cannot write " + path_ + ": " + std::strerror(errno));
    out = tmp_ + "/frame-%05d.png";
  } else {
    check(!is_directory(path_), path_ + " is a directory, not a file name");
    const int fd = ::mkstemp(tmp_.data());
    if (fd < 0) throw Error("cannot write " + path_ + ": " + std::strerror(errno));
    ::close(fd);
    out = tmp_;
  }

  // Raw RGB frames on stdin, quiet unless something goes wrong (the last stderr line becomes the error).
  const std::string size = std::to_string(width) + "x" + std::to_string(height);
  std::vector<std::string> args{*ffmpeg, "-hide_banner", "-loglevel", "error", "-nostats", "-y"};
  args.insert(args.end(),
              {"-f", "rawvideo", "-pix_fmt", "rgb24", "-s", size, "-r", std::to_string(fps), "-i", "-"});
  switch (format) {
    case VideoFormat::mp4:
      args.insert(args.end(), {"-c:v", "libx264", "-pix_fmt", "yuv420p", "-f", "mp4"});
      break;
    case VideoFormat::gif:
      // One pass: palettegen sees every frame before paletteuse maps them, so colours stay faithful.
      args.insert(args.end(), {"-vf", "split[a][b];[a]palettegen[p];[b][p]paletteuse", "-f", "gif"});
      break;
    case VideoFormat::png:
      args.insert(args.end(), {"-start_number", "1", "-f", "image2"});
      break;
  }
  args.push_back(out);
  try {
    ffmpeg_ = std::make_unique<io::ChildProcess>(args, true);
  } catch (...) {
    remove_temporary();
    throw;
  }
}

VideoWriter::~VideoWriter() {
  if (done_) return;
  ffmpeg_.reset();  // kills an encoder still running before its output is removed
  remove_temporary();
}

void VideoWriter::remove_temporary() {
  std::error_code ec;
  fs::remove_all(tmp_, ec);
}

void VideoWriter::fail(const std::string& what) {
  ffmpeg_->wait();
  const std::string detail = ffmpeg_->stderr_last_line();
  remove_temporary();
  done_ = true;
  throw Error("ffmpeg could not write " + path_ + ": " + (detail.empty() ? what : detail));
}

void VideoWriter::write(const Frame& frame) {
  check(!done_, "VideoWriter::write after finish");
  check(frame.width == width_ && frame.height == height_,
        "frame is " + std::to_string(frame.width) + "x" + std::to_string(frame.height) + ", the video " +
            std::to_string(width_) + "x" + std::to_string(height_));
  if (!ffmpeg_->write(frame.rgb)) fail("it stopped reading frames");
  ++frames_;
}

void VideoWriter::finish() {
  check(!done_, "VideoWriter::finish called twice");
  if (frames_ == 0) {
    ffmpeg_.reset();
    remove_temporary();
    done_ = true;
    throw Error("no frames to write to " + path_);
  }
  const int status = ffmpeg_->wait();
  if (status != 0) fail("exit status " + std::to_string(status));
  std::error_code ec;
  if (format_ != VideoFormat::png && fs::file_size(tmp_, ec) == 0) fail("it wrote an empty file");
  // mkstemp/mkdtemp made the temporary private; the recording itself is for sharing (as atomic_file does).
  ::chmod(tmp_.c_str(), format_ == VideoFormat::png ? 0755 : 0644);
  // rename() replaces an existing file, or an empty directory in the png case, in one step.
  if (::rename(tmp_.c_str(), path_.c_str()) != 0) {
    const std::string reason = std::strerror(errno);
    remove_temporary();
    done_ = true;
    throw Error("cannot move the recording to " + path_ + ": " + reason);
  }
  done_ = true;
}

}  // namespace hindsight::render
