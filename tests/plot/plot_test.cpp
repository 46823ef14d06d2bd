#include "hindsight/plot/plot.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "hindsight/core/error.hpp"
#include "hindsight/io/atomic_file.hpp"
#include "support/media.hpp"

namespace hindsight::plot {
namespace {

using hindsight::testing::dir_entries;
using hindsight::testing::fresh_dir;
using hindsight::testing::is_png;

// A run directory holding only a progress.csv with the given text.
std::string fake_run(const std::string& parent, const std::string& name, const std::string& csv) {
  const std::string dir = parent + "/" + name;
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/progress.csv") << csv;
  return dir;
}

const char* kFlatCsv =
    "epoch,env_steps,episodes,wall_seconds,test/success_rate,train/success_rate,l0/success_rate,"
    "l0/actor_loss,l0/critic_loss,l0/q_mean,l0/reward\n"
    "1,100,2,1.5,0,0,0,0.5,0.2,-1,-1\n"
    "2,200,4,3.0,0.5,0.25,0.25,0.4,0.1,-2,-0.9\n"
    "3,300,6,4.5,1,0.5,0.5,0.3,nan,-3,-0.8\n";
const char* kTwoLevelCsv =
    "epoch,env_steps,episodes,wall_seconds,test/success_rate,train/success_rate,l0/success_rate,"
    "l0/actor_loss,l1/success_rate,l1/actor_loss,l1/subgoal_test_rate\n"
    "1,100,2,1,0.1,0.1,0.2,0.5,0.1,0.7,0.3\n"
    "2,200,4,2,0.2,0.2,0.4,0.4,0.2,0.6,0.2\n";

TEST(PlotFigures, OneFigurePerMetricWithEveryLevelInIt) {
  const std::vector<std::string> cols{"epoch",
                                      "env_steps",
                                      "episodes",
                                      "wall_seconds",
                                      "test/success_rate",
                                      "train/success_rate",
                                      "l0/success_rate",
                                      "l0/actor_loss",
                                      "l1/actor_loss",
                                      "l1/success_rate",
                                      "l1/subgoal_test_rate",
                                      "l0/success_rate"};
  const auto figs = figure_specs(cols);
  std::vector<std::string> names;
  for (const auto& f : figs) names.push_back(f.name);
  EXPECT_EQ(names, (std::vector<std::string>{"test_success_rate", "train_success_rate", "level_success_rate",
                                             "level_actor_loss", "level_subgoal_test_rate"}));
  EXPECT_EQ(figs[2].columns, (std::vector<std::string>{"l0/success_rate", "l1/success_rate"}));
  EXPECT_TRUE(figs[2].per_level);
  EXPECT_FALSE(figs[0].per_level);
}

TEST(PlotFigures, MovingAverageIsCentredAndKeepsTheLength) {
  const std::vector<double> v{0, 3, 6, 9, 12};
  EXPECT_EQ(moving_average(v, 1), v);
  EXPECT_EQ(moving_average(v, 3), (std::vector<double>{1.5, 3, 6, 9, 10.5}));
  EXPECT_EQ(moving_average(v, 100), std::vector<double>(5, 6));
  EXPECT_TRUE(moving_average(std::vector<double>{}, 5).empty());
}

TEST(PlotFigures, RunLabelIsTheDirectoryName) {
  EXPECT_EQ(run_label("runs/FetchReach-s0"), "FetchReach-s0");
  EXPECT_EQ(run_label("runs/a/"), "a");
}

TEST(PlotFigures, SeedsOfOneConfigurationShareAColour) {
  EXPECT_EQ(seed_group("flat-s1"), "flat");
  EXPECT_EQ(seed_group("FetchPickAndPlace-hac2-demos-np1-s3"), "FetchPickAndPlace-hac2-demos-np1");
  EXPECT_EQ(seed_group("lr3_s12"), "lr3");
  EXPECT_EQ(seed_group("FetchPush-s1-20261202-062610"), "FetchPush-20261202-062610");
  EXPECT_EQ(seed_group("sweep-s1x"), "sweep-s1x");  // not a seed segment
  EXPECT_EQ(seed_group("s1"), "s1");
  EXPECT_EQ(colour_groups({"flat-s1", "hac-s1", "flat-s2", "hac-s2", "hac3-s1", "other"}),
            (std::vector<std::size_t>{0, 1, 0, 1, 2, 3}));
  EXPECT_TRUE(colour_groups({}).empty());
}

TEST(PlotRuns, TwoRunsGiveOneNonEmptyPngPerMetric) {
  const std::string dir = fresh_dir("plot");
  const std::string a = fake_run(dir, "flat", kFlatCsv), b = fake_run(dir, "hac2", kTwoLevelCsv);
  const auto result = plot_runs({a, b}, PlotOptions{.out_dir = dir + "/cmp", .smooth = 2});
  EXPECT_EQ(
      dir_entries(dir + "/cmp"),
      (std::vector<std::string>{"level_actor_loss.png", "level_critic_loss.png", "level_q_mean.png",
                                "level_reward.png", "level_subgoal_test_rate.png", "level_success_rate.png",
                                "test_success_rate.png", "train_success_rate.png"}));
  EXPECT_EQ(result.written.size(), 8u);
  for (const auto& p : result.written) EXPECT_TRUE(is_png(p)) << p;
  EXPECT_TRUE(result.empty.empty());
}

TEST(PlotFigures, FigureHeightGrowsOneRowPerCurveBeyondTheBase) {
  EXPECT_EQ(figure_height(480, 1), 480);
  EXPECT_EQ(figure_height(480, kLegendRowsInHeight), 480);
  EXPECT_EQ(figure_height(480, kLegendRowsInHeight + 1), 480 + kLegendRowPixels);
  EXPECT_EQ(figure_height(300, kLegendRowsInHeight + 20), 300 + 20 * kLegendRowPixels);
}

TEST(PlotRuns, ManyOverlaidRunsMakeATallerImageOfTheSameWidth) {
  const std::string dir = fresh_dir("plot");
  std::vector<std::string> few, many;
  for (int i = 0; i < 12; ++i) {
    const std::string run = fake_run(dir, "arm" + std::to_string(i) + "-s1", kFlatCsv);
    if (i < 2) few.push_back(run);
    many.push_back(run);
  }
  plot_runs(few, PlotOptions{.out_dir = dir + "/few"});
  plot_runs(many, PlotOptions{.out_dir = dir + "/many"});
  // test/success_rate is one curve per run: 2 fit the base height, 12 need 8 more legend rows.
  EXPECT_EQ(hindsight::testing::png_size(dir + "/few/test_success_rate.png"), (std::pair<int, int>{800, 480}));
  EXPECT_EQ(hindsight::testing::png_size(dir + "/many/test_success_rate.png"),
            (std::pair<int, int>{800, 480 + 8 * kLegendRowPixels}));
}

TEST(PlotFigures, DashedRunsAreThoseWhoseLabelContainsAPattern) {
  EXPECT_TRUE(dashed_run("pnp-flat-demos-s1", {"demos"}));
  EXPECT_TRUE(dashed_run("pnp-hac2-s1", {"demos", "hac2"}));
  EXPECT_FALSE(dashed_run("pnp-flat-scratch-s1", {"demos"}));
  EXPECT_FALSE(dashed_run("pnp-flat-demos-s1", {}));
  EXPECT_FALSE(dashed_run("pnp-flat-demos-s1", {""}));  // an empty pattern marks nothing
}

TEST(PlotRuns, ADashedRunChangesTheImageAndOnlyThatRunsLines) {
  const std::string dir = fresh_dir("plot");
  const std::string a = fake_run(dir, "flat-scratch", kFlatCsv), b = fake_run(dir, "flat-demos", kFlatCsv);
  const auto test_png = [&](const std::string& out, std::vector<std::string> dashed) {
    plot_runs({a, b}, PlotOptions{.out_dir = dir + "/" + out, .dashed = std::move(dashed)});
    return io::read_file(dir + "/" + out + "/test_success_rate.png");
  };
  const std::string solid = test_png("solid", {}), dashed = test_png("dashed", {"demos"});
  EXPECT_NE(solid, dashed);
  EXPECT_EQ(test_png("nomatch", {"nothing"}), solid);  // a pattern no run matches draws as before
}

TEST(PlotRuns, EveryXAxisWorks) {
  const std::string dir = fresh_dir("plot");
  const std::string a = fake_run(dir, "flat", kFlatCsv);
  for (const char* x : {"epoch", "wall_seconds", "env_steps"}) {
    const auto r = plot_runs({a}, PlotOptions{.out_dir = dir + "/" + x, .x = x});
    EXPECT_EQ(r.written.size(), 7u) << x;
  }
}

TEST(PlotRuns, AColumnWithoutValuesIsReportedNotDrawn) {
  const std::string dir = fresh_dir("plot");
  const std::string a = fake_run(dir, "r",
                                 "epoch,env_steps,episodes,wall_seconds,test/success_rate,l0/q_mean\n"
                                 "1,10,1,1,nan,-1\n");
  const auto r = plot_runs({a}, PlotOptions{.out_dir = dir + "/out"});
  EXPECT_EQ(r.empty, std::vector<std::string>{"test_success_rate"});
  EXPECT_EQ(dir_entries(dir + "/out"), std::vector<std::string>{"level_q_mean.png"});
}

TEST(PlotRuns, BadInputIsAClearErrorAndWritesNothing) {
  const std::string dir = fresh_dir("plot");
  const std::string a = fake_run(dir, "flat", kFlatCsv);
  const std::string empty =
      fake_run(dir, "empty", "epoch,env_steps,episodes,wall_seconds,test/success_rate\n");
  std::filesystem::create_directories(dir + "/nocsv");
  const std::string out = dir + "/out";
  auto error_of = [](const std::function<void()>& fn) -> std::string {
    try {
      fn();
    } catch (const Error& e) {
      return e.what();
    }
    return "(no error)";
  };
  EXPECT_NE(
      error_of([&] { plot_runs({a}, PlotOptions{.out_dir = out, .x = "steps"}); }).find("env_steps, epoch"),
      std::string::npos);
  EXPECT_NE(error_of([&] { plot_runs({a}, PlotOptions{.out_dir = out, .smooth = 0}); }).find("smoothing"),
            std::string::npos);
  EXPECT_NE(error_of([&] { plot_runs({a}, PlotOptions{.out_dir = out, .dashed = {""}}); }).find("dashed-run"),
            std::string::npos);
  EXPECT_NE(
      error_of([&] { plot_runs({dir + "/nocsv"}, PlotOptions{.out_dir = out}); }).find("no progress.csv"),
      std::string::npos);
  EXPECT_NE(error_of([&] { plot_runs({empty}, PlotOptions{.out_dir = out}); }).find("no rows yet"),
            std::string::npos);
  std::filesystem::create_directories(dir + "/emptybin");
  const std::string old = std::getenv("PATH");
  ::setenv("PATH", (dir + "/emptybin").c_str(), 1);
  const std::string missing = error_of([&] { plot_runs({a}, PlotOptions{.out_dir = out}); });
  ::setenv("PATH", old.c_str(), 1);
  EXPECT_EQ(missing, "gnuplot not found on PATH (Debian: apt-get install gnuplot-nox)");
  EXPECT_FALSE(std::filesystem::exists(out));
}

}  // namespace
}  // namespace hindsight::plot
