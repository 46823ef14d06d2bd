#include "hindsight/train/progress_bar.hpp"

#include <unistd.h>

#include <cmath>
#include <cstdio>

namespace hindsight::train {

std::string format_duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  const long s = std::lround(seconds);
  char buf[32];
  if (s >= 3600) {
    std::snprintf(buf, sizeof buf, "%ldh%02ldm", s / 3600, (s % 3600) / 60);
  } else if (s >= 60) {
    std::snprintf(buf, sizeof buf, "%ldm%02lds", s / 60, s % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%lds", s);
  }
  return buf;
}

ProgressBar::ProgressBar(std::string label, std::int64_t total, bool enabled)
    : label_(std::move(label)),
      total_(total > 0 ? total : 1),
      enabled_(enabled),
      tty_(::isatty(STDERR_FILENO) == 1),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

void ProgressBar::update(std::int64_t done, const std::string& suffix) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  const int percent = static_cast<int>(100 * done / total_);
  if (tty_) {
    if (now - last_draw_ < std::chrono::milliseconds(200)) return;
  } else if (percent / 10 == last_percent_ / 10) {
    return;  // logs get a line every 10%
  }
  last_draw_ = now;
  last_percent_ = percent;
  draw(done, suffix, false);
}

void ProgressBar::finish(const std::string& suffix) {
  if (!enabled_) return;
  draw(total_, suffix, true);
}

void ProgressBar::draw(std::int64_t done, const std::string& suffix, bool final) {
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double frac = static_cast<double>(done) / static_cast<double>(total_);
  const double eta = done > 0 ? elapsed * (1.0 - frac) / frac : NAN;
  const int width = 24;
  std::string bar(static_cast<std::size_t>(width), ' ');
  for (int i = 0; i < static_cast<int>(frac * width); ++i) bar[static_cast<std::size_t>(i)] = '#';
  std::fprintf(stderr, "%s%s [%s] %3d%% %lld/%lld %s elapsed %s eta %s%s", tty_ ? "\r\033[K" : "", label_.c_str(),
               bar.c_str(), static_cast<int>(100 * frac), static_cast<long long>(done),
               static_cast<long long>(total_), suffix.c_str(), format_duration(elapsed).c_str(),
               final ? "0s" : format_duration(eta).c_str(), (final || !tty_) ? "\n" : "");
  std::fflush(stderr);
}

}  // namespace hindsight::train
