#pragma once
// Hindsight Experience Replay, applied when a minibatch is sampled (as in OpenAI baselines): a
// transition's desired goal is replaced, with some probability, by a goal achieved later in the same
// episode, and the reward is recomputed for whatever goal the transition ends up with.
#include <cstddef>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "hindsight/core/rng.hpp"
#include "hindsight/learn/replay_buffer.hpp"

namespace hindsight::learn {

// Which achieved goal replaces the desired goal: a future one of the same episode, the final one, or none.
enum class HerStrategy { kFuture, kFinal, kNone };

// Parses "future", "final" or "none"; throws Error naming the accepted values otherwise.
HerStrategy parse_her_strategy(const std::string& text);

// A sampled minibatch, row-major with n rows per field. Vectors are resized, not reallocated, when a
// batch object is reused, so keep one per learner.
struct TransitionBatch {
  std::size_t n = 0;
  std::vector<float> o, o2;               // n x obs: observation before and after the step
  std::vector<float> g;                   // n x goal: the (possibly relabelled) desired goal
  std::vector<float> u;                   // n x action
  std::vector<float> r;                   // n: reward of (ag2, g)
  std::vector<float> ag, ag2;             // n x goal: achieved goal before and after the step
  std::vector<float> discount;            // n: 1 normally; reserved for terminal transitions
  std::vector<unsigned char> relabelled;  // n: 1 when g was replaced by an achieved goal
  std::vector<double> scratch;            // reused double buffers for the reward call; not data
};

// Batched reward: n goal pairs row-major (n x goal each) into n rewards, like GoalEnv::compute_reward.
using RewardFn = std::function<void(std::span<const double> achieved, std::span<const double> desired,
                                    std::span<double> out)>;

class HerSampler {
 public:
  // replay_k >= 0 relabelled goals per original one; throws Error on a negative k or an empty reward.
  // drop_trivial: never produce a trivial relabelled transition (see sample()).
  HerSampler(HerStrategy strategy, int replay_k, RewardFn reward, bool drop_trivial = false);

  // Probability that a sampled transition is relabelled: 1 - 1/(1+k) for future/final, 0 for none.
  double relabel_probability() const;
  // The strategy given at construction.
  HerStrategy strategy() const { return strategy_; }

  // Fills out with `batch` transitions drawn uniformly over every stored transition (an episode is
  // chosen with probability proportional to its length), relabelled per the strategy, with rewards
  // recomputed in one batched call. Throws Error when the buffer is empty.
  //
  // A relabelled transition t is trivial when its new goal is the achieved goal of the very next state
  // (a hindsight goal of length 1: ag[t+1]) and that goal already counts as reached at the transition's
  // start (reward(ag[t], ag[t+1]) == 0, e.g. the block was never touched): it says "any action reaches
  // this goal" and teaches nothing about acting. With drop_trivial such a draw is discarded and the
  // whole (episode, step, goal) draw repeated, so the batch keeps its size and every other transition
  // keeps its relative weight; real-goal transitions and longer hindsight goals are never dropped.
  void sample(const ReplayBuffer& buffer, std::size_t batch, Rng& rng, TransitionBatch& out) const;

 private:
  // True when relabelling step t with the achieved goal of step t+1 is trivial (see sample()).
  bool trivial_step(std::span<const float> ag, std::size_t t, std::size_t wg, std::vector<double>& scratch) const;

  HerStrategy strategy_;
  int replay_k_;
  RewardFn reward_;
  bool drop_trivial_;
};

}  // namespace hindsight::learn
