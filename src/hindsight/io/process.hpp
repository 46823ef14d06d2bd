#pragma once
// Child processes for the external tools hindsight drives (ffmpeg, gnuplot). A tool is looked up on
// PATH first so a missing one is a clear error instead of a failed exec; it is spawned without a
// shell (user paths need no quoting); its stderr goes to an anonymous in-memory file so a failure can
// be reported in one line; its stdin, when wanted, is a socket so that writing to a child that died
// returns an error instead of raising SIGPIPE in the whole process.
#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace hindsight::io {

// The full path of the executable `name` found on PATH, or nullopt when there is none.
std::optional<std::string> find_on_path(const std::string& name);

class ChildProcess {
 public:
  // Spawns argv[0] (a path) with argv; with_stdin opens a stream for write(). Throws Error on failure.
  ChildProcess(const std::vector<std::string>& argv, bool with_stdin);
  // Kills and reaps a child that was not waited for (an abandoned job must not outlive its owner).
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Writes all bytes to the child's stdin; false when the child stopped reading (it exited).
  bool write(std::span<const std::uint8_t> bytes);
  // Closes stdin and waits for the child; returns its exit status (128 + signal when killed).
  int wait();
  // The last non-empty line the child wrote to stderr so far ("" when none).
  std::string stderr_last_line() const;

 private:
  pid_t pid_ = -1;
  int stdin_fd_ = -1;   // our end of the child's stdin socket
  int stderr_fd_ = -1;  // memfd holding the child's stderr
  int status_ = -1;
};

// Runs argv to completion without stdin; returns the exit status and stores the last stderr line in err.
int run_process(const std::vector<std::string>& argv, std::string* err = nullptr);

}  // namespace hindsight::io
