// hindsight plot: learning curves of one or more runs as PNGs, one per metric; several runs overlaid
// in each figure make an A/B comparison.
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli_parse.hpp"
#include "commands.hpp"
#include "hindsight/core/error.hpp"
#include "hindsight/io/run_dir.hpp"
#include "hindsight/plot/plot.hpp"

namespace hindsight::cli {
namespace {

// The parsed command line of `hindsight plot`.
struct PlotArgs {
  std::vector<std::string> runs;
  std::optional<std::string> out, smooth, x;
  std::vector<std::string> dashed;  // --dashed TEXT, in order
};

// Draws the runs' curves and prints every PNG written, then plots=<n> dir=<dir> last.
int run_plot(const PlotArgs& a) {
  check(!a.runs.empty(), "plot expects run directories: hindsight plot RUN_DIR [RUN_DIR ...] [--out DIR]");
  for (const auto& run : a.runs) check(io::is_run_dir(run), run + ": not a run directory (no config.yaml)");
  plot::PlotOptions opts;
  // One run: its own plots/ directory. Several: a comparison belongs to none of them, so --out is required.
  check(a.runs.size() == 1 || a.out, "plotting several runs needs --out DIR");
  opts.out_dir = a.out.value_or(io::run_paths(a.runs[0]).plots);
  opts.smooth = static_cast<int>(int_value("--smooth", a.smooth, 1, 100000).value_or(1));
  opts.x = a.x.value_or("env_steps");
  opts.dashed = a.dashed;
  const auto result = plot::plot_runs(a.runs, opts);
  for (const auto& path : result.written) std::cout << path << "\n";
  for (const auto& name : result.empty) std::cout << "skipped " << name << " (no finite values)\n";
  std::cout << "plots=" << result.written.size() << " dir=" << opts.out_dir << "\n";
  return 0;
}

}  // namespace

Command add_plot(CLI::App& app) {
  auto a = std::make_shared<PlotArgs>();
  CLI::App* sub = app.add_subcommand(
      "plot", "Draw learning curves of one or more runs as PNGs, one per metric, the runs overlaid");
  add_words(*sub, "RUN_DIR", a->runs, "RUN_DIR [RUN_DIR ...]", "run directories to draw (several: an A/B comparison)");
  add_value_flag(*sub, "--out", a->out, "DIR", "where the PNGs go (default RUN_DIR/plots; needed for several runs)");
  add_value_flag(*sub, "--smooth", a->smooth, "W",
                 "centred moving average over W points, in [1, 100000] (default 1: raw)");
  add_value_flag(*sub, "--x", a->x, "AXIS", "x axis: env_steps, epoch or wall_seconds (default env_steps)");
  // One value per --dashed: a repeated flag adds a pattern (and never swallows the run directories after it).
  sub->add_option("--dashed", a->dashed,
                  "draw dashed the runs whose name contains TEXT, e.g. --dashed demos (repeatable)")
      ->type_name("TEXT")
      ->allow_extra_args(false);
  return {sub, [a] { return run_plot(*a); }};
}

}  // namespace hindsight::cli
