#pragma once
// A box space: a flat vector of doubles with per-dimension bounds (infinite bounds allowed).
#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "hindsight/core/rng.hpp"

namespace hindsight {

struct Box {
  std::vector<double> low;   // lower bound per dimension (may be -inf)
  std::vector<double> high;  // upper bound per dimension (may be +inf)

  // A box of n dimensions, each bounded by [lo, hi].
  static Box uniform(std::size_t n, double lo, double hi);
  // Number of dimensions.
  std::size_t size() const { return low.size(); }
  // True when x has the right size, no NaN, and every value lies within the bounds.
  bool contains(std::span<const double> x) const;
  // Copies x clamped to the bounds into out (sizes must match).
  void clip(std::span<const double> x, std::span<double> out) const;
  // A uniform sample; requires finite bounds.
  std::vector<double> sample(Rng& rng) const;
  // "Box(n)[lo..hi]" style description for logs and JSON.
  std::string describe() const;
};

}  // namespace hindsight
