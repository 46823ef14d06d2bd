// hindsight record: headless video of a run's deterministic policy, with the final goal (red) and each
// level's current subgoal (level 1 blue, 2 green, 3 yellow, ...) drawn as markers.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "cli_args.hpp"
#include "commands.hpp"
#include "hindsight/core/error.hpp"
#include "hindsight/core/rng.hpp"
#include "hindsight/io/config.hpp"
#include "hindsight/io/run_dir.hpp"
#include "hindsight/render/recorder.hpp"
#include "hindsight/render/video_writer.hpp"
#include "hindsight/train/progress_bar.hpp"
#include "hindsight/train/trainer.hpp"

namespace fs = std::filesystem;

namespace hindsight::cli {

int cmd_record(const Args& args) {
  const ParsedArgs p(args, {"--checkpoint", "--episodes", "--seed", "--out", "--width", "--height", "--png"},
                     {"--gif", "--no-shadows"});
  check(p.positional().size() == 1,
        "record expects one run directory: hindsight record RUN_DIR [--out FILE.mp4]");
  const std::string run = p.positional()[0];
  check(io::is_run_dir(run), run + ": not a run directory (no config.yaml)");
  const int episodes = static_cast<int>(p.int_value("--episodes", 1, 10000).value_or(3));
  const std::uint64_t seed = p.seed_value("--seed").value_or(derive_seed(0, "eval"));
  const int width = static_cast<int>(p.int_value("--width", 16, 4096).value_or(480));
  const int height = static_cast<int>(p.int_value("--height", 16, 4096).value_or(480));
  const auto png_dir = p.value("--png");
  check(!png_dir || (!p.value("--out") && !p.has("--gif")),
        "--png DIR writes PNG frames instead of a video; it does not combine with --out or --gif");
  const auto format = png_dir          ? render::VideoFormat::png
                      : p.has("--gif") ? render::VideoFormat::gif
                                       : render::VideoFormat::mp4;

  const TrainConfig cfg = load_config_file(io::run_paths(run).config);
  auto setup = train::make_setup(cfg);
  check(setup.env->mj_model() != nullptr,
        "record needs a MuJoCo task; " + cfg.env +
            " has no scene to render (FetchReach, FetchPush, FetchPickAndPlace do)");
  // The checkpoint carries the normalizer statistics the policy was trained with; nothing is re-estimated.
  const std::string ckpt = checkpoint_path(run, p.value("--checkpoint").value_or("best"));
  const auto counters = train::load_checkpoint(ckpt, cfg, *setup.agent);
  const std::string label = fs::path(ckpt).stem().string();

  std::string out;
  if (png_dir) {
    out = *png_dir;
  } else if (const auto o = p.value("--out")) {
    out = *o;
  } else {
    const std::string videos = io::run_paths(run).videos;
    std::error_code ec;
    fs::create_directories(videos, ec);
    check(!ec, "cannot create " + videos + ": " + ec.message());
    out = videos + "/" + label + "-ep" + std::to_string(episodes) +
          (format == render::VideoFormat::gif ? ".gif" : ".mp4");
  }
  // One video second per simulated second (25 fps for the Fetch tasks' 0.04 s control step).
  const int fps = std::clamp(static_cast<int>(std::lround(1.0 / setup.env->control_dt())), 1, 60);
  render::VideoWriter writer(out, format, width, height, fps);

  render::RecordOptions opts;
  opts.episodes = episodes;
  opts.seed = seed;
  opts.render.width = width;
  opts.render.height = height;
  opts.render.shadows = !p.has("--no-shadows");
  opts.title = cfg.env + "  " + label + " (epoch " + std::to_string(counters.epoch) + ")";
  train::ProgressBar bar("record", render::expected_frames(*setup.env, episodes));
  const auto summary = render::record_episodes(
      *setup.agent, *setup.env, opts, [&](const render::Frame& f) { writer.write(f); },
      [&](long frames) { bar.update(frames); });
  bar.finish();
  writer.finish();
  std::cout << (png_dir ? "png_dir=" : "video=") << out << "\n"
            << "frames=" << summary.frames << " episodes=" << summary.episodes << " checkpoint=" << ckpt
            << " epoch=" << counters.epoch << "\n";
  std::printf("success_rate=%.4f\n", static_cast<double>(summary.successes) / summary.episodes);
  return 0;
}

}  // namespace hindsight::cli
