#pragma once
// Transitions whose goal, reward and discount are fixed when they are stored: HAC's subgoal-testing
// penalties (reward -H, discount 0, the original goal, never relabelled). They cannot live in the
// episode-major ReplayBuffer, whose HER sampler relabels goals and recomputes rewards from achieved
// goals, so each level keeps them here, beside its buffer.
//
// A fixed transition belongs to the episode its level stored with it and is evicted when that episode
// leaves the level's ReplayBuffer, so penalties never outlive the experience they were earned in.
#include <cstddef>
#include <cstdint>
#include <deque>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "hindsight/core/rng.hpp"
#include "hindsight/learn/her_sampler.hpp"
#include "hindsight/learn/replay_buffer.hpp"

namespace hindsight::learn {

// One transition with everything the learner needs already decided.
struct FixedTransition {
  std::vector<float> o, o2;  // observation before and after (obs values each)
  std::vector<float> g;      // goal (goal values)
  std::vector<float> u;      // action in [-1, 1] units (action values)
  float reward = 0.0f;       // reward as stored, never recomputed
  float discount = 0.0f;     // 0 = terminal (HAC penalties), 1 = bootstrap
};

class FixedReplay {
 public:
  // An empty store for transitions of the given widths (dims.max_steps is not used).
  explicit FixedReplay(ReplayDims dims);

  // Adds the transitions that belong to the episode the level has just stored in its ReplayBuffer
  // (possibly none), then evicts those whose episode is no longer among the buffer's `held` newest.
  void store(std::span<const FixedTransition> transitions, std::size_t held);
  // Transitions held.
  std::size_t size() const { return entries_.size(); }
  // The i-th oldest held transition; throws Error when i is out of range.
  const FixedTransition& at(std::size_t i) const;
  // Episodes announced through store() so far (the tag of the next episode's transitions).
  std::uint64_t episodes_seen() const { return episodes_; }
  // Writes n uniformly drawn transitions into rows [row, row + n) of out, whose vectors must already
  // hold that many rows; ag/ag2 are zero and relabelled 0 (a fixed goal has no achieved goals).
  void sample_into(std::size_t n, Rng& rng, TransitionBatch& out, std::size_t row) const;
  // Removes everything (the episode counter too).
  void clear();

  // The held transitions and the episode counter as a binary blob with a header (magic, version, dims).
  std::string save() const;
  // Replaces the contents with a blob from save() with the same dims; throws one-line Error naming
  // `where` on truncated, corrupt or mismatched data, leaving the store unchanged.
  void load(std::string_view bytes, const std::string& where);

 private:
  struct Entry {
    std::uint64_t episode = 0;  // index of the level episode it was stored with
    FixedTransition t;
  };
  // Checks the widths of one transition; throws Error otherwise.
  void check_widths(const FixedTransition& t) const;

  ReplayDims dims_;
  std::deque<Entry> entries_;  // oldest first
  std::uint64_t episodes_ = 0;
};

}  // namespace hindsight::learn
