#pragma once
// The subcommands of the hindsight CLI; each takes its arguments (without the subcommand name)
// and returns the process exit code. Errors are thrown as hindsight::Error.
#include <string>
#include <vector>

namespace hindsight::cli {

using Args = std::vector<std::string>;

int cmd_env(const Args& args);    // hindsight env NAME [--reset] [--seed S] [--json] | --scripted | --list
int cmd_train(const Args& args);  // hindsight train [--config FILE] [flags] [key=value ...] | --resume RUN_DIR
int cmd_eval(const Args& args);   // hindsight eval RUN_DIR [--episodes N] [--seed S] [--checkpoint best|latest|PATH]
int cmd_record(const Args& args); // hindsight record RUN_DIR [--checkpoint C] [--episodes N] [--out FILE.mp4]
int cmd_plot(const Args& args);   // hindsight plot RUN_DIR [RUN_DIR ...] [--out DIR] [--smooth W] [--x X]

// The checkpoint file `which` (best, latest or a path) names for run_dir; best falls back to latest when a
// run has none yet. Throws Error when the file does not exist.
std::string checkpoint_path(const std::string& run_dir, const std::string& which);

}  // namespace hindsight::cli
