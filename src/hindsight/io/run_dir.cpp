#include "hindsight/io/run_dir.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <utility>

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

// A directory under construction: removed with its contents unless release()d.
class TempDir {
 public:
  TempDir(const std::string& out, const std::string& base) : path_(out + "/." + base + ".tmp.XXXXXX") {
    if (::mkdtemp(path_.data()) == nullptr) {
      throw Error("cannot create run directory under '" + out + "': " + std::strerror(errno));
    }
    // mkdtemp makes it private (0700); a run directory is as readable as any other directory.
    if (::chmod(path_.c_str(), 0755) != 0) {
      const int err = errno;
      remove();
      throw Error("cannot create run directory under '" + out + "': " + std::strerror(err));
    }
  }
  ~TempDir() { remove(); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  void release() { path_.clear(); }

 private:
  void remove() {
    if (path_.empty()) return;
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
    path_.clear();
  }

  std::string path_;
};

// Renames from onto to unless to exists; false when it does. RENAME_NOREPLACE makes the check and the
// rename one step, so two runs started in the same second (a sweep) never share a directory.
bool rename_no_replace(const std::string& from, const std::string& to) {
  if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) return true;
  if (errno == EEXIST) return false;
  if (errno != EINVAL && errno != ENOSYS) {
    throw Error("cannot create run directory " + to + ": " + std::strerror(errno));
  }
  // Filesystems without RENAME_NOREPLACE: claim the name with mkdir (atomic), then replace that empty
  // directory by the complete one (rename may replace an empty directory).
  if (::mkdir(to.c_str(), 0755) != 0) {
    if (errno == EEXIST) return false;
    throw Error("cannot create run directory " + to + ": " + std::strerror(errno));
  }
  if (::rename(from.c_str(), to.c_str()) != 0) {
    throw Error("cannot create run directory " + to + ": " + std::strerror(errno));
  }
  return true;
}

}  // namespace

RunPaths run_paths(const std::string& root) {
  const std::filesystem::path r(root);
  return RunPaths{root,
                  (r / "config.yaml").string(),
                  (r / "progress.csv").string(),
                  (r / "checkpoints").string(),
                  (r / "checkpoints" / "latest.ckpt").string(),
                  (r / "checkpoints" / "previous.ckpt").string(),
                  (r / "checkpoints" / "best.ckpt").string(),
                  (r / "plots").string(),
                  (r / "videos").string(),
                  (r / "tb").string()};
}

std::string rank_checkpoint(const RunPaths& paths, int rank, int epoch) {
  return (std::filesystem::path(paths.checkpoints) /
          ("rank" + std::to_string(rank) + "-epoch" + std::to_string(epoch) + ".ckpt"))
      .string();
}

std::string create_run_dir(const std::string& out, const std::string& run_name, const std::string& env,
                           std::uint64_t seed, const std::string& config_yaml,
                           const std::vector<std::pair<std::string, std::string>>& files) {
  check(run_name.find('/') == std::string::npos && run_name != "." && run_name != "..",
        "run_name '" + run_name + "' must be a plain directory name");
  std::error_code ec;
  std::filesystem::create_directories(out, ec);
  if (ec) throw Error("cannot create run directory under '" + out + "': " + ec.message());
  const std::string base =
      run_name.empty() ? env + "-s" + std::to_string(seed) + "-" + timestamp() : run_name;
  TempDir tmp(out, base);
  const RunPaths inside = run_paths(tmp.path());
  if (::mkdir(inside.checkpoints.c_str(), 0755) != 0) {
    throw Error("cannot create run directory under '" + out + "': " + std::strerror(errno));
  }
  try {
    write_file_atomic(inside.config, config_yaml);
    for (const auto& [rel, content] : files) {
      const std::filesystem::path p = std::filesystem::path(tmp.path()) / rel;
      std::filesystem::create_directories(p.parent_path(), ec);
      if (ec) throw Error("cannot create " + p.parent_path().string() + ": " + ec.message());
      write_file_atomic(p.string(), content);
    }
  } catch (const Error& e) {
    throw Error("cannot create run directory under '" + out + "': " + e.what());
  }
  for (int n = 1;; ++n) {
    const std::string root =
        (std::filesystem::path(out) / (n == 1 ? base : base + "-" + std::to_string(n))).string();
    if (rename_no_replace(tmp.path(), root)) {
      tmp.release();
      return root;
    }
  }
}

bool is_run_dir(const std::string& path) { return file_exists(run_paths(path).config); }

RunLock::RunLock(const std::string& root) : fd_(::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) {
  if (fd_ < 0) throw Error("cannot open run directory " + root + ": " + std::strerror(errno));
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    ::close(fd_);
    fd_ = -1;
    if (err == EWOULDBLOCK) {
      throw Error(root + " is in use by another hindsight process (wait for it to end or stop it)");
    }
    throw Error("cannot lock run directory " + root + ": " + std::strerror(err));
  }
}

RunLock::~RunLock() {
  if (fd_ >= 0) ::close(fd_);  // closing the last descriptor releases the flock
}

RunLock::RunLock(RunLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

RunLock& RunLock::operator=(RunLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

}  // namespace hindsight::io
