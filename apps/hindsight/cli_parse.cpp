#include "cli_parse.hpp"

#include <cerrno>
#include <cstdlib>
#include <memory>

#include <CLI/CLI.hpp>

#include "hindsight/core/error.hpp"

namespace hindsight::cli {

CLI::Option* add_value_flag(CLI::App& app, const std::string& name, std::optional<std::string>& value,
                            const std::string& value_name, const std::string& help) {
  return app.add_option_function<std::string>(name, [&value](const std::string& v) { value = v; }, help)
      ->type_name(value_name)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
}

CLI::Option* add_bool_flag(CLI::App& app, const std::string& name, bool& on, const std::string& help) {
  return app.add_flag(name, on, help)->disable_flag_override();
}

CLI::Option* add_words(CLI::App& app, const std::string& name, std::vector<std::string>& words,
                       const std::string& usage, const std::string& help) {
  return app.add_option(name, words, help)->type_name(usage);
}

namespace {

// CLI11's layout, except that a positional is shown by its usage alone: its words are collected as a list so
// that the command can refuse a wrong count in its own words, but `eval` takes one RUN_DIR, not RUN_DIR...
class HelpFormatter : public CLI::Formatter {
 public:
  std::string make_option_name(const CLI::Option* opt, bool is_positional) const override {
    return is_positional ? opt->get_type_name() : CLI::Formatter::make_option_name(opt, false);
  }
  std::string make_option_opts(const CLI::Option* opt) const override {
    return opt->get_positional() ? std::string() : CLI::Formatter::make_option_opts(opt);
  }
  std::string make_option_usage(const CLI::Option* opt) const override { return opt->get_type_name(); }
};

}  // namespace

void set_help_layout(CLI::App& app) {
  auto f = std::make_shared<HelpFormatter>();
  f->label("SUBCOMMAND", "COMMAND");
  f->label("Positionals", "Arguments");
  f->column_width(32);  // "--checkpoint best|latest|PATH" and its help on one line
  app.formatter(f);
}

void check_no_unknown_flags(const CLI::App& app) {
  // Every subcommand takes all other words as positionals, so what CLI11 left over looks like a flag.
  const std::vector<std::string> extras = app.remaining(false);
  if (!extras.empty()) throw Error("unknown flag " + extras.front());
}

std::string parse_error_message(const CLI::ParseError& e) {
  const std::string what = e.what();
  if (dynamic_cast<const CLI::ArgumentMismatch*>(&e)) {
    // CLI11 words these "--seed: 1 required TEXT missing" and "json was given a disallowed flag override".
    const std::string missing = " missing", override_ = " was given a disallowed flag override";
    const auto colon = what.find(": ");
    if (colon != std::string::npos && what.size() > missing.size() &&
        what.compare(what.size() - missing.size(), missing.size(), missing) == 0) {
      return "flag " + what.substr(0, colon) + " needs a value";
    }
    if (what.size() > override_.size() &&
        what.compare(what.size() - override_.size(), override_.size(), override_) == 0) {
      return "flag --" + what.substr(0, what.size() - override_.size()) + " takes no value";
    }
  }
  return what;
}

std::optional<std::int64_t> int_value(const std::string& flag, const std::optional<std::string>& value,
                                      std::int64_t lo, std::int64_t hi) {
  if (!value) return std::nullopt;
  const std::string& v = *value;
  errno = 0;
  char* end = nullptr;
  const long long x = std::strtoll(v.c_str(), &end, 10);
  check(!v.empty() && end && *end == '\0' && errno == 0, flag + " expects an integer, got '" + v + "'");
  check(x >= lo && x <= hi, flag + " must be in [" + std::to_string(lo) + ", " + std::to_string(hi) + "], got " + v);
  return x;
}

std::optional<std::uint64_t> seed_value(const std::string& flag, const std::optional<std::string>& value) {
  if (!value) return std::nullopt;
  const std::string& v = *value;
  errno = 0;
  char* end = nullptr;
  check(!v.empty() && v[0] != '-', flag + " expects a non-negative integer, got '" + v + "'");
  const unsigned long long x = std::strtoull(v.c_str(), &end, 10);
  check(end && *end == '\0' && errno == 0, flag + " expects a non-negative integer, got '" + v + "'");
  return x;
}

}  // namespace hindsight::cli
