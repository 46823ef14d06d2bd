// Headless rendering speed: frames per second of FetchPickAndPlace at 480x480 (the size of the speed table; the record default, 960x720, has 3x the pixels) with
// and without shadows, with the markers a 2-level recording draws, and the ratio of the two rates.
// Rendering is software OpenGL (OSMesa/llvmpipe), so the figures depend on the CPU and LP_NUM_THREADS.
#include <chrono>
#include <cstdio>
#include <vector>

#include "hindsight/core/rng.hpp"
#include "hindsight/env/registry.hpp"
#include "hindsight/render/recorder.hpp"
#include "hindsight/render/renderer.hpp"

using namespace hindsight;
using Clock = std::chrono::steady_clock;

namespace {

// Frames per second over at least min_seconds, timing only render() (the env steps between frames are
// not counted: they are the physics, not the rendering).
double frames_per_second(GoalEnv& env, bool shadows, double min_seconds) {
  render::Renderer r(env.mj_model(), render::RenderOptions{.width = 480, .height = 480, .shadows = shadows});
  Rng rng(1);
  const GoalObs obs = env.reset(3);
  const std::vector<std::vector<double>> subgoals{{1.30, 0.70, 0.55, 1.25, 0.80, 0.43}};
  const auto markers = render::frame_markers(obs, subgoals, env.default_subgoal_spec());
  for (int i = 0; i < 3; ++i) r.render(env.mj_data(), markers);  // warm-up: shader and texture setup
  double rendering = 0;
  long frames = 0;
  while (rendering < min_seconds || frames < 20) {
    env.step(env.action_space().sample(rng));
    const auto t0 = Clock::now();
    r.render(env.mj_data(), markers);
    rendering += std::chrono::duration<double>(Clock::now() - t0).count();
    ++frames;
  }
  return frames / rendering;
}

}  // namespace

int main() {
  auto env = make_env("FetchPickAndPlace");
  const double with = frames_per_second(*env, true, 4.0);
  const double without = frames_per_second(*env, false, 4.0);
  std::printf("render 480x480 FetchPickAndPlace, 3 markers\n");
  std::printf("  shadows on : %7.1f frames/s\n", with);
  std::printf("  shadows off: %7.1f frames/s\n", without);
  std::printf("  ratio on/off: %.2f (shadows cost %.0f%% of the frame rate)\n", with / without,
              100.0 * (1.0 - with / without));
  return 0;
}
