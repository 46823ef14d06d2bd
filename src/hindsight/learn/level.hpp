#pragma once
// One learning level: a DDPG learner with its own replay buffer, HER sampler and observation/goal
// normalizers. Flat DDPG+HER is one level; each HAC level is one of these, with three switches
// flat DDPG+HER leaves off: terminal transitions on success, fixed (penalty) transitions mixed into
// batches, and optionally no trivial hindsight goals.
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "hindsight/core/rng.hpp"
#include "hindsight/core/space.hpp"
#include "hindsight/learn/ddpg.hpp"
#include "hindsight/learn/fixed_replay.hpp"
#include "hindsight/learn/her_sampler.hpp"
#include "hindsight/learn/normalizer.hpp"
#include "hindsight/learn/replay_buffer.hpp"

namespace hindsight::learn {

// What a level sees and does.
struct LevelSpec {
  int obs_dim = 0;         // observation width
  int goal_dim = 0;        // goal width (achieved and desired)
  Box action_space;        // env units; the actor works in [-1, 1] and is rescaled to these bounds
  int max_steps = 0;       // longest episode the level stores
  learn::RewardFn reward;  // batched reward of (achieved, desired) pairs, used by HER relabelling
};

// How a level learns (one value per field; the trainer fills it from TrainConfig).
struct LevelConfig {
  learn::DdpgConfig ddpg;                                          // networks and optimisation
  learn::NormalizerConfig norm;                                    // std floor and output clip
  bool normalize = true;                                           // false: inputs pass through unchanged
  double clip_obs = 200.0;                                         // raw inputs clipped to +-clip_obs first
  learn::HerStrategy her = learn::HerStrategy::kFuture;            // goal relabelling strategy
  int replay_k = 4;                                                // HER relabel ratio
  std::size_t buffer_size = 1000000;                               // transitions
  int batch_size = 256;                                            // transitions per update
  double noise_eps = 0.2;                                          // Gaussian noise std, fraction of half range
  std::vector<double> noise_std;  // Gaussian noise std per action dimension, action units; empty = noise_eps
  double random_eps = 0.3;                                         // probability of a uniform random action
  bool terminal_on_success = false;   // HAC: a transition with reward 0 (goal reached) ends: discount 0
  bool drop_trivial_hindsight = false;  // HER never relabels with a goal reached already (HerSampler)
  bool skip_non_finite_updates = false;  // a NaN/Inf loss or gradient skips the update instead of throwing
  std::size_t demo_capacity = 0;  // transitions the demonstration buffer holds (0: no demonstrations)
  int demo_batch_size = 128;      // rows of each batch drawn from the demonstration buffer, once it holds any
};

// Per-epoch running means of what a level reports.
struct LevelStats {
  double actor_loss = 0, critic_loss = 0, q_mean = 0;
  long updates = 0;
  long skipped = 0;  // updates skipped for a NaN/Inf loss or gradient (they add no figures)
  // Adds one update's figures, or counts it as skipped when it has a fault.
  void add(const learn::UpdateStats& s);
  // Means over the updates added so far (NaN when there were none).
  learn::UpdateStats mean() const;
};

// Every value a level takes in (observations, goals, stored episodes), its normalizer statistics and its
// updates are checked for NaN and infinity; a bad one throws NonFiniteError with origin() == the level,
// so the trainer can say which level, what and when. The one exception: with skip_non_finite_updates a
// bad update is skipped and reported in its stats instead.
class Level {
 public:
  // A level with fresh networks (seeded), empty buffer and empty normalizers.
  Level(LevelSpec spec, LevelConfig cfg, std::uint64_t seed);

  // The action for one (observation, goal) in env units; explore adds Gaussian noise and, with
  // probability random_eps, replaces the action by a uniform random one.
  std::vector<double> act(std::span<const double> obs, std::span<const double> goal, bool explore, Rng& rng) const;
  // Maps an env-unit action to the actor's [-1, 1] units (what the buffer stores).
  void to_unit_action(std::span<const double> action, std::span<float> out) const;
  // Stores an episode (actions already in [-1, 1] units) with the fixed transitions that belong to it
  // (HAC penalties) and, unless frozen, records its observations and its goals relabelled as HER would
  // (rng draws the relabelling) as pending normalizer samples.
  void store_episode(const learn::EpisodeData& episode, Rng& rng,
                     std::span<const learn::FixedTransition> fixed = {});
  // Stores an expert episode (actions in [-1, 1] units) in the demonstration buffer, and, when
  // feed_normalizers, records it as pending normalizer samples as store_episode does (a resumed run
  // re-records its demonstrations without counting them twice). Throws Error without demo_capacity.
  void store_demo(const learn::EpisodeData& episode, Rng& rng, bool feed_normalizers);
  // Transitions in the demonstration buffer.
  std::size_t demo_transitions() const { return demo_ ? demo_->transitions() : 0; }
  // The demonstration buffer, or nullptr without demo_capacity.
  const learn::ReplayBuffer* demos() const { return demo_ ? &*demo_ : nullptr; }
  // Records an episode as pending normalizer samples only (warm-up); goals relabelled as in store_episode.
  void observe_for_normalizer(const learn::EpisodeData& episode, Rng& rng);

