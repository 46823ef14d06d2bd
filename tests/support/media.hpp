#pragma once
// Helpers for the rendering, video and plot tests: scratch directories, ffprobe, PNG checks, tiny runs.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "support/run_cli.hpp"

namespace hindsight::testing {

// An empty directory for the running test: TempDir()/hindsight_<suite>/<test>-<pid> (ctest runs test cases
// as parallel processes).
inline std::string fresh_dir(const std::string& suite) {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  const auto dir = std::filesystem::path(::testing::TempDir()) / ("hindsight_" + suite) /
                   (std::string(info->name()) + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

// What ffprobe reports about the first video stream of a file.
struct VideoInfo {
  std::string codec;
  int width = 0;
  int height = 0;
  long frames = -1;  // decoded frame count
};

// Runs ffprobe (decoding every frame to count them); an unreadable file gives an empty codec.
inline VideoInfo probe_video(const std::string& path) {
  const std::string cmd =
      "ffprobe -v error -select_streams v:0 -count_frames -show_entries "
      "stream=codec_name,width,height,nb_read_frames -of default=noprint_wrappers=1 '" +
      path + "' 2>/dev/null";
  VideoInfo v;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return v;
  std::array<char, 256> line{};
  while (std::fgets(line.data(), line.size(), p)) {
    std::string l(line.data());
    while (!l.empty() && (l.back() == '\n' || l.back() == '\r')) l.pop_back();
    const auto eq = l.find('=');
    if (eq == std::string::npos) continue;
    const std::string key = l.substr(0, eq), value = l.substr(eq + 1);
    if (key == "codec_name") v.codec = value;
    if (key == "width") v.width = std::stoi(value);
    if (key == "height") v.height = std::stoi(value);
    if (key == "nb_read_frames") v.frames = std::stol(value);
  }
  ::pclose(p);
  return v;
}

// True when path is a non-empty file starting with the PNG signature.
inline bool is_png(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::array<char, 8> sig{};
  in.read(sig.data(), sig.size());
  return in && std::string(sig.data(), 8) == "\x89PNG\r\n\x1a\n";
}

// Width and height of a PNG, read from its IHDR chunk (big-endian, bytes 16-23); {0, 0} when unreadable.
inline std::pair<int, int> png_size(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::array<unsigned char, 24> head{};
  in.read(reinterpret_cast<char*>(head.data()), head.size());
  if (!in) return {0, 0};
  const auto be32 = [&](std::size_t at) {
    std::uint32_t v = 0;
    for (std::size_t k = at; k < at + 4; ++k) v = (v << 8) | head[k];
    return static_cast<int>(v);
  };
  return {be32(16), be32(20)};
}

// Names of the entries of a directory, sorted.
inline std::vector<std::string> dir_entries(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

// Trains a tiny run of env under out (small networks, one cycle per epoch) and returns its directory.
inline std::string train_tiny_run(const std::string& out, const std::string& env = "FetchReach",
                                  int epochs = 1, const std::string& extra = "") {
  const auto r =
      run_cli("train --env " + env + " --epochs " + std::to_string(epochs) + " --out '" + out +
              "' cycles=1 updates_per_cycle=4 batch_size=32 hidden=16,16 test_episodes=2 " + extra);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const std::string marker = "run: ";
  const auto at = r.out.rfind(marker);
  if (at == std::string::npos) return "";
  std::string dir = r.out.substr(at + marker.size());
  while (!dir.empty() && dir.back() == '\n') dir.pop_back();
  return dir;
}

}  // namespace hindsight::testing
