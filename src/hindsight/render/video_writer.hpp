#pragma once
// Encodes frames with ffmpeg: raw RGB frames are streamed into its stdin and it writes an H.264 MP4, a
// GIF (with a palette computed from the whole clip) or numbered PNG files. Output goes to a temporary
// name beside the target and is renamed into place by finish(), so a failed or interrupted recording
// never leaves a half-written video behind.
#include <memory>
#include <string>

#include "hindsight/io/process.hpp"
#include "hindsight/render/renderer.hpp"

namespace hindsight::render {

enum class VideoFormat {
  mp4,  // H.264, yuv420p (plays everywhere; needs an even width and height)
  gif,  // animated GIF, 256-colour palette from the whole clip
  png,  // a directory of frame-00001.png, frame-00002.png, ...
};

class VideoWriter {
 public:
  // Starts ffmpeg writing width x height frames at fps to path (a directory for png). Throws Error when
  // ffmpeg is not on PATH, the size does not suit the format, or path cannot be written.
  VideoWriter(std::string path, VideoFormat format, int width, int height, int fps = 25);
  // Abandons an unfinished recording: stops ffmpeg and removes the temporary output.
  ~VideoWriter();
  VideoWriter(const VideoWriter&) = delete;
  VideoWriter& operator=(const VideoWriter&) = delete;

  // Appends one frame (its size must match); throws Error when ffmpeg has failed.
  void write(const Frame& frame);
  // Ends the stream, waits for ffmpeg and moves the output into place; throws Error if encoding failed.
  void finish();
  // Frames written so far.
  long frames() const { return frames_; }
  // The final output path.
  const std::string& path() const { return path_; }

 private:
  [[noreturn]] void fail(const std::string& what);
  void remove_temporary();

  std::string path_, tmp_;
  VideoFormat format_;
  int width_, height_;
  long frames_ = 0;
  bool done_ = false;
  std::unique_ptr<io::ChildProcess> ffmpeg_;
};

}  // namespace hindsight::render
