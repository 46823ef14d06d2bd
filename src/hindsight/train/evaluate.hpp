#pragma once
// Running whole episodes outside the update loop: deterministic evaluations (tests, eval, the best
// checkpoint), raw trajectories of a given policy (warm-up, demonstrations), and the episode seeds.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "hindsight/env/goal_env.hpp"
#include "hindsight/io/config.hpp"
#include "hindsight/learn/agent.hpp"
#include "hindsight/train/comm.hpp"

namespace hindsight::train {

// What a deterministic evaluation measured.
struct EvalReport {
  int episodes = 0;
  double success_rate = 0.0;  // at the goal at the last step (the scoring rule, learn/agent.hpp)
  double reached_rate = 0.0;  // at the goal at some step: shown beside, never compared against it
  double mean_reward = 0.0;   // sum of env rewards per episode, averaged
};
// Runs n deterministic episodes (seeds derived from seed) and reports their success.
EvalReport evaluate(learn::Agent& agent, GoalEnv& env, int episodes, std::uint64_t seed);

// One deterministic episode of an evaluation, condensed from its steps (`eval --episodes-csv`).
struct EpisodeRecord {
  std::uint64_t seed = 0;       // the episode's env.reset seed
  bool success = false;         // at the goal at the last step (the scoring rule)
  bool reached = false;         // at the goal at some step
  int first_reached_step = -1;  // first step (1-based) that ended at the goal; -1: none
  int steps_at_goal = 0;        // steps that ended at the goal
  int steps = 0;                // env steps taken
  double final_distance = 0.0;  // Euclidean distance of the achieved goal to the desired one after the last step
  double reward_sum = 0.0;      // sum of env rewards
};
// Called after every env step of evaluation episode `episode` (0-based), e.g. to write `eval --steps-csv`.
using EvalStepObserver = std::function<void(int episode, const learn::StepInfo& info)>;
// The same episodes evaluate() runs (same seeds, same outcomes), each one's record; on_step, when given,
// sees every step.
std::vector<EpisodeRecord> evaluate_episodes(learn::Agent& agent, GoalEnv& env, int episodes, std::uint64_t seed,
                                             const EvalStepObserver& on_step = {});
// What evaluate() reports for these episodes.
EvalReport report_of(const std::vector<EpisodeRecord>& records);
// CSV text: a header line, then one row per episode in order (episode is its 0-based index).
std::string episodes_csv(const std::vector<EpisodeRecord>& records);

// The steps of evaluation episodes as CSV text (`eval --steps-csv`), one row per env step: episode (0-based),
// step (1-based), env success after it, the achieved goal (ag_*), the desired goal (g_*), and for an agent with
// subgoals the state in the subgoal space (s_*, what a subgoal is compared with) and each upper level's
// current subgoal (l1_* is level 1's goal for level 0, l2_* level 2's for level 1, ...).
class StepsCsv {
 public:
  // goal_dims: the env's goal size; spec: the agent's subgoal space, none for a flat agent; upper_levels:
  // the levels that propose subgoals (levels - 1).
  StepsCsv(std::size_t goal_dims, std::optional<SubgoalSpec> spec, int upper_levels);
  // Appends one step's row; throws Error when its sizes do not match the header's.
  void add(int episode, const learn::StepInfo& info);
  // The header line and every row added, in order.
  const std::string& text() const { return text_; }

 private:
  std::size_t goal_dims_;
  std::optional<SubgoalSpec> spec_;
  int upper_levels_;
  std::string text_;
};
// Success rate of n deterministic episodes shared among the ranks (rank r runs its share, seeded from
// seed_of_rank(r)); every rank returns the job's rate.
double evaluate_on_ranks(learn::Agent& agent, GoalEnv& env, int episodes, Comm& comm,
                         const std::function<std::uint64_t(int rank)>& seed_of_rank);
// This rank's share of n episodes split over `ranks` (the first n % ranks ranks run one more).
int rank_share_of(int n, int rank, int ranks);

// Seed of episode `index` of a purpose ("train", "test", "warmup", "demo", "best") on a rank: one stream per
// purpose and rank, derived from cfg.seed.
std::uint64_t episode_seed(const TrainConfig& cfg, const char* purpose, int rank, std::uint64_t index);
// One episode from env.reset(seed) to the env's time limit with the actions policy(observation) chooses,
// every step recorded.
learn::Trajectory record_trajectory(GoalEnv& env, std::uint64_t seed,
                                    const std::function<std::vector<double>(const GoalObs&)>& policy);

}  // namespace hindsight::train
