#pragma once
// Episode-major experience storage in compact float32. Whole episodes are kept (not loose
// transitions) because HER relabels a transition with goals achieved later in its own episode.
// The buffer is a ring of fixed-size episode slots: when full, the oldest episode is overwritten.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace hindsight::learn {

struct ReplayDims {
  int obs = 0;        // observation size
  int goal = 0;       // goal size (achieved and desired)
  int action = 0;     // action size
  int max_steps = 0;  // longest episode (transitions); shorter episodes are allowed
};

// One finished episode of T transitions, row-major.
struct EpisodeData {
  int T = 0;
  std::vector<float> obs;      // (T+1) x obs: the observation before each step and the final one
  std::vector<float> ag;       // (T+1) x goal: achieved goal alongside each observation
  std::vector<float> g;        // T x goal: desired goal at each step
  std::vector<float> actions;  // T x action
};

class ReplayBuffer {
 public:
  // Room for capacity_transitions / max_steps episodes; throws Error when that is 0 or dims are bad.
  ReplayBuffer(ReplayDims dims, std::size_t capacity_transitions);

  // Copies an episode in, overwriting the oldest when full; throws Error on bad T or vector sizes.
  void store(const EpisodeData& ep);
  // Removes every episode (capacity unchanged).
  void clear();

  // The dimensions given at construction.
  const ReplayDims& dims() const { return dims_; }
  // Episodes currently held.
  std::size_t episodes() const { return count_; }
  // Transitions currently held (sum of the held episodes' lengths).
  std::size_t transitions() const { return transitions_; }
  // Episode slots: capacity_transitions / max_steps.
  std::size_t capacity_episodes() const { return capacity_; }
  // Capacity in transitions, rounded down to whole episodes: capacity_episodes() * max_steps.
  std::size_t capacity_transitions() const { return capacity_ * static_cast<std::size_t>(dims_.max_steps); }

  // Length T of episode i, where i = 0 is the oldest held episode and episodes() - 1 the newest.
  int length(std::size_t i) const { return lengths_[slot(i)]; }
  // (T+1) x obs observations of episode i.
  std::span<const float> obs(std::size_t i) const;
  // (T+1) x goal achieved goals of episode i.
  std::span<const float> ag(std::size_t i) const;
  // T x goal desired goals of episode i.
  std::span<const float> g(std::size_t i) const;
  // T x action actions of episode i.
  std::span<const float> actions(std::size_t i) const;

  // The held episodes, oldest first, as a binary blob with a header (magic, version, dims, count).
  std::string save() const;
  // Replaces the contents with a blob from save(); the dims must match this buffer's. A blob holding
  // more episodes than fit keeps the newest. Throws one-line Error naming `where` on truncated,
  // corrupt or mismatched data, leaving the buffer unchanged.
  void load(std::string_view bytes, const std::string& where);

 private:
  // Ring slot of the i-th oldest held episode; throws Error when i is out of range.
  std::size_t slot(std::size_t i) const;
  // Reserves storage for `slots` episode slots (no-op when that many are allocated already).
  void allocate(std::size_t slots);
  // Makes the first `slots` slots addressable (within the allocation).
  void resize_slots(std::size_t slots);

  ReplayDims dims_;
  std::size_t capacity_;   // episode slots
  std::size_t count_ = 0;  // held episodes
  std::size_t next_ = 0;   // slot the next episode is written to
  std::size_t transitions_ = 0;
  std::size_t allocated_ = 0;  // slots the storage vectors have room for
  std::vector<int> lengths_;  // per slot
  // Per-slot blocks sized for max_steps; the whole capacity reserved at the first store, slots made
  // addressable as they are first written.
  std::vector<float> obs_, ag_, g_, actions_;
};

}  // namespace hindsight::learn
