#pragma once
// Recording a trained agent: deterministic episodes run through Agent::run_episode, one frame rendered
// at reset and one after every env step, with the final goal and every level's current subgoal drawn
// as markers. Only the agent's acting path runs: no normalizer warm-up, no learning, no statistics update.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "hindsight/env/goal_env.hpp"
#include "hindsight/render/renderer.hpp"
#include "hindsight/learn/agent.hpp"

namespace hindsight::render {

// Marker radius of the final goal (m).
inline constexpr double kGoalMarkerRadius = 0.025;
// Marker radius of subgoals (m); smaller than the goal so a reached subgoal does not hide it.
inline constexpr double kSubgoalMarkerRadius = 0.018;

// The markers of one frame: the desired goal's first three values (a world position) in red, and for
// each level i+1 the world points of subgoals[i] at spec.marker_offsets in level_colour(i+1).
std::vector<Marker> frame_markers(const GoalObs& obs, const std::vector<std::vector<double>>& subgoals,
                                  const SubgoalSpec& spec);

struct RecordOptions {
  int episodes = 1;        // deterministic episodes to record
  std::uint64_t seed = 0;  // episode i starts from env.reset(derive_seed(seed, i)), as train::evaluate
  RenderOptions render;    // frame size, shadows, camera
  bool overlay = true;     // episode, step and success drawn in the top-left corner
  std::string title;       // optional overlay line in the bottom-left corner (e.g. the checkpoint)
};

// What a recording saw.
struct RecordSummary {
  int episodes = 0;
  int successes = 0;  // episodes whose last step was a success
  long frames = 0;
};

// Receives each rendered frame (a VideoWriter, or a test).
using FrameSink = std::function<void(const Frame&)>;

// Frames record_episodes makes when every episode runs its full length: episodes x (1 + T steps).
long expected_frames(const GoalEnv& env, int episodes);
// Records opts.episodes episodes of agent acting deterministically in env, subgoal markers placed by
// agent.subgoal_spec() (none drawn when the agent has no subgoal space); progress(frames) is called after every
// frame. Throws Error when env has no MuJoCo scene.
RecordSummary record_episodes(learn::Agent& agent, GoalEnv& env, const RecordOptions& opts,
                              const FrameSink& sink, const std::function<void(long)>& progress = {});

}  // namespace hindsight::render
