#pragma once
// How the subcommands use CLI11: flag values are kept as text and converted by the checks below, unknown
// flags are collected as extras and reported here, so every bad flag gets the project's one-line message
// ("unknown flag --epoch", "flag --seed needs a value", "--episodes must be in [1, 10000], got 0").
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace CLI {
class App;
class Option;
class ParseError;
}  // namespace CLI

namespace hindsight::cli {

// Declares the flag `name` taking one value (shown as value_name); the value given, the last one if the flag
// is repeated, lands in `value`.
CLI::Option* add_value_flag(CLI::App& app, const std::string& name, std::optional<std::string>& value,
                            const std::string& value_name, const std::string& help);
// Declares the boolean flag `name`; `on` becomes true when it is given ("--name=value" is refused).
CLI::Option* add_bool_flag(CLI::App& app, const std::string& name, bool& on, const std::string& help);
// Declares the positional `name` that takes every word that is not a flag, in order; help shows it as `usage`
// (e.g. "RUN_DIR" or "[key=value ...]"), the command itself checks how many it got.
CLI::Option* add_words(CLI::App& app, const std::string& name, std::vector<std::string>& words,
                       const std::string& usage, const std::string& help);
// Gives app (and the subcommands added to it afterwards) the CLI's help layout: positionals by their usage,
// COMMAND for a subcommand.
void set_help_layout(CLI::App& app);

// Throws Error("unknown flag X") for the first word of app's command line that no flag of app matched.
void check_no_unknown_flags(const CLI::App& app);
// A CLI11 parse error as the one-line message the CLI prints, in the project's wording.
std::string parse_error_message(const CLI::ParseError& e);

// The value of flag as an integer in [lo, hi], if given; throws Error naming the flag otherwise.
std::optional<std::int64_t> int_value(const std::string& flag, const std::optional<std::string>& value,
                                      std::int64_t lo, std::int64_t hi);
// The value of flag as an unsigned 64-bit seed, if given; throws Error naming the flag otherwise.
std::optional<std::uint64_t> seed_value(const std::string& flag, const std::optional<std::string>& value);

}  // namespace hindsight::cli
