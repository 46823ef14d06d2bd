#pragma once
// Learning curves from progress.csv: one PNG per metric, one line per level and per run, so several runs
// overlaid in one figure make an A/B comparison. gnuplot draws (pngcairo, or png where cairo is missing)
// from a generated script and data files in a temporary directory; smoothing happens here.
#include <span>
#include <string>
#include <vector>

namespace hindsight::plot {

struct PlotOptions {
  std::string out_dir;          // where the PNGs go (created if missing)
  int smooth = 1;               // centred moving-average width in points; 1 = raw values
  std::string x = "env_steps";  // x axis: env_steps, epoch or wall_seconds
  int width = 800;              // image width in pixels
  int height = 480;             // image height in pixels with up to kLegendRowsInHeight legend rows
  std::vector<std::string> dashed;  // runs whose label contains one of these are drawn dashed
};

// The legend sits below the plot, one curve per row; a figure with more curves than this is made taller by
// kLegendRowPixels per extra row, so the plot area keeps its size however many runs are overlaid.
inline constexpr int kLegendRowsInHeight = 4;
inline constexpr int kLegendRowPixels = 16;
// Image height for a figure of `curves` legend rows: base_height up to kLegendRowsInHeight rows, then
// kLegendRowPixels more per row.
int figure_height(int base_height, std::size_t curves);

// One figure: its file stem and the progress.csv columns it draws (per level, or a single column).
struct FigureSpec {
  std::string name;                  // file stem, e.g. "test_success_rate" or "level_actor_loss"
  std::string title;                 // figure title
  std::vector<std::string> columns;  // columns drawn, e.g. {"l0/actor_loss", "l1/actor_loss"}
  bool per_level = false;            // columns are one metric's "l<i>/" columns (legend names the level)
};

// The figures for a union of progress.csv headers: every column except the counters (epoch, env_steps,
// episodes, wall_seconds); "l<i>/<metric>" columns of all levels share the figure "level_<metric>",
// any other "a/b" column gets the figure "a_b". Ordered: test and train success first, then by name.
std::vector<FigureSpec> figure_specs(const std::vector<std::string>& columns);
// Centred moving average of width w (edges average the points available); w <= 1 returns values.
std::vector<double> moving_average(std::span<const double> values, int w);
// A run's name in legends: the basename of its directory.
std::string run_label(const std::string& run_dir);
// The configuration a run label names: the label without its seed segments ("-s3" or "_s3" followed by
// "-", "_" or the end), so "flat-np1-s2" and "flat-np1-s3" (bench/learning.sh's names) share "flat-np1".
std::string seed_group(const std::string& label);
// Per label, the index of its seed group in order of first appearance: the colour of its curves.
std::vector<std::size_t> colour_groups(const std::vector<std::string>& labels);
// Whether a run with this label is drawn dashed: its label contains one of the (non-empty) patterns.
bool dashed_run(const std::string& label, const std::vector<std::string>& patterns);
// What plot_runs wrote.
struct PlotResult {
  std::vector<std::string> written;  // PNG paths
  std::vector<std::string> empty;    // figures skipped because no run has a finite value in their columns
};
// Writes one PNG per figure for the runs' progress.csv files into opts.out_dir (each file atomically).
// Throws Error on a missing gnuplot, an unreadable run, a bad option, or a gnuplot failure (then no PNG
// is written at all).
PlotResult plot_runs(const std::vector<std::string>& run_dirs, const PlotOptions& opts);

}  // namespace hindsight::plot
