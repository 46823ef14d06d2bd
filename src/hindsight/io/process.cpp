#include "hindsight/io/process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "hindsight/core/error.hpp"

extern char** environ;

namespace hindsight::io {
namespace {

// posix_spawn's file actions, destroyed on every path out of the constructor.
class FileActions {
 public:
  FileActions() { ::posix_spawn_file_actions_init(&fa_); }
  ~FileActions() { ::posix_spawn_file_actions_destroy(&fa_); }
  FileActions(const FileActions&) = delete;
  FileActions& operator=(const FileActions&) = delete;
  posix_spawn_file_actions_t* get() { return &fa_; }

 private:
  posix_spawn_file_actions_t fa_;
};

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

}  // namespace

std::optional<std::string> find_on_path(const std::string& name) {
  if (name.find('/') != std::string::npos) {
    if (::access(name.c_str(), X_OK) == 0) return name;
    return std::nullopt;
  }
  const char* path = std::getenv("PATH");
  if (!path) return std::nullopt;
  const std::string p(path);
  std::size_t start = 0;
  while (start <= p.size()) {
    const std::size_t end = std::min(p.find(':', start), p.size());
    // POSIX: an empty PATH entry means the current directory.
    const std::string dir = end > start ? p.substr(start, end - start) : ".";
    const std::string candidate = dir + "/" + name;
    struct stat st {};
    if (::stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
        ::access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
    start = end + 1;
  }
  return std::nullopt;
}

ChildProcess::ChildProcess(const std::vector<std::string>& argv, bool with_stdin) {
  check(!argv.empty(), "ChildProcess needs a program");
  stderr_fd_ = ::memfd_create("hindsight-child-stderr", MFD_CLOEXEC);
  if (stderr_fd_ < 0)
    throw Error(std::string("cannot capture stderr of ") + argv[0] + ": " + std::strerror(errno));
  int child_stdin = -1;
  if (with_stdin) {
    int sv[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
      close_fd(stderr_fd_);
      throw Error(std::string("cannot open a stream to ") + argv[0] + ": " + std::strerror(errno));
    }
    stdin_fd_ = sv[0];
    child_stdin = sv[1];
    // The child only reads; shutting our read side makes the socket behave like a pipe.
    ::shutdown(stdin_fd_, SHUT_RD);
  }
  FileActions fa;
  if (with_stdin) {
    ::posix_spawn_file_actions_adddup2(fa.get(), child_stdin, 0);
  } else {
    ::posix_spawn_file_actions_addopen(fa.get(), 0, "/dev/null", O_RDONLY, 0);
  }
  ::posix_spawn_file_actions_addopen(fa.get(), 1, "/dev/null", O_WRONLY, 0);
  ::posix_spawn_file_actions_adddup2(fa.get(), stderr_fd_, 2);
  std::vector<char*> cargv;
  for (const auto& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
  cargv.push_back(nullptr);
  const int rc = ::posix_spawn(&pid_, argv[0].c_str(), fa.get(), nullptr, cargv.data(), environ);
  close_fd(child_stdin);
  if (rc != 0) {
    pid_ = -1;
    close_fd(stdin_fd_);
    close_fd(stderr_fd_);
    throw Error("cannot run " + argv[0] + ": " + std::strerror(rc));
  }
}

ChildProcess::~ChildProcess() {
  close_fd(stdin_fd_);
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    int st = 0;
    while (::waitpid(pid_, &st, 0) < 0 && errno == EINTR) {
    }
  }
  close_fd(stderr_fd_);
}

bool ChildProcess::write(std::span<const std::uint8_t> bytes) {
  if (stdin_fd_ < 0) return false;
  const std::uint8_t* p = bytes.data();
  std::size_t left = bytes.size();
  while (left > 0) {
    const ssize_t n = ::send(stdin_fd_, p, left, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  return true;
}

int ChildProcess::wait() {
  close_fd(stdin_fd_);
  if (pid_ > 0) {
    int st = 0;
    pid_t r;
    while ((r = ::waitpid(pid_, &st, 0)) < 0 && errno == EINTR) {
    }
    status_ = r < 0 ? 127 : WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    pid_ = -1;
  }
  return status_;
}

std::string ChildProcess::stderr_last_line() const {
  if (stderr_fd_ < 0) return "";
  struct stat st {};
  if (::fstat(stderr_fd_, &st) != 0 || st.st_size <= 0) return "";
  // Only the tail matters; a chatty tool must not make us read megabytes.
  const off_t size = st.st_size;
  const off_t from = size > 65536 ? size - 65536 : 0;
  std::string text(static_cast<std::size_t>(size - from), '\0');
  const ssize_t n = ::pread(stderr_fd_, text.data(), text.size(), from);
  text.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.pop_back();
  const auto nl = text.find_last_of("\r\n");
  return nl == std::string::npos ? text : text.substr(nl + 1);
}

int run_process(const std::vector<std::string>& argv, std::string* err) {
  ChildProcess child(argv, false);
  const int status = child.wait();
  if (err) *err = child.stderr_last_line();
  return status;
}

}  // namespace hindsight::io
