#pragma once
// Random DDPG batches for the learner's tests (tests/learn/ddpg_test.cpp, ddpg_torch_test.cpp).
#include <cstddef>
#include <cstdint>
#include <vector>

#include "hindsight/core/rng.hpp"
#include "hindsight/learn/ddpg.hpp"

namespace hindsight::testing {


// A batch of n transitions in the learner's row layout.
struct Transitions {
  std::size_t n = 0;
  std::vector<float> s, s2, a, r, d;
};

// n random transitions; about a fifth are terminal (discount 0).
inline Transitions random_transitions(int in, int act, std::size_t n, std::uint64_t seed) {
  Rng rng(seed);
  Transitions t;
  t.n = n;
  auto fill = [&rng](std::vector<float>& v, std::size_t count, double lo, double hi) {
    for (std::size_t i = 0; i < count; ++i) v.push_back(static_cast<float>(rng.uniform(lo, hi)));
  };
  fill(t.s, n * in, -2, 2);
  fill(t.s2, n * in, -2, 2);
  fill(t.a, n * act, -1, 1);
  fill(t.r, n, -1, 0);
  for (std::size_t i = 0; i < n; ++i) t.d.push_back(rng.uniform01() < 0.2 ? 0.0F : 1.0F);
  return t;
}

// One learner update on the whole batch.
inline learn::UpdateStats update(learn::DdpgLearner& learner, const Transitions& t) {
  return learner.update(t.s, t.s2, t.a, t.r, t.d, t.n);
}

// The default config with two small hidden layers.
inline learn::DdpgConfig small_config() {
  learn::DdpgConfig cfg;
  cfg.hidden = {16, 16};
  return cfg;
}

}  // namespace hindsight::testing
