// hindsight record: headless video of a run's deterministic policy, with the final goal (red) and each
// level's current subgoal (level 1 blue, 2 green, 3 yellow, ...) drawn as markers.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli_parse.hpp"
#include "commands.hpp"
#include "hindsight/core/error.hpp"
#include "hindsight/core/rng.hpp"
#include "hindsight/env/fixed_goal_env.hpp"
#include "hindsight/io/config.hpp"
#include "hindsight/io/run_dir.hpp"
#include "hindsight/render/recorder.hpp"
#include "hindsight/render/video_writer.hpp"
#include "hindsight/train/progress_bar.hpp"
#include "hindsight/agents/make_agent.hpp"
#include "hindsight/train/evaluate.hpp"
#include "hindsight/train/run_files.hpp"

namespace fs = std::filesystem;

namespace hindsight::cli {

namespace {

// The parsed command line of `hindsight record`.
struct RecordArgs {
  std::vector<std::string> runs;
  std::optional<std::string> checkpoint, episodes, seed, out, width, height, png, goals_file;
  std::vector<std::string> goals;  // --goal x,y,z, in order
  bool gif = false, no_shadows = false;
};

// Renders the run's policy into a video (or PNG frames) and prints where it went, then success_rate last.
int run_record(const RecordArgs& a) {
  check(a.runs.size() == 1, "record expects one run directory: hindsight record RUN_DIR [--out FILE.mp4]");
  const std::string run = a.runs[0];
  check(io::is_run_dir(run), run + ": not a run directory (no config.yaml)");
  const bool chosen = !a.goals.empty() || a.goals_file;
  // With chosen goals, --episodes counts per goal.
  const int per = static_cast<int>(int_value("--episodes", a.episodes, 1, 10000).value_or(chosen ? 1 : 3));
  const std::uint64_t seed = seed_value("--seed", a.seed).value_or(derive_seed(0, "eval"));
  const int width = static_cast<int>(int_value("--width", a.width, 16, 4096).value_or(render::RenderOptions{}.width));
  const int height = static_cast<int>(int_value("--height", a.height, 16, 4096).value_or(render::RenderOptions{}.height));
  const auto& png_dir = a.png;
  check(!png_dir || (!a.out && !a.gif),
        "--png DIR writes PNG frames instead of a video; it does not combine with --out or --gif");
  const auto format = png_dir ? render::VideoFormat::png
                      : a.gif ? render::VideoFormat::gif
                              : render::VideoFormat::mp4;

  const TrainConfig cfg = load_config_file(io::run_paths(run).config);
  auto setup = agents::make_setup(cfg, 0, 1, run);
  const std::vector<std::vector<double>> goals = chosen_goals(a.goals, a.goals_file, *setup.env);
  // The goals in turn, each for `per` episodes: episode e runs toward goals[e / per].
  std::vector<std::vector<double>> order;
  for (const auto& g : goals) order.insert(order.end(), static_cast<std::size_t>(per), g);
  std::optional<FixedGoalEnv> fixed;
  if (chosen) fixed.emplace(*setup.env, order);
  GoalEnv& env = fixed ? static_cast<GoalEnv&>(*fixed) : *setup.env;
  const int episodes = chosen ? static_cast<int>(order.size()) : per;
  check(episodes <= 10000, "record: " + std::to_string(episodes) + " episodes in all; at most 10000");
  check(setup.env->mj_model() != nullptr,
        "record needs a MuJoCo task; " + cfg.env +
            " has no scene to render (FetchReach, FetchPush, FetchPickAndPlace do)");
  // The checkpoint carries the normalizer statistics the policy was trained with; nothing is re-estimated.
  const std::string ckpt = checkpoint_path(run, a.checkpoint.value_or("best"));
  const auto counters = train::load_checkpoint(ckpt, cfg, *setup.agent);
  const std::string label = fs::path(ckpt).stem().string();

  std::string out;
  if (png_dir) {
    out = *png_dir;
  } else if (a.out) {
    out = *a.out;
  } else {
    const std::string videos = io::run_paths(run).videos;
    std::error_code ec;
    fs::create_directories(videos, ec);
    check(!ec, "cannot create " + videos + ": " + ec.message());
    out = videos + "/" + label + "-ep" + std::to_string(episodes) +
          (format == render::VideoFormat::gif ? ".gif" : ".mp4");
  }
  // One video second per simulated second (25 fps for the Fetch tasks' 0.04 s control step).
  const int fps = std::clamp(static_cast<int>(std::lround(1.0 / env.control_dt())), 1, 60);
  render::VideoWriter writer(out, format, width, height, fps);

  render::RecordOptions opts;
  opts.episodes = episodes;
  opts.seed = seed;
  opts.render.width = width;
  opts.render.height = height;
  opts.render.shadows = !a.no_shadows;
  // A task file's scene may have no camera named like the Fetch scene's: MuJoCo's free camera then.
  if (mj_name2id(env.mj_model(), mjOBJ_CAMERA, opts.render.camera.c_str()) < 0) opts.render.camera = "";
  opts.title = cfg.env + "  " + label + " (epoch " + std::to_string(counters.epoch) + ")";
  train::ProgressBar bar("record", render::expected_frames(env, episodes));
  const auto summary = render::record_episodes(
      *setup.agent, env, opts, [&](const render::Frame& f) { writer.write(f); },
      [&](long frames) { bar.update(frames); });
  bar.finish();
  writer.finish();
  std::cout << (png_dir ? "png_dir=" : "video=") << out << "\n"
            << "frames=" << summary.frames << " episodes=" << summary.episodes << " checkpoint=" << ckpt
            << " epoch=" << counters.epoch << "\n";
  std::printf("success_rate=%.4f\n", static_cast<double>(summary.successes) / summary.episodes);
  return 0;
}

}  // namespace

Command add_record(CLI::App& app) {
  auto a = std::make_shared<RecordArgs>();
  CLI::App* sub = app.add_subcommand(
      "record", "Render a run's deterministic policy headless into a video with the goal and subgoal markers");
  add_words(*sub, "RUN_DIR", a->runs, "RUN_DIR", "the run directory (it holds config.yaml and checkpoints/)");
  add_value_flag(*sub, "--checkpoint", a->checkpoint, "best|latest|PATH",
                 "which policy: best (the best test epoch, else latest), latest, or a checkpoint file (default best)");
  add_value_flag(*sub, "--episodes", a->episodes, "N",
                 "episodes to record, in [1, 10000] (default 3; with --goal/--goals: per goal, default 1)");
  add_value_flag(*sub, "--seed", a->seed, "S", "seed of the episodes (default: the one eval uses too)");
  add_value_flag(*sub, "--out", a->out, "FILE",
                 "video file (default RUN_DIR/videos/<checkpoint>-ep<N>.mp4, or .gif with --gif)");
  add_value_flag(*sub, "--width", a->width, "W", "frame width in pixels, in [16, 4096]; even for MP4 (default 960: the front camera frames 4:3)");
  add_value_flag(*sub, "--height", a->height, "H", "frame height in pixels, in [16, 4096]; even for MP4 (default 720)");
  add_bool_flag(*sub, "--gif", a->gif, "write an animated GIF instead of an H.264 MP4");
  add_value_flag(*sub, "--png", a->png, "DIR", "write one PNG per frame into DIR instead of a video");
  add_bool_flag(*sub, "--no-shadows", a->no_shadows, "render without shadows");
  add_goal_flags(*sub, a->goals, a->goals_file, "the episodes run toward each goal in turn");
  return {sub, [a] { return run_record(*a); }};
}

}  // namespace hindsight::cli
