#pragma once
// Deterministic random numbers: a seeded 64-bit generator with portable distributions (the same
// seed gives the same numbers on every standard library), and seed derivation for workers/ranks.
#include <cstdint>
#include <string>

namespace hindsight {

// Mixes a base seed with a stream index into an independent seed (SplitMix64 finaliser).
std::uint64_t derive_seed(std::uint64_t base, std::uint64_t stream);
// Mixes a base seed with a named stream ("env", "explore", ...) into an independent seed.
std::uint64_t derive_seed(std::uint64_t base, const std::string& stream);

class Rng {
 public:
  // A generator seeded with seed.
  explicit Rng(std::uint64_t seed = 0) { reseed(seed); }
  // Restarts the stream from seed.
  void reseed(std::uint64_t seed);
  // Next raw 64-bit value (xoshiro256**).
  std::uint64_t next_u64();
  // Uniform double in [0, 1).
  double uniform01();
  // Uniform double in [lo, hi).
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform01(); }
  // Uniform integer in [0, n); n > 0.
  std::uint64_t below(std::uint64_t n);
  // Standard normal (Marsaglia polar method, spare value cached).
  double normal();
  // The full state as text, for checkpoints.
  std::string state() const;
  // Restores a state produced by state(); throws Error on malformed text.
  void set_state(const std::string& text);

 private:
  std::uint64_t s_[4]{};
  bool has_spare_ = false;
  double spare_ = 0.0;
};

}  // namespace hindsight
