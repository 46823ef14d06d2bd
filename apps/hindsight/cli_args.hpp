#pragma once
// A small flag parser shared by the subcommands: "--name value", "--flag" and positional words.
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace hindsight::cli {

class ParsedArgs {
 public:
  // Parses args; value_flags take a value, bool_flags do not; anything else starting with "--" is an error.
  ParsedArgs(const std::vector<std::string>& args, const std::set<std::string>& value_flags,
             const std::set<std::string>& bool_flags);
  // True when the boolean flag was given.
  bool has(const std::string& flag) const { return bools_.count(flag) > 0; }
  // The flag's value, if given.
  std::optional<std::string> value(const std::string& flag) const;
  // The flag's value as an integer in [lo, hi]; throws Error naming the flag otherwise.
  std::optional<std::int64_t> int_value(const std::string& flag, std::int64_t lo, std::int64_t hi) const;
  // The flag's value as an unsigned 64-bit seed.
  std::optional<std::uint64_t> seed_value(const std::string& flag) const;
  // Words that are not flags, in order.
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  std::map<std::string, std::string> values_;
  std::set<std::string> bools_;
  std::vector<std::string> positional_;
};

}  // namespace hindsight::cli
