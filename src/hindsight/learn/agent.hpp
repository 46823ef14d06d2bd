#pragma once
// What the trainer drives: something that runs episodes (exploring and storing experience, or
// deterministically for tests), learns from its levels' buffers, and reports per-level metrics.
// FlatAgent is DDPG+HER with one level; the HAC agent stacks several levels behind the same interface.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "hindsight/core/rng.hpp"
#include "hindsight/env/goal_env.hpp"
#include "hindsight/learn/level.hpp"

namespace hindsight::learn {

// How one episode went.
// Scoring (every agent, tests and `hindsight eval`): the Gymnasium rule, success = the env's success at
// the episode's last step, a deterministic episode running until the env ends it: at its time limit (the
// Fetch tasks, Gymnasium-Robotics), or at the goal for tasks that end there (GoalEnv::terminates_on_success,
// MountainCar). `reached` (success at any step) is reported beside it, never compared against it.
struct EpisodeOutcome {
  bool success = false;     // the env reported success on the last step
  bool reached = false;     // the env reported success at some step
  bool moved = false;       // the achieved goal ended outside the success window around where it started
  int steps = 0;            // env steps taken
  double reward_sum = 0.0;  // sum of env rewards
};

// What an observer sees after every env step of an episode (recording, debugging).
struct StepInfo {
  int step = 0;                                 // 1-based env step within the episode
  const GoalObs* obs = nullptr;                 // the observation after the step
  bool success = false;                         // env success after the step
  std::vector<std::vector<double>> subgoals;    // subgoals[i]: level i+1's current goal for level i (HAC)
};
using StepObserver = std::function<void(const GoalEnv& env, const StepInfo& info)>;

// A raw env trajectory (T steps): what the normalizer warm-up and the demonstrations feed to the agent.
struct Trajectory {
  int T = 0;
  std::vector<double> obs, ag, g;  // (T+1) x obs, (T+1) x goal, T x goal
  std::vector<double> actions;     // T x action, env units (what was sent to env.step)
};

class Agent {
 public:
  virtual ~Agent() = default;
  // Runs one episode from env.reset(seed); train = explore and store experience, else act deterministically
  // until the env ends the episode (the scoring rule above).
  // observer, when given, is called after every env step.
  virtual EpisodeOutcome run_episode(GoalEnv& env, std::uint64_t seed, bool train,
                                     const StepObserver& observer = {}) = 0;
  // One gradient update on every level; stats are accumulated for epoch_metrics().
  virtual void train_step() = 0;
  // Target-network update on every level (once per cycle).
  virtual void update_targets() = 0;
  // Feeds a random-policy trajectory to the normalizers (warm-up).
  virtual void observe_warmup(const Trajectory& trajectory) = 0;
  // Stores an expert trajectory in the levels' demonstration buffers (each level sees it as the
  // transitions it would have stored had it acted that way); feed_normalizers as Level::store_demo.
  virtual void store_demo(const Trajectory& trajectory, bool feed_normalizers) = 0;
  // The levels, bottom (0) to top.
  virtual std::vector<Level*> levels() = 0;
  // Column names this agent reports each epoch, e.g. l0/actor_loss (fixed for the run).
  virtual std::vector<std::string> metric_columns() const = 0;
  // Values of those columns since the last call, then resets the accumulators.
  virtual std::map<std::string, double> take_epoch_metrics() = 0;
  // The agent's random stream (exploration, HER sampling), saved in checkpoints.
  virtual Rng& rng() = 0;
  // The space the upper levels' subgoals (StepInfo::subgoals) live in; none for an agent without them.
  virtual std::optional<SubgoalSpec> subgoal_spec() const { return std::nullopt; }
};

}  // namespace hindsight::learn
