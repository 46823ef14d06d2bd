#pragma once
// The subcommands of the hindsight CLI. Each add_* declares its subcommand (flags, positionals, help) on the
// CLI11 app and returns what runs it once the command line is parsed; the run returns the process exit code
// and throws hindsight::Error for bad input.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "hindsight/env/goal_env.hpp"

namespace CLI {
class App;
}  // namespace CLI

namespace hindsight::cli {

// A declared subcommand and the function that runs it with its parsed values.
struct Command {
  CLI::App* app = nullptr;
  std::function<int()> run;
};

Command add_train(CLI::App& app);   // hindsight train [--config FILE] [flags] [key=value ...] | --resume RUN_DIR
Command add_eval(CLI::App& app);    // hindsight eval RUN_DIR [--episodes N] [--seed S] [--checkpoint best|latest|PATH]
Command add_record(CLI::App& app);  // hindsight record RUN_DIR [--checkpoint C] [--episodes N] [--out FILE.mp4]
Command add_plot(CLI::App& app);    // hindsight plot RUN_DIR [RUN_DIR ...] [--out DIR] [--smooth W] [--x X]
Command add_env(CLI::App& app);     // hindsight env NAME [--reset] [--seed S] [--json] | --scripted | --list

// The checkpoint file `which` (best, latest or a path) names for run_dir; best falls back to latest when a
// run has none yet. Throws Error when the file does not exist.
std::string checkpoint_path(const std::string& run_dir, const std::string& which);
// The goals of --goal words and a --goals file, in that order, each checked against env's goal size.
std::vector<std::vector<double>> chosen_goals(const std::vector<std::string>& goals,
                                              const std::optional<std::string>& goals_file, const GoalEnv& env);
// Declares --goal X,Y,Z (repeatable) and --goals FILE on a subcommand (eval, record).
void add_goal_flags(CLI::App& app, std::vector<std::string>& goals, std::optional<std::string>& goals_file,
                    const std::string& episodes_note);

}  // namespace hindsight::cli
