#pragma once
// DDPG learner (actor, critic, Polyak targets, Adam) for goal-conditioned agents: one per HAC level,
// or the whole agent for plain DDPG+HER. The header is torch-free so the rest of the build stays fast, and
// the LibTorch side is a module loaded by the first learner (ddpg_backend.hpp).
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace hindsight::learn {

class DdpgBackend;

struct DdpgConfig {
  std::vector<int> hidden{256, 256, 256};  // ReLU MLP hidden sizes for actor and critic
  double actor_lr = 1e-3;                  // Adam learning rate of the actor
  double critic_lr = 1e-3;                 // Adam learning rate of the critic
  double gamma = 0.98;                     // discount per step
  double polyak = 0.95;          // target <- polyak*target + (1-polyak)*main (baselines; tau = 1 - polyak)
  bool target_networks = true;   // HAC drops them: then targets are computed with the main networks
  double action_l2 = 1.0;        // actor loss += action_l2 * mean(pi^2), keeps tanh out of saturation
  double q_min = -50.0;          // lower clip of the critic target y (baselines: -1/(1-gamma))
  double q_max = 0.0;            // upper clip of the critic target y (rewards are <= 0)
  bool bounded_critic = false;   // HAC: critic output = q_min * sigmoid(raw + offset), so Q in [q_min, 0]
  double q_init = -0.067;        // bounded critic: an untrained one (raw ~ 0) outputs ~q_init, optimistic as
                                 // in HAC's code, so unexplored subgoals look good; in (q_min, 0)
  int torch_threads = 1;         // intra-op threads of LibTorch and OpenBLAS (process-wide settings)
  double bc_weight = 0.0;        // demonstrations: actor loss += bc_weight * sum over accepted demo rows of
                                 // |pi(s) - a|^2 (Nair et al. 2018; baselines' aux/prm weights 0.0078/0.001)
  bool q_filter = true;          // demonstrations: a demo row is accepted only where Q(s, a) > Q(s, pi(s))
};

// Throws Error naming the first invalid field of cfg.
void validate(const DdpgConfig& cfg);
// The bounded critic's constant offset -log(q_min / q_init - 1): q_min * sigmoid(0 + offset) = q_init.
double bounded_critic_offset(const DdpgConfig& cfg);

struct UpdateStats {
  double actor_loss = 0.0;   // -mean Q(s, pi(s)) + action_l2 * mean(pi(s)^2), before the step
  double critic_loss = 0.0;  // mean squared error of Q(s, a) against the clipped target, before the step
  double q_mean = 0.0;       // mean Q(s, a) over the batch, before the step
  std::string fault;         // empty, or what was NaN/Inf ("critic loss is NaN"): then no step was taken
  double bc_loss = 0.0;      // demonstrations: sum over accepted demo rows of |pi(s) - a|^2, before the step
  double bc_accepted = 0.0;  // demonstrations: fraction of demo rows the Q filter accepted
};

// Deterministic DDPG: parameters come from a private generator seeded by `seed` (never from torch's global
// generator), and an update is a fixed sequence of single-threaded float32 ops, so the same seed and the
// same data give bit-identical parameters. Inputs are normalized [observation, goal] rows, actions lie in
// [-1, 1] (tanh). update() and load() must not run concurrently with anything else on the same learner;
// act() and q_value() use no shared scratch and may run concurrently with each other.
//
// Flat parameter layout (flat_parameters, the gradient reducer, checkpoints): networks in the order actor,
// critic, then (only with target networks) actor target, critic target; inside a network, layer by layer,
// the weight [out][in] row-major then the bias [out]. The critic's first layer reads [input, action].
class DdpgLearner {
 public:
  // A learner for rows of input_dim inputs and action_dim actions; throws Error on a bad config.
  DdpgLearner(int input_dim, int action_dim, DdpgConfig cfg, std::uint64_t seed);
  ~DdpgLearner();
  DdpgLearner(DdpgLearner&&) noexcept;
  DdpgLearner& operator=(DdpgLearner&&) noexcept;
  DdpgLearner(const DdpgLearner&) = delete;
  DdpgLearner& operator=(const DdpgLearner&) = delete;

  // Deterministic actions for n = inputs.size() / input_dim rows, written to actions_out (n * action_dim).
  void act(std::span<const float> inputs, std::span<float> actions_out) const;
  // The critic's value of one (input, action) row.
  double q_value(std::span<const float> input, std::span<const float> action) const;
  // One gradient step of critic and actor on n transitions; discount 0 marks a terminal/penalty transition.
  // Both gradients are taken at the pre-step parameters (as in baselines), then each network takes an Adam
  // step. Critic target: y = clip(r + gamma * discount * Q'(s', pi'(s')), q_min, q_max).
  // When a loss or a (reduced) gradient is NaN or infinite, neither network steps, the Adam state is left
  // as it was and the returned stats name the fault; the caller decides whether to stop or go on.
  // The last demo_rows rows are demonstrations: they train the critic like the others and add the
  // behaviour-cloning term (bc_weight, q_filter) to the actor loss.
  UpdateStats update(std::span<const float> inputs, std::span<const float> next_inputs,
                     std::span<const float> actions, std::span<const float> rewards,
                     std::span<const float> discounts, std::size_t n, std::size_t demo_rows = 0);
  // Polyak-averages the target networks toward the main ones (no-op without target networks).
  void update_targets();

  // Total number of floats in flat_parameters().
  std::size_t num_parameters() const;
  // Parameters of one actor network (main or target).
  std::size_t actor_parameters() const;
  // Parameters of one critic network (main or target).
  std::size_t critic_parameters() const;
  // All parameters in the flat layout described above.
  std::vector<float> flat_parameters() const;
  // Overwrites all parameters (layout above); Adam state is kept. Throws Error on a size mismatch.
  void set_flat_parameters(std::span<const float> params);
  // Installs fn, called before every optimizer step with that network's whole gradient (in place, e.g. to
  // average across MPI ranks): once for the critic, once for the actor per update. Empty fn removes it.
  void set_gradient_reducer(std::function<void(std::span<float>)> fn);

  // Serializes networks, targets and Adam states to bytes.
  std::string save() const;
  // Restores a save(); throws Error (and changes nothing) on corrupt bytes or mismatched network shapes.
  void load(const std::string& bytes);

  // The validated configuration.
  const DdpgConfig& config() const;
  // Width of an input row.
  int input_dim() const;
  // Width of an action row.
  int action_dim() const;

 private:
  std::unique_ptr<DdpgBackend> impl_;  // the LibTorch side (ddpg_backend.hpp)
};

}  // namespace hindsight::learn
