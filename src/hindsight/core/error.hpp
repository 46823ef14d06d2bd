#pragma once
// The one exception type for bad user input and unrecoverable states: its message is a single line
// shown to the user as "hindsight: <message>" before a non-zero exit.
#include <stdexcept>
#include <string>

namespace hindsight {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

// Throws Error(message) when cond is false.
inline void check(bool cond, const std::string& message) {
  if (!cond) throw Error(message);
}

}  // namespace hindsight
