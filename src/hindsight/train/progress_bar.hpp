#pragma once
// A progress line with rate and ETA on stderr: redrawn in place on a terminal, printed every few
// percent otherwise (log files stay readable).
#include <chrono>
#include <cstdint>
#include <string>

namespace hindsight::train {

class ProgressBar {
 public:
  // A bar for `total` units of work, labelled; silent when enabled is false (non-root ranks).
  ProgressBar(std::string label, std::int64_t total, bool enabled = true);
  // Marks `done` units complete and redraws if due; suffix is shown after the counts.
  void update(std::int64_t done, const std::string& suffix = "");
  // Draws the final state and ends the line.
  void finish(const std::string& suffix = "");

 private:
  void draw(std::int64_t done, const std::string& suffix, bool final);
  std::string label_;
  std::int64_t total_;
  bool enabled_, tty_;
  std::chrono::steady_clock::time_point start_, last_draw_;
  int last_percent_ = -1;
};

// "1h02m", "3m05s", "12s".
std::string format_duration(double seconds);

}  // namespace hindsight::train
