#include "hindsight/render/recorder.hpp"

#include "hindsight/core/error.hpp"
#include "hindsight/core/rng.hpp"

namespace hindsight::render {

std::vector<Marker> frame_markers(const GoalObs& obs, const std::vector<std::vector<double>>& subgoals,
                                  const SubgoalSpec& spec) {
  std::vector<Marker> markers;
  const auto& g = obs.desired_goal;
  if (g.size() >= 3) markers.push_back(Marker{{g[0], g[1], g[2]}, goal_colour(), kGoalMarkerRadius});
  for (std::size_t i = 0; i < subgoals.size(); ++i) {
    const auto& sg = subgoals[i];
    for (const int off : spec.marker_offsets) {
      // A level without a subgoal yet (or a shorter one) has nothing to draw at this offset.
      if (off < 0 || static_cast<std::size_t>(off) + 3 > sg.size()) continue;
      const auto o = static_cast<std::size_t>(off);
      markers.push_back(
          Marker{{sg[o], sg[o + 1], sg[o + 2]}, level_colour(static_cast<int>(i) + 1), kSubgoalMarkerRadius});
    }
  }
  return markers;
}

long expected_frames(const GoalEnv& env, int episodes) {
  return static_cast<long>(episodes) * (1 + env.max_episode_steps());
}

RecordSummary record_episodes(learn::Agent& agent, GoalEnv& env, const RecordOptions& opts,
                              const FrameSink& sink, const std::function<void(long)>& progress) {
  check(env.mj_model() != nullptr && env.mj_data() != nullptr,
        "record needs a MuJoCo task; " + env.name() + " has no MuJoCo scene to render");
  check(opts.episodes >= 1, "record needs at least one episode");
  Renderer renderer(env.mj_model(), opts.render);
  // An agent without a subgoal space (flat) reports no subgoals, so an empty space draws the goal alone.
  const SubgoalSpec spec = agent.subgoal_spec().value_or(SubgoalSpec{});
  const int T = env.max_episode_steps();
  RecordSummary summary;

  for (int e = 0; e < opts.episodes; ++e) {
    const std::uint64_t seed = derive_seed(opts.seed, static_cast<std::uint64_t>(e));
    auto emit = [&](const GoalObs& obs, int step, bool success,
                    const std::vector<std::vector<double>>& subgoals) {
      const auto markers = frame_markers(obs, subgoals, spec);
      Overlay text;
      text.top_left = "episode " + std::to_string(e + 1) + "/" + std::to_string(opts.episodes) + "   step " +
                      std::to_string(step) + "/" + std::to_string(T) + "   success " +
                      (success ? "yes" : "no");
      text.bottom_left = opts.title;
      sink(renderer.render(env.mj_data(), markers, opts.overlay ? &text : nullptr));
      ++summary.frames;
      if (progress) progress(summary.frames);
    };
    // The frame at reset: run_episode resets the env with the same seed, which restarts the env's random
    // stream, so the state drawn here is exactly the one the agent starts from. No subgoal exists yet.
    const GoalObs start = env.reset(seed);
    emit(start, 0, env.is_success(start.achieved_goal, start.desired_goal), {});
    const auto outcome =
        agent.run_episode(env, seed, false, [&](const GoalEnv&, const learn::StepInfo& info) {
          emit(*info.obs, info.step, info.success, info.subgoals);
        });
    ++summary.episodes;
    summary.successes += outcome.success ? 1 : 0;
  }
  return summary;
}

}  // namespace hindsight::render