  // Pending samples reach the normalizers only through the next two calls (the trainer's sync, once per
  // cycle), so every rank normalizes with the same statistics: those of all ranks' data.
  //
  // The pending statistics (observations then goals, each as Normalizer::raw()); clears them.
  std::vector<double> take_normalizer_delta();
  // Merges deltas (take_normalizer_delta() results concatenated, one per rank, in rank order) into the
  // normalizers, in that order; throws Error on a wrong size or invalid statistics.
  void merge_normalizer_deltas(std::span<const double> deltas);
  // Size of one take_normalizer_delta() result.
  std::size_t normalizer_delta_size() const;
  // The batch train_step() learns from: n rows, each a fixed transition with probability
  // F / (F + N / (1 - p)) (F fixed, N stored transitions, p the HER relabel probability, so a stored
  // transition weighs as much as itself and its relabelled copies would if they were stored, as in
  // HAC's single buffer), else HER-sampled; HER rows reaching their goal get discount 0 under
  // terminal_on_success. Fixed rows come next; with demonstrations stored, the last demo_batch_size rows
  // are HER-sampled from the demonstration buffer (as baselines' HER with demonstrations).
  void sample(std::size_t n, Rng& rng, learn::TransitionBatch& out) const;
  // One gradient update on a sample() batch of batch_size rows; returns its figures.
  learn::UpdateStats train_step(Rng& rng);
  // Polyak update of the targets.
  void update_targets() { learner_.update_targets(); }

  const LevelSpec& spec() const { return spec_; }
  const LevelConfig& config() const { return cfg_; }
  learn::DdpgLearner& learner() { return learner_; }
  const learn::DdpgLearner& learner() const { return learner_; }
  learn::Normalizer& obs_norm() { return obs_norm_; }
  learn::Normalizer& goal_norm() { return goal_norm_; }
  const learn::Normalizer& obs_norm() const { return obs_norm_; }
  const learn::Normalizer& goal_norm() const { return goal_norm_; }
  learn::ReplayBuffer& buffer() { return buffer_; }
  const learn::ReplayBuffer& buffer() const { return buffer_; }
  learn::FixedReplay& fixed() { return fixed_; }
  const learn::FixedReplay& fixed() const { return fixed_; }
  // Replaces both normalizers (e.g. loaded from a file or a checkpoint); dims must match.
  void set_normalizers(learn::Normalizer obs, learn::Normalizer goal);

  // Builds network inputs [norm(clip(obs)), norm(clip(goal))] for n rows into out (n x input_dim).
  void make_inputs(std::span<const float> obs, std::span<const float> goal, std::size_t n,
                   std::vector<float>& out) const;

 private:
  // Rows of each batch drawn from the demonstrations: demo_batch_size once any are stored, else 0.
  std::size_t demo_rows() const;
  // sample() without the demonstration rows: n rows of HER-sampled and fixed transitions.
  void sample_experience(std::size_t n, Rng& rng, learn::TransitionBatch& out) const;
  // Throws NonFiniteError naming the first NaN/Inf value of an episode.
  void check_episode(const learn::EpisodeData& episode) const;
  // update_normalizers, with statistics that would stop being finite reported as this level's fault.
  void feed_normalizers(const learn::EpisodeData& episode, Rng& rng);
  void update_normalizers(const learn::EpisodeData& episode, Rng& rng);

  LevelSpec spec_;
  LevelConfig cfg_;
  std::vector<double> unit_noise_;  // exploration std per action dimension in the actor's [-1, 1] units
  learn::Normalizer obs_norm_, goal_norm_;
  learn::Normalizer obs_delta_, goal_delta_;  // samples since the last take_normalizer_delta()
  learn::DdpgLearner learner_;
  learn::ReplayBuffer buffer_;
  learn::FixedReplay fixed_;
  std::optional<learn::ReplayBuffer> demo_;  // expert episodes (demonstrations), when configured
  learn::HerSampler sampler_;
  // Scratch reused across updates (the update is the hot path).
  learn::TransitionBatch batch_;
  mutable learn::TransitionBatch demo_batch_;
  std::vector<float> in_, in2_;
};

}  // namespace hindsight::learn
