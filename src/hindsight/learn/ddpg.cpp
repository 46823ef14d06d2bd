#include "hindsight/learn/ddpg.hpp"

#include <cmath>
#include <sstream>

#include "hindsight/core/error.hpp"
#include "hindsight/learn/ddpg_backend.hpp"
#include "hindsight/learn/learner_module.hpp"

// The networks and their updates live in ddpg_torch.cpp, inside the LibTorch module the first DdpgLearner
// loads (ddpg_backend.hpp); the configuration checks stay here, so a bad config never loads LibTorch.

namespace hindsight::learn {

namespace {

template <class T>
void bad_field(const char* field, const char* requirement, const T& value) {
  std::ostringstream msg;
  msg << "ddpg config: " << field << " must be " << requirement << ", got " << value;
  throw Error(msg.str());
}

}  // namespace

void validate(const DdpgConfig& cfg) {
  if (cfg.hidden.empty()) bad_field("hidden", "a non-empty list", "[]");
  for (int h : cfg.hidden) {
    if (h <= 0) bad_field("hidden", "positive sizes", h);
  }
  if (!(cfg.actor_lr > 0)) bad_field("actor_lr", "> 0", cfg.actor_lr);
  if (!(cfg.critic_lr > 0)) bad_field("critic_lr", "> 0", cfg.critic_lr);
  if (!(cfg.gamma >= 0 && cfg.gamma <= 1)) bad_field("gamma", "in [0, 1]", cfg.gamma);
  if (!(cfg.polyak >= 0 && cfg.polyak <= 1)) bad_field("polyak", "in [0, 1]", cfg.polyak);
  if (!(cfg.action_l2 >= 0)) bad_field("action_l2", ">= 0", cfg.action_l2);
  if (!(cfg.q_min < cfg.q_max)) bad_field("q_min", "< q_max", cfg.q_min);
  if (cfg.bounded_critic && !(cfg.q_min < 0)) bad_field("q_min", "< 0 with bounded_critic", cfg.q_min);
  if (cfg.bounded_critic && !(cfg.q_init > cfg.q_min && cfg.q_init < 0)) {
    bad_field("q_init", "in (q_min, 0) with bounded_critic", cfg.q_init);
  }
  if (cfg.torch_threads < 1) bad_field("torch_threads", ">= 1", cfg.torch_threads);
  if (!(cfg.bc_weight >= 0)) bad_field("bc_weight", ">= 0", cfg.bc_weight);
}

double bounded_critic_offset(const DdpgConfig& cfg) { return -std::log(cfg.q_min / cfg.q_init - 1.0); }

DdpgLearner::DdpgLearner(int input_dim, int action_dim, DdpgConfig cfg, std::uint64_t seed) {
  validate(cfg);
  check(input_dim > 0, "ddpg: input_dim must be > 0, got " + std::to_string(input_dim));
  check(action_dim > 0, "ddpg: action_dim must be > 0, got " + std::to_string(action_dim));
  impl_ = learner_module().make(input_dim, action_dim, cfg, seed);
}

DdpgLearner::~DdpgLearner() = default;
DdpgLearner::DdpgLearner(DdpgLearner&&) noexcept = default;
DdpgLearner& DdpgLearner::operator=(DdpgLearner&&) noexcept = default;

void DdpgLearner::act(std::span<const float> inputs, std::span<float> actions_out) const {
  impl_->act(inputs, actions_out);
}

double DdpgLearner::q_value(std::span<const float> input, std::span<const float> action) const {
  return impl_->q_value(input, action);
}

UpdateStats DdpgLearner::update(std::span<const float> inputs, std::span<const float> next_inputs,
                                std::span<const float> actions, std::span<const float> rewards,
                                std::span<const float> discounts, std::size_t n, std::size_t demo_rows) {
  return impl_->update(inputs, next_inputs, actions, rewards, discounts, n, demo_rows);
}

void DdpgLearner::update_targets() { impl_->update_targets(); }

std::size_t DdpgLearner::num_parameters() const { return impl_->num_parameters(); }

std::size_t DdpgLearner::actor_parameters() const { return impl_->actor_parameters(); }

std::size_t DdpgLearner::critic_parameters() const { return impl_->critic_parameters(); }

std::vector<float> DdpgLearner::flat_parameters() const { return impl_->flat_parameters(); }

void DdpgLearner::set_flat_parameters(std::span<const float> params) { impl_->set_flat_parameters(params); }

void DdpgLearner::set_gradient_reducer(std::function<void(std::span<float>)> fn) {
  impl_->set_gradient_reducer(std::move(fn));
}

std::string DdpgLearner::save() const { return impl_->save(); }

void DdpgLearner::load(const std::string& bytes) { impl_->load(bytes); }

const DdpgConfig& DdpgLearner::config() const { return impl_->config(); }

int DdpgLearner::input_dim() const { return impl_->input_dim(); }

int DdpgLearner::action_dim() const { return impl_->action_dim(); }

}  // namespace hindsight::learn
