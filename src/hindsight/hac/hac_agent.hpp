#pragma once
// Hierarchical Actor-Critic (Levy et al., ICLR 2019; the authors' code) over k >= 2 learn::Level
// learners. Level 0 acts in the env; level i > 0 acts by proposing a subgoal (a point of the
// SubgoalSpec) that becomes level i-1's goal; the top level's goal is the env's desired goal.
//
// Attempts and termination. A level's run toward one goal is an "attempt sequence": level i < top
// takes at most H[i] actions (attempts) per goal; the top level takes actions until the episode ends.
// A sequence ends as soon as, after an env step, its own goal is reached, any higher level's goal
// (including the final goal) is reached, or the env's time limit is hit (then every level stops at
// once), or its H[i] actions are used up. All of this is re-derived for every sequence from the goal
// status of the last env step: no flag survives from one sequence to the next.
//
// Transitions (training episodes only). Each action of level i gives one hindsight action transition
// (state, goal, action, next state): for i > 0 the action stored is the proposed subgoal when level
// i-1 reached it, else the subgoal-space state level i-1 actually reached, as if level i-1 were already
// optimal (with relative subgoals, both as offsets from the state where the action began); it is never
// penalised. The whole attempt sequence of level i is stored as one EpisodeData in
// level i's ReplayBuffer, so HER ("future"/"final", replay_k) relabels goals with states achieved later
// in the same sequence, as HAC's goal replay does, at sample time. Level i's reward is 0 when its goal is
// reached and -1 otherwise: the env's compute_reward for the top, within_thresholds of the subgoal space
// below it; a reward of 0 ends the level's episode (discount 0), as in HAC.
//
// Subgoal testing. When level i > 0 proposes a subgoal during training, with probability lambda it
// tests it: every level below acts without noise until that subgoal's sequence ends, and proposes
// nested tested subgoals itself. When level i-1 used all its H[i-1] attempts without reaching a tested
// subgoal, level i stores one penalty transition (state, goal, the proposed subgoal, -horizon(i), next
// state, discount 0) with the original goal. Penalties are kept in level i's FixedReplay (never
// relabelled, reward fixed), are drawn into batches in proportion to their share of HAC's single buffer
// (see learn::Level::sample) and leave it with the sequence they were stored with.
//
// Horizons and critic bounds. horizon(i) is the number of actions level i has per goal: H[i] below the
// top, and ceil(T / (H[0] * ... * H[top-1])) for the top (T = the env's max_episode_steps), the top's
// proposals in an episode where every attempt runs out; it equals H when T = H^k as in HAC. Level i's
// critic is bounded to [-horizon(i), 0] (a negative sigmoid with bounded_critic) and its penalty is
// -horizon(i): a missed tested subgoal is worth the worst value a level can have, as in HAC, where
// every level has the same H.
//
// Test episodes (train = false) run every level without noise and without subgoal testing, store
// nothing and count toward no metric. They run to the env's time limit (unless the task ends at its
// goal): after the goal is reached the top keeps proposing, one env step per proposal while the goal
// holds. With train_to_limit, training episodes run the same way and the top's transitions that reach
// the goal keep their discount (flat HER's semantics: holding the goal is worth more than leaving it).
// With hold_subgoals, a level below the top keeps each subgoal for all its H attempts (HIRO's fixed
// duration) whatever it or a level above reaches meanwhile, unless the episode ends; it is rewarded 0 at
// every step within the subgoal, not terminally, so it learns to arrive and stay rather than pass through;
// the subgoal counts as reached (and a tested one as not missed) when the last attempt ends within it.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "hindsight/env/goal_env.hpp"
#include "hindsight/learn/agent.hpp"

