#include "hindsight/io/run_dir.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>

#include "hindsight/core/error.hpp"
#include "hindsight/io/atomic_file.hpp"

namespace hindsight::io {
namespace {

std::string timestamp() {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%d-%H%M%S", &local);
  return buf;
}

}  // namespace

RunPaths run_paths(const std::string& root) {
  const std::filesystem::path r(root);
  return RunPaths{root,
                  (r / "config.yaml").string(),
                  (r / "progress.csv").string(),
                  (r / "checkpoints").string(),
                  (r / "checkpoints" / "latest.ckpt").string(),
                  (r / "checkpoints" / "best.ckpt").string(),
                  (r / "plots").string(),
                  (r / "videos").string()};
}

std::string rank_checkpoint(const RunPaths& paths, int rank, int epoch) {
  return (std::filesystem::path(paths.checkpoints) /
          ("rank" + std::to_string(rank) + "-epoch" + std::to_string(epoch) + ".ckpt"))
      .string();
}

std::string create_run_dir(const std::string& out, const std::string& run_name, const std::string& env,
                           std::uint64_t seed) {
  check(run_name.find('/') == std::string::npos && run_name != "." && run_name != "..",
        "run_name '" + run_name + "' must be a plain directory name");
  std::error_code ec;
  std::filesystem::create_directories(out, ec);
  if (ec) throw Error("cannot create run directory under '" + out + "': " + ec.message());
  const std::string base =
      run_name.empty() ? env + "-s" + std::to_string(seed) + "-" + timestamp() : run_name;
  for (int n = 1;; ++n) {
    const std::string root =
        (std::filesystem::path(out) / (n == 1 ? base : base + "-" + std::to_string(n))).string();
    // mkdir either creates or fails with EEXIST atomically, so two runs started in the same second
    // (e.g. a sweep) never share a directory.
    if (::mkdir(root.c_str(), 0755) != 0) {
      if (errno == EEXIST) continue;
      throw Error("cannot create run directory " + root + ": " + std::strerror(errno));
    }
    const std::string checkpoints = run_paths(root).checkpoints;
    if (::mkdir(checkpoints.c_str(), 0755) != 0)
      throw Error("cannot create " + checkpoints + ": " + std::strerror(errno));
    return root;
  }
}

bool is_run_dir(const std::string& path) { return file_exists(run_paths(path).config); }

}  // namespace hindsight::io
