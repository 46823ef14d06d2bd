#pragma once
// The goal-conditioned environment API shared by every task (Fetch family, classic control).
// Observations, achieved goals and desired goals are flat double vectors; compute_reward is pure
// and batched so HER can relabel goals without touching the simulation.
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "hindsight/core/space.hpp"

// MuJoCo's own typedefs, declared here so this header does not pull in mujoco.h.
typedef struct mjModel_ mjModel;
typedef struct mjData_ mjData;

namespace hindsight {

// One observation of a goal-conditioned task.
struct GoalObs {
  std::vector<double> observation;    // the state vector the policy sees
  std::vector<double> achieved_goal;  // the goal-space quantity the agent currently achieves
  std::vector<double> desired_goal;   // the goal of this episode
};

// What step() returns.
struct StepResult {
  GoalObs obs;
  double reward = 0.0;     // compute_reward(achieved_goal, desired_goal)
  bool success = false;    // is_success(achieved_goal, desired_goal)
  bool truncated = false;  // the episode's time limit is reached with this step
};

// A state-space used by the hierarchy for subgoals: which observation entries form a subgoal,
// their bounds, and the per-dimension distance under which a subgoal counts as reached.
struct SubgoalSpec {
  std::vector<int> obs_indices;    // observation entries that make up a subgoal
  Box bounds;                      // where subgoals may be proposed
  std::vector<double> thresholds;  // per-dimension |reached - subgoal| limit for success
  std::vector<int> marker_offsets; // offsets in a subgoal where a world-frame (x, y, z) starts (for drawing)
};

class GoalEnv {
 public:
  virtual ~GoalEnv() = default;

  // Registry name, e.g. "FetchPickAndPlace".
  virtual std::string name() const = 0;
  // Bounds and shape of actions; step() clips to these bounds.
  virtual const Box& action_space() const = 0;
  // Shape (and bounds, usually infinite) of observation vectors.
  virtual const Box& observation_space() const = 0;
  // Shape and bounds of goals (achieved and desired).
  virtual const Box& goal_space() const = 0;
  // Control steps per episode before truncation.
  virtual int max_episode_steps() const = 0;
  // Seconds of simulated time per control step.
  virtual double control_dt() const = 0;
  // True for tasks whose episode ends at the goal (Gymnasium's MountainCar ends at the flag); false for
  // those that run to their time limit (the Fetch tasks). Deterministic episodes are scored at their end.
  virtual bool terminates_on_success() const { return false; }

  // Starts an episode; a seed restarts the env's random stream, no seed continues it.
  virtual GoalObs reset(std::optional<std::uint64_t> seed = std::nullopt) = 0;
  // Applies one action (clipped to the action space); throws Error on a wrong size or NaN.
  virtual StepResult step(std::span<const double> action) = 0;

  // Rewards for n goal pairs stored row-major (n x goal_dim each); out has n entries. Pure.
  virtual void compute_reward(std::span<const double> achieved, std::span<const double> desired,
                              std::span<double> out) const = 0;
  // Success of one goal pair. Pure.
  virtual bool is_success(std::span<const double> achieved, std::span<const double> desired) const = 0;
  // Convenience: reward of one goal pair.
  double reward(std::span<const double> achieved, std::span<const double> desired) const;

  // The default subgoal space of this task for the hierarchy.
  virtual SubgoalSpec default_subgoal_spec() const = 0;
  // Every observation entry a subgoal may be made of, with its bounds and threshold: the default's first,
  // in its order, then any the default leaves out. The default when the task offers no more.
  virtual SubgoalSpec subgoal_candidates() const { return default_subgoal_spec(); }

  // The MuJoCo model and data for rendering; null for tasks without a MuJoCo scene.
  virtual const mjModel* mj_model() const { return nullptr; }
  virtual mjData* mj_data() const { return nullptr; }

 protected:
  // Validates an action's size and values; throws Error naming the env otherwise.
  void validate_action(std::span<const double> action) const;
};

}  // namespace hindsight

namespace hindsight {
// True when |achieved[i] - desired[i]| <= thresholds[i] for every i (sizes must match).
bool within_thresholds(std::span<const double> achieved, std::span<const double> desired,
                       std::span<const double> thresholds);
}  // namespace hindsight
