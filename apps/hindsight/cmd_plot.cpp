// hindsight plot: learning curves of one or more runs as PNGs, one per metric; several runs overlaid
// in each figure make an A/B comparison.
#include <iostream>

#include "cli_args.hpp"
#include "commands.hpp"
#include "hindsight/core/error.hpp"
#include "hindsight/io/run_dir.hpp"
#include "hindsight/plot/plot.hpp"

namespace hindsight::cli {

int cmd_plot(const Args& args) {
  const ParsedArgs p(args, {"--out", "--smooth", "--x"}, {});
  check(!p.positional().empty(),
        "plot expects run directories: hindsight plot RUN_DIR [RUN_DIR ...] [--out DIR]");
  for (const auto& run : p.positional())
    check(io::is_run_dir(run), run + ": not a run directory (no config.yaml)");
  plot::PlotOptions opts;
  // One run: its own plots/ directory. Several: a comparison belongs to none of them, so --out is required.
  check(p.positional().size() == 1 || p.value("--out"), "plotting several runs needs --out DIR");
  opts.out_dir = p.value("--out").value_or(io::run_paths(p.positional()[0]).plots);
  opts.smooth = static_cast<int>(p.int_value("--smooth", 1, 100000).value_or(1));
  opts.x = p.value("--x").value_or("env_steps");
  const auto result = plot::plot_runs(p.positional(), opts);
  for (const auto& path : result.written) std::cout << path << "\n";
  for (const auto& name : result.empty) std::cout << "skipped " << name << " (no finite values)\n";
  std::cout << "plots=" << result.written.size() << " dir=" << opts.out_dir << "\n";
  return 0;
}

}  // namespace hindsight::cli
