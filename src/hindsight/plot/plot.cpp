#include "hindsight/plot/plot.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "hindsight/core/error.hpp"
#include "hindsight/io/atomic_file.hpp"
#include "hindsight/io/metrics_log.hpp"
#include "hindsight/io/process.hpp"
#include "hindsight/io/run_dir.hpp"

namespace fs = std::filesystem;

namespace hindsight::plot {
namespace {

// gnuplot point types that stay apart at 0.6 size: filled circle, square, triangle, inverted triangle,
// diamond, pentagon.
constexpr std::array<int, 6> kPointTypes{7, 5, 9, 11, 13, 15};

const std::set<std::string> kCounters = {"epoch", "env_steps", "episodes", "wall_seconds"};

// A private scratch directory for gnuplot's script, data and output, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string tmpl = std::string(base && *base ? base : "/tmp") + "/hindsight-plot-XXXXXX";
    if (!::mkdtemp(tmpl.data())) throw Error("cannot create a temporary directory for plotting in " + tmpl);
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// "l<digits>/<metric>" -> (level, metric).
bool split_level_column(const std::string& c, int& level, std::string& metric) {
  const auto slash = c.find('/');
  if (slash == std::string::npos || slash < 2 || c[0] != 'l') return false;
  for (std::size_t i = 1; i < slash; ++i) {
    if (c[i] < '0' || c[i] > '9') return false;
  }
  level = std::atoi(c.substr(1, slash - 1).c_str());
  metric = c.substr(slash + 1);
  return !metric.empty();
}

// A string literal for gnuplot's script: single quotes, an embedded quote doubled.
std::string quoted(const std::string& s) {
  std::string q = "'";
  for (char ch : s) {
    if (ch == '\'') q += '\'';
    if (ch != '\n') q += ch;
  }
  return q + "'";
}

std::string axis_label(const std::string& x) {
  if (x == "env_steps") return "env steps";
  if (x == "wall_seconds") return "wall-clock seconds";
  return x;
}

// Scratch files need no crash safety (the directory is private and thrown away).
void write_scratch(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  check(static_cast<bool>(out), "cannot write " + path);
}

struct Run {
  std::string label;
  io::CsvTable table;
};

}  // namespace

std::vector<FigureSpec> figure_specs(const std::vector<std::string>& columns) {
  std::map<std::string, std::set<std::pair<int, std::string>>> per_level;  // metric -> (level, column)
  std::vector<FigureSpec> figures;
  std::set<std::string> seen;
  for (const auto& c : columns) {
    if (kCounters.count(c) || !seen.insert(c).second) continue;
    int level = 0;
    std::string metric;
    if (split_level_column(c, level, metric)) {
      per_level[metric].insert({level, c});
      continue;
    }
    std::string name = c;
    std::replace(name.begin(), name.end(), '/', '_');
    figures.push_back(FigureSpec{name, c, {c}, false});
  }
  for (const auto& [metric, cols] : per_level) {
    FigureSpec f{"level_" + metric, metric + " per level", {}, true};
    std::replace(f.name.begin(), f.name.end(), '/', '_');
    for (const auto& [level, col] : cols) f.columns.push_back(col);
    figures.push_back(std::move(f));
  }
  // Success first, as users read it first; the rest by name so the order is stable across runs.
  auto rank = [](const FigureSpec& f) {
    if (f.name == "test_success_rate") return 0;
    if (f.name == "train_success_rate") return 1;
    if (f.name == "level_success_rate") return 2;
    return 3;
  };
  std::stable_sort(figures.begin(), figures.end(), [&](const FigureSpec& a, const FigureSpec& b) {
    return rank(a) != rank(b) ? rank(a) < rank(b) : a.name < b.name;
  });
  return figures;
}

std::vector<double> moving_average(std::span<const double> values, int w) {
  if (w <= 1) return {values.begin(), values.end()};
  const auto n = static_cast<long>(values.size());
  const long before = (w - 1) / 2, after = w / 2;
  std::vector<double> out(values.size());
  for (long i = 0; i < n; ++i) {
    const long lo = std::max(0L, i - before), hi = std::min(n - 1, i + after);
    double sum = 0;
    for (long j = lo; j <= hi; ++j) sum += values[static_cast<std::size_t>(j)];
    out[static_cast<std::size_t>(i)] = sum / static_cast<double>(hi - lo + 1);
  }
  return out;
}

std::string run_label(const std::string& run_dir) {
  fs::path p(run_dir);
  if (!p.has_filename()) p = p.parent_path();  // "runs/a/" names run a
  const std::string name = p.filename().string();
  return name.empty() || name == "." ? run_dir : name;
}

std::string seed_group(const std::string& label) {
  static const std::regex seed_segment("[-_]s[0-9]+(?=[-_]|$)");
  return std::regex_replace(label, seed_segment, "");
}

std::vector<std::size_t> colour_groups(const std::vector<std::string>& labels) {
  std::vector<std::string> groups;
  std::vector<std::size_t> out;
  for (const auto& label : labels) {
    const std::string g = seed_group(label);
    const auto it = std::find(groups.begin(), groups.end(), g);
    out.push_back(static_cast<std::size_t>(it - groups.begin()));
    if (it == groups.end()) groups.push_back(g);
  }
  return out;
}

bool dashed_run(const std::string& label, const std::vector<std::string>& patterns) {
  return std::any_of(patterns.begin(), patterns.end(),
                     [&](const std::string& p) { return !p.empty() && label.find(p) != std::string::npos; });
}

int figure_height(int base_height, std::size_t curves) {
  const auto extra = static_cast<long>(curves) - kLegendRowsInHeight;
  return base_height + static_cast<int>(std::max(0L, extra)) * kLegendRowPixels;
}

PlotResult plot_runs(const std::vector<std::string>& run_dirs, const PlotOptions& opts) {
  check(!run_dirs.empty(), "plot needs at least one run directory");
  check(opts.smooth >= 1, "smoothing width must be >= 1, got " + std::to_string(opts.smooth));
  check(opts.x == "env_steps" || opts.x == "epoch" || opts.x == "wall_seconds",
        "x axis must be env_steps, epoch or wall_seconds, got '" + opts.x + "'");
  check(!opts.out_dir.empty(), "plot needs an output directory");
  for (const auto& p : opts.dashed) check(!p.empty(), "a dashed-run pattern must not be empty");
  const auto gnuplot = io::find_on_path("gnuplot");
  check(gnuplot.has_value(), "gnuplot not found on PATH (Debian: apt-get install gnuplot-nox)");

  std::vector<Run> runs;
  std::vector<std::string> all_columns;
  std::map<std::string, int> label_count;
  for (const auto& dir : run_dirs) label_count[run_label(dir)]++;
  for (const auto& dir : run_dirs) {
    const std::string csv = io::run_paths(dir).progress;
    check(io::file_exists(csv), dir + ": no progress.csv (not a run directory, or training has not started)");
    Run r{run_label(dir), io::read_csv(csv)};
    // Two runs with the same basename would share a legend entry: name them by their path instead.
    if (label_count[r.label] > 1) r.label = dir;
    check(!r.table.rows.empty(), csv + ": no rows yet (the first epoch has not finished)");
    r.table.column(opts.x);  // throws naming the column when absent
    all_columns.insert(all_columns.end(), r.table.header.begin(), r.table.header.end());
    runs.push_back(std::move(r));
  }

  // Colours by configuration; within one, the n-th seed gets the n-th point shape.
  std::vector<std::string> labels;
  for (const auto& r : runs) labels.push_back(r.label);
  const std::vector<std::size_t> groups = colour_groups(labels);
  std::vector<std::size_t> seed_index(runs.size(), 0);
  std::vector<std::size_t> dash_offset(runs.size(), 0);  // 1 for the runs drawn dashed
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const auto before = groups.begin() + static_cast<std::ptrdiff_t>(i);
    seed_index[i] = static_cast<std::size_t>(std::count(groups.begin(), before, groups[i]));
    dash_offset[i] = dashed_run(labels[i], opts.dashed) ? 1 : 0;
  }

