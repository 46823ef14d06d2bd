#pragma once
// Starts the hindsight binary as a child process without a shell (arguments passed as they are), with
// optional extra environment variables and a file size limit, so tests can kill it at a chosen moment
// or simulate a full disk.
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

extern char** environ;

namespace hindsight::testing {

struct ChildOptions {
  std::vector<std::string> env;  // extra "NAME=value" entries
  long max_file_bytes = -1;      // RLIMIT_FSIZE for the child (writes beyond fail with EFBIG); -1 = none
};

// Starts `hindsight args...` with stdout and stderr going to out_path and err_path; returns its pid.
inline pid_t spawn_hindsight(const std::vector<std::string>& args, const std::string& out_path,
                             const std::string& err_path, const ChildOptions& options = {}) {
  // Everything the child needs is built before fork: after it, only async-signal-safe calls are allowed.
  std::vector<std::string> argv_s{HINDSIGHT_BINARY};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_s = options.env;
  for (char** e = environ; *e != nullptr; ++e) env_s.emplace_back(*e);
  std::vector<char*> envp;
  for (auto& e : env_s) envp.push_back(e.data());
  envp.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid != 0) return pid;
  const int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  const int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (out < 0 || err < 0 || ::dup2(out, 1) < 0 || ::dup2(err, 2) < 0) ::_exit(126);
  if (options.max_file_bytes >= 0) {
    ::signal(SIGXFSZ, SIG_IGN);  // a write beyond the limit then fails with EFBIG instead of killing
    struct rlimit limit {};
    limit.rlim_cur = limit.rlim_max = static_cast<rlim_t>(options.max_file_bytes);
    if (::setrlimit(RLIMIT_FSIZE, &limit) != 0) ::_exit(126);
  }
  ::execve(argv[0], argv.data(), envp.data());
  ::_exit(127);
}

// Waits for pid; its exit code, or 128 + the signal that ended it.
inline int wait_for(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// A whole file's text ("" when it does not exist).
inline std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct ChildResult {
  int exit_code = -1;
  std::string out, err;
};

// Runs `hindsight args...` to completion and captures its output.
inline ChildResult run_hindsight(const std::vector<std::string>& args, const std::string& scratch_dir,
                                 const ChildOptions& options = {}) {
  const std::string out = scratch_dir + "/child.out", err = scratch_dir + "/child.err";
  ChildResult r;
  r.exit_code = wait_for(spawn_hindsight(args, out, err, options));
  r.out = slurp(out);
  r.err = slurp(err);
  ::unlink(out.c_str());
  ::unlink(err.c_str());
  return r;
}

}  // namespace hindsight::testing
