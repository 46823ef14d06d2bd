#include "cli_args.hpp"

#include <cerrno>
#include <cstdlib>

#include "hindsight/core/error.hpp"

namespace hindsight::cli {

ParsedArgs::ParsedArgs(const std::vector<std::string>& args, const std::set<std::string>& value_flags,
                       const std::set<std::string>& bool_flags) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a.rfind("--", 0) != 0) {
      positional_.push_back(a);
      continue;
    }
    if (value_flags.count(a)) {
      check(i + 1 < args.size(), "flag " + a + " needs a value");
      values_[a] = args[++i];
    } else if (bool_flags.count(a)) {
      bools_.insert(a);
    } else {
      throw Error("unknown flag " + a);
    }
  }
}

std::optional<std::string> ParsedArgs::value(const std::string& flag) const {
  const auto it = values_.find(flag);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::optional<std::int64_t> ParsedArgs::int_value(const std::string& flag, std::int64_t lo, std::int64_t hi) const {
  const auto v = value(flag);
  if (!v) return std::nullopt;
  errno = 0;
  char* end = nullptr;
  const long long x = std::strtoll(v->c_str(), &end, 10);
  check(!v->empty() && end && *end == '\0' && errno == 0, flag + " expects an integer, got '" + *v + "'");
  check(x >= lo && x <= hi, flag + " must be in [" + std::to_string(lo) + ", " + std::to_string(hi) + "], got " + *v);
  return x;
}

std::optional<std::uint64_t> ParsedArgs::seed_value(const std::string& flag) const {
  const auto v = value(flag);
  if (!v) return std::nullopt;
  errno = 0;
  char* end = nullptr;
  check(!v->empty() && (*v)[0] != '-', flag + " expects a non-negative integer, got '" + *v + "'");
  const unsigned long long x = std::strtoull(v->c_str(), &end, 10);
  check(end && *end == '\0' && errno == 0, flag + " expects a non-negative integer, got '" + *v + "'");
  return x;
}

}  // namespace hindsight::cli
