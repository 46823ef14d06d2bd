#include "hindsight/io/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "hindsight/core/error.hpp"

namespace hindsight::io {
namespace {

constexpr std::string_view kTempMarker = ".tmp.";
constexpr std::size_t kTempSuffix = 6;  // the XXXXXX of mkstemp

// Closes a POSIX file descriptor when it goes out of scope.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int release() {
    const int f = fd_;
    fd_ = -1;
    return f;
  }

 private:
  int fd_;
};

std::string dir_of(const std::string& path) {
  const auto slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

[[noreturn]] void fail(const std::string& what, const std::string& path) {
  throw Error("cannot " + what + " " + path + ": " + std::strerror(errno));
}

// Persists renames in the directory of path (a rename is only durable once its directory is flushed).
void sync_dir_of(const std::string& path) {
  Fd dir(::open(dir_of(path).c_str(), O_RDONLY | O_DIRECTORY));
  if (dir.get() >= 0) ::fsync(dir.get());
}

// A temporary file next to the target, removed again unless commit() renames it onto the target. Only
// mkstemp can fail in the constructor, so the destructor runs for every file actually created.
class TempFile {
 public:
  explicit TempFile(const std::string& target)
      : target_(target), name_(target + ".tmp.XXXXXX"), fd_(::mkstemp(name_.data())) {
    if (fd_.get() < 0) fail("write", target_);
  }
  ~TempFile() {
    if (!committed_) ::unlink(name_.c_str());
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  // Writes all bytes and flushes them to disk.
  void write(std::string_view bytes) {
    const char* p = bytes.data();
    std::size_t left = bytes.size();
    while (left > 0) {
      const ssize_t n = ::write(fd_.get(), p, left);
      if (n < 0) {
        if (errno == EINTR) continue;
        fail("write", target_);
      }
      p += n;
      left -= static_cast<std::size_t>(n);
    }
    if (::fchmod(fd_.get(), 0644) != 0) fail("write", target_);
    if (::fsync(fd_.get()) != 0) fail("flush", target_);
    if (::close(fd_.release()) != 0) fail("close", target_);
  }

  // Renames the written file onto the target, durably.
  void commit() {
    if (::rename(name_.c_str(), target_.c_str()) != 0) fail("rename onto", target_);
    committed_ = true;
    sync_dir_of(target_);
  }

 private:
  std::string target_, name_;
  Fd fd_;
  bool committed_ = false;
};

bool is_temp_name(const std::string& name) {
  const auto at = name.rfind(kTempMarker);
  return at != std::string::npos && at > 0 && name.size() == at + kTempMarker.size() + kTempSuffix;
}

}  // namespace

void write_file_atomic(const std::string& path, std::string_view bytes) {
  TempFile tmp(path);
  tmp.write(bytes);
  tmp.commit();
}

void write_file_rotating(const std::string& path, const std::string& previous, std::string_view bytes) {
  TempFile fresh(path);
  fresh.write(bytes);
  if (::rename(path.c_str(), previous.c_str()) != 0) {
    if (errno != ENOENT) fail("rename " + path + " to", previous);
  } else {
    sync_dir_of(previous);
  }
  fresh.commit();
}

std::string read_file(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw Error("cannot read " + path + ": it is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("cannot read " + path + ": " + std::strerror(errno));
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) throw Error("cannot read " + path);
  return ss.str();
}

bool file_exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

int remove_stale_temp_files(const std::string& dir) {
  int removed = 0;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.is_regular_file(ec) && is_temp_name(entry.path().filename().string()) &&
        std::filesystem::remove(entry.path(), ec)) {
      ++removed;
    }
  }
  return removed;
}

}  // namespace hindsight::io
