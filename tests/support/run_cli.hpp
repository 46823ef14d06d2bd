#pragma once
// Runs the hindsight binary from a test and captures its exit code, stdout and stderr.
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

namespace hindsight::testing {

struct CliResult {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

// Runs a shell command line (e.g. the binary under mpirun) and captures both streams.
inline CliResult run_shell(const std::string& command) {
  static int counter = 0;
  const std::string err_path = ::testing::TempDir() + "cli_stderr_" + std::to_string(::getpid()) + "_" +
                               std::to_string(counter++) + ".txt";
  const std::string cmd = command + " 2>" + err_path;
  CliResult r;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf{};
  std::size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  const int status = ::pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  std::ifstream e(err_path);
  std::stringstream ss;
  ss << e.rdbuf();
  r.err = ss.str();
  std::remove(err_path.c_str());
  return r;
}

// Runs `hindsight <args>` through the shell (args are passed verbatim) and captures both streams; env holds
// variable assignments for the command only (e.g. "PATH=/empty").
inline CliResult run_cli(const std::string& args, const std::string& env = "") {
  return run_shell((env.empty() ? "" : env + " ") + std::string(HINDSIGHT_BINARY) + " " + args);
}

// The last non-empty line of text.
inline std::string last_line(const std::string& text) {
  std::string t = text;
  while (!t.empty() && t.back() == '\n') t.pop_back();
  const auto nl = t.find_last_of('\n');
  return nl == std::string::npos ? t : t.substr(nl + 1);
}

// Number of lines in text (a trailing newline does not start a new line).
inline int line_count(const std::string& text) {
  int n = 0;
  for (char c : text) n += c == '\n';
  if (!text.empty() && text.back() != '\n') ++n;
  return n;
}

}  // namespace hindsight::testing