namespace hindsight::hac {

struct HacConfig {
  int levels = 2;                  // k >= 2 (one level is learn::FlatAgent)
  std::vector<int> H;              // H[i] = attempts level i gets per goal, for i < k-1 (k-1 entries)
  double subgoal_test_prob = 0.3;  // lambda: probability that a proposed subgoal is tested
  bool train_to_limit = false;     // training episodes run to the time limit as test ones; the top's
                                   // reward 0 is then not terminal (false: they end at the goal, as HAC)
  bool hold_subgoals = false;      // the levels below the top run all H attempts per subgoal, their reward 0
                                   // not terminal (HIRO's fixed duration); false: hand back once reached
  std::optional<double> gamma = 0.98;  // discount of every level; nullopt = 1 - 1/horizon(i) for level i
  learn::LevelConfig level;        // learning settings of every level; gamma, q_min/q_max and
                                   // terminal_on_success are set per level by the agent
  // Per-level settings (levels entries, bottom first) replacing `level` and `gamma` where given; empty =
  // the same for every level.
  std::vector<learn::LevelConfig> per_level;
  std::vector<std::optional<double>> per_level_gamma;
  // Relative subgoals (HIRO's parameterization): empty = absolute (HAC: a level above the bottom proposes
  // a point of the subgoal space). Else such a level's action is an offset within +-subgoal_offset[k] per
  // subgoal dimension k (one value = every dimension) from the subgoal-space state where it acts; the goal
  // given to the level below is that state plus the offset, clipped to the space's bounds, and stays fixed
  // for the attempt sequence. Stored actions are offsets from the state where the action started.
  std::vector<double> subgoal_offset;
};

// The H list with one entry per level below the top: `given` as is (k-1 entries), one value repeated,
// or, when nullopt (auto), ceil(T^(1/k)) for every level so that H^k >= T as in HAC. Throws Error otherwise.
std::vector<int> resolve_horizons(const std::optional<std::vector<int>>& given, int levels, int max_episode_steps);
// Throws Error naming the first setting of cfg that cannot work (levels < 2, H size or values, lambda, gamma).
void validate(const HacConfig& cfg);

class HacAgent final : public learn::Agent {
 public:
  // k levels over env with the given subgoal space (checked against env); throws Error on bad settings.
  HacAgent(const GoalEnv& env, HacConfig cfg, SubgoalSpec subgoals, std::uint64_t seed);

  learn::EpisodeOutcome run_episode(GoalEnv& env, std::uint64_t seed, bool train,
                                    const learn::StepObserver& observer = {}) override;
  void train_step() override;
  void update_targets() override;
  void observe_warmup(const learn::Trajectory& trajectory) override;
  // Splits the expert's trajectory as run_level would store it had every level acted that way: level i's
  // actions each span steps_per_action(i) env steps and its attempt sequences H[i] actions (the top's: the
  // whole episode); an action of level i > 0 is the subgoal-space state reached where it ends (the hindsight
  // action); a sequence's goal below the top is the state reached where it ends, at the top the env's goal.
  void store_demo(const learn::Trajectory& trajectory, bool feed_normalizers) override;
  std::vector<learn::Level*> levels() override;
  std::vector<std::string> metric_columns() const override;
  std::map<std::string, double> take_epoch_metrics() override;
  Rng& rng() override { return rng_; }

  // Actions level i has per goal (see the header comment); its critic lies in [-horizon(i), 0].
  int horizon(int level) const { return horizons_[static_cast<std::size_t>(level)]; }
  // Env steps one action of level i spans when every level below uses all its attempts: H[0] x ... x H[i-1].
  long steps_per_action(int level) const;
  // The subgoal space levels above the bottom propose in.
  std::optional<SubgoalSpec> subgoal_spec() const override { return spec_; }
  // The configuration, with H resolved.
  const HacConfig& config() const { return cfg_; }

 private:
  struct Run;
  // How a T-step expert episode splits for level i: env steps per action, actions, actions per sequence.
  struct DemoShape {
    long steps_per_action, actions, per_sequence;
  };
  DemoShape demo_shape(int level, int T) const;
  // Per-level training figures since the last take_epoch_metrics().
  struct Counters {
    long sequences = 0, reached = 0;  // attempt sequences, and those that ended with their goal reached
    long actions = 0;                 // actions taken (= transitions stored)
    double reward_sum = 0.0;          // rewards of those transitions with their original goal
    long tests = 0, penalties = 0;    // tested subgoals proposed, and those penalised
    learn::LevelStats stats;          // update figures
  };

  // Runs level i toward run.goals[i] until its attempt sequence ends; returns true when it ran out of
  // attempts without reaching its goal (HAC's "maxed out").
  bool run_level(Run& run, int i, bool testing);
  // Level i's achieved goal for an observation: the env's achieved goal for the top, else the projection.
  std::vector<double> achieved(int i, const GoalObs& obs) const;
  // Re-derives which level's goal the current state reaches (after an env step).
  void update_reached(Run& run, bool env_success) const;
  // The subgoal a level above the bottom means by `action` taken at subgoal-space state `from`: the action
  // itself (absolute subgoals), or from + action clipped to the space's bounds (relative).
  std::vector<double> subgoal_of(std::span<const double> from, std::span<const double> action) const;
  // The action that names subgoal `to` from state `from`: the inverse of subgoal_of (before clipping).
  std::vector<double> action_of(std::span<const double> from, std::span<const double> to) const;

  HacConfig cfg_;
  SubgoalSpec spec_;
  bool relative_ = false;  // cfg_.subgoal_offset given
  int top_;
  std::vector<int> horizons_;
  std::vector<std::unique_ptr<learn::Level>> levels_;
  std::vector<Counters> counters_;
  Rng rng_;
};

}  // namespace hindsight::hac