  const TempDir tmp;
  std::ostringstream script;
  script << "cairo = strstrt(GPVAL_TERMINALS, 'pngcairo') > 0\n"
         << "set grid\nset key below vertical maxcols 1\nset xlabel " << quoted(axis_label(opts.x)) << "\n";

  PlotResult result;
  std::vector<std::pair<std::string, std::string>> outputs;  // (temporary PNG, final path)
  int series_id = 0;
  for (const FigureSpec& fig : figure_specs(all_columns)) {
    std::vector<std::string> plot_items;
    for (std::size_t ri = 0; ri < runs.size(); ++ri) {
      const Run& run = runs[ri];
      const std::size_t xc = run.table.column(opts.x);
      for (std::size_t li = 0; li < fig.columns.size(); ++li) {
        const auto& header = run.table.header;
        const auto it = std::find(header.begin(), header.end(), fig.columns[li]);
        if (it == header.end()) continue;
        const auto yc = static_cast<std::size_t>(it - header.begin());
        std::vector<double> xs, ys;
        for (const auto& row : run.table.rows) {
          if (std::isfinite(row[xc]) && std::isfinite(row[yc])) {
            xs.push_back(row[xc]);
            ys.push_back(row[yc]);
          }
        }
        if (ys.empty()) continue;
        ys = moving_average(ys, opts.smooth);
        const std::string data = tmp.path() + "/s" + std::to_string(series_id++) + ".dat";
        std::ostringstream d;
        d.precision(10);
        for (std::size_t k = 0; k < xs.size(); ++k) d << xs[k] << ' ' << ys[k] << '\n';
        write_scratch(data, d.str());
        // One run: a colour per level. Several runs: a colour per configuration (the seeds of one share
        // it and differ in point shape), a dash pattern per level. A dashed run starts one pattern later.
        const std::size_t colour = runs.size() > 1 ? groups[ri] : li;
        const std::size_t dash = (runs.size() > 1 ? li : 0) + dash_offset[ri];
        const std::size_t shape = runs.size() > 1 ? seed_index[ri] : 0;
        std::string title = run.label;
        if (fig.per_level) {  // appended piecewise: GCC 12 warns falsely (-Wrestrict) on " " + substr
          title += ' ';
          title.append(fig.columns[li], 0, fig.columns[li].find('/'));
        }
        const std::string style =
            xs.size() <= 30 ? "linespoints pt " + std::to_string(kPointTypes[shape % kPointTypes.size()]) + " ps 0.6"
                            : "lines";
        std::ostringstream item;
        item << quoted(data) << " using 1:2 with " << style
             << " lw 1.5 lc " << colour + 1 << " dt " << dash + 1 << " title " << quoted(title);
        plot_items.push_back(item.str());
      }
    }
    if (plot_items.empty()) {
      result.empty.push_back(fig.name);
      continue;
    }
    const std::string png = tmp.path() + "/" + fig.name + ".png";
    outputs.emplace_back(png, (fs::path(opts.out_dir) / (fig.name + ".png")).string());
    std::string title = fig.title;
    if (opts.smooth > 1) title += " (moving average of " + std::to_string(opts.smooth) + ")";
    std::string size = std::to_string(opts.width);  // appended piecewise (GCC 12 -Wrestrict, as above)
    size += ',';
    size += std::to_string(figure_height(opts.height, plot_items.size()));
    script << "if (cairo) {\n  set terminal pngcairo size " << size << " noenhanced font 'sans,10'\n"
           << "} else {\n  set terminal png size " << size << " noenhanced\n}\n";
    script << "set output " << quoted(png) << "\nset title " << quoted(title) << "\n";
    const bool rate = fig.name.find("success_rate") != std::string::npos;
    script << (rate ? "set yrange [-0.02:1.02]\n" : "set autoscale y\n");
    script << "plot ";
    for (std::size_t i = 0; i < plot_items.size(); ++i) script << (i ? ", \\\n     " : "") << plot_items[i];
    script << "\nunset output\n";
  }
  check(!outputs.empty(),
        "nothing to plot: no metric has a finite value in " + std::to_string(runs.size()) + " run(s)");

  const std::string script_path = tmp.path() + "/plots.gp";
  write_scratch(script_path, script.str());
  std::string err;
  const int status = io::run_process({*gnuplot, script_path}, &err);
  check(status == 0, "gnuplot failed (exit status " + std::to_string(status) + "): " + err);
  // Every figure must exist before any is published, so a failure leaves the old plots untouched.
  std::vector<std::string> images;
  for (const auto& [png, final_path] : outputs) {
    std::string bytes = io::file_exists(png) ? io::read_file(png) : std::string();
    check(!bytes.empty(), "gnuplot wrote no image for " + final_path);
    images.push_back(std::move(bytes));
  }
  std::error_code ec;
  fs::create_directories(opts.out_dir, ec);
  check(!ec, "cannot create " + opts.out_dir + ": " + ec.message());
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    io::write_file_atomic(outputs[i].second, images[i]);
    result.written.push_back(outputs[i].second);
  }
  return result;
}

}  // namespace hindsight::plot
