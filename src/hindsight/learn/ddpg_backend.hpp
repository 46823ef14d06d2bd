#pragma once
// The LibTorch side of DdpgLearner. Its implementation (ddpg_torch.cpp) is built into a module of its own,
// libhindsight_torch.so, which the first DdpgLearner loads (learner_module): commands and tests that train
// nothing (help, config errors, env, plot) never load LibTorch, whose start-up costs about a second of CPU.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "hindsight/learn/ddpg.hpp"

namespace hindsight::learn {

// What DdpgLearner forwards to; each function is DdpgLearner's of the same name (see ddpg.hpp).
class DdpgBackend {
 public:
  virtual ~DdpgBackend() = default;
  virtual void act(std::span<const float> inputs, std::span<float> actions_out) const = 0;
  virtual double q_value(std::span<const float> input, std::span<const float> action) const = 0;
  virtual UpdateStats update(std::span<const float> inputs, std::span<const float> next_inputs,
                             std::span<const float> actions, std::span<const float> rewards,
                             std::span<const float> discounts, std::size_t n, std::size_t demo_rows) = 0;
  virtual void update_targets() = 0;
  virtual std::size_t num_parameters() const = 0;
  virtual std::size_t actor_parameters() const = 0;
  virtual std::size_t critic_parameters() const = 0;
  virtual std::vector<float> flat_parameters() const = 0;
  virtual void set_flat_parameters(std::span<const float> params) = 0;
  virtual void set_gradient_reducer(std::function<void(std::span<float>)> fn) = 0;
  virtual std::string save() const = 0;
  virtual void load(const std::string& bytes) = 0;
  virtual const DdpgConfig& config() const = 0;
  virtual int input_dim() const = 0;
  virtual int action_dim() const = 0;
};

// The module's factory: a new backend for a validated config and checked dimensions (the caller owns it).
using MakeDdpgBackend = DdpgBackend* (*)(int input_dim, int action_dim, const DdpgConfig& cfg, std::uint64_t seed);
// The name the module exports its factory under.
inline constexpr const char* kMakeDdpgBackendSymbol = "hindsight_make_ddpg_backend";

}  // namespace hindsight::learn
