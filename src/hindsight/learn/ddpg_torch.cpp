// The LibTorch implementation of DdpgLearner, built into the module libhindsight_torch.so (see
// ddpg_backend.hpp) and created through its exported factory.
#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <c10/core/InferenceMode.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <optional>

#include "hindsight/core/error.hpp"
#include "hindsight/core/finite.hpp"
#include "hindsight/core/float_mode.hpp"
#include "hindsight/core/rng.hpp"
#include "hindsight/learn/blas_check.hpp"
#include "hindsight/learn/ddpg_backend.hpp"
#include "hindsight/learn/ddpg_state.hpp"

// The networks are trained with hand-written backpropagation over preallocated buffers instead of
// autograd: an update is then BLAS calls plus a few elementwise passes, with no graph building and no
// buffer allocation, and the critic's parameter gradients are skipped where the actor loss does not need
// them. tests/learn/ddpg_test.cpp checks the gradients against autograd and the steps against Adam written
// out by hand. All tensor work runs under c10::InferenceMode, which skips autograd dispatch entirely.

namespace hindsight::learn {

namespace {

constexpr double kBeta1 = 0.9;  // Adam defaults (Kingma & Ba; baselines and torch::optim agree)
constexpr double kBeta2 = 0.999;
constexpr double kAdamEps = 1e-8;

// Wraps caller memory as a tensor without copying; the learner never writes through these views.
at::Tensor view_of(std::span<const float> s, at::IntArrayRef shape) {
  return at::from_blob(const_cast<float*>(s.data()), shape, at::kFloat);
}

std::int64_t count_parameters(const std::vector<std::int64_t>& sizes) {
  std::int64_t total = 0;
  for (std::size_t l = 0; l + 1 < sizes.size(); ++l) total += sizes[l + 1] * (sizes[l] + 1);
  return total;
}

// An MLP's parameters (or gradient) in one contiguous tensor, so Polyak averaging, Adam, gradient
// reduction and checkpoints are single operations; w[l] and b[l] are views into flat.
struct FlatNet {
  at::Tensor flat;
  std::vector<at::Tensor> w, b;

  explicit FlatNet(const std::vector<std::int64_t>& sizes)
      : flat(at::zeros({count_parameters(sizes)}, at::kFloat)) {
    std::int64_t offset = 0;
    for (std::size_t l = 0; l + 1 < sizes.size(); ++l) {
      const std::int64_t in = sizes[l], out = sizes[l + 1];
      w.push_back(flat.narrow(0, offset, out * in).view({out, in}));
      offset += out * in;
      b.push_back(flat.narrow(0, offset, out));
      offset += out;
    }
  }
  float* data() const { return flat.data_ptr<float>(); }
  std::size_t size() const { return static_cast<std::size_t>(flat.numel()); }
};

// A trained network: parameters, their gradient and the Adam moments, all in the same flat layout.
struct Trained {
  std::vector<std::int64_t> sizes;
  FlatNet param, grad;
  at::Tensor m, v, denom;
  std::int64_t step = 0;

  explicit Trained(std::vector<std::int64_t> s)
      : sizes(std::move(s)),
        param(sizes),
        grad(sizes),
        m(at::zeros_like(param.flat)),
        v(at::zeros_like(param.flat)),
        denom(at::empty_like(param.flat)) {}
};

// Glorot-uniform weights and zero biases (the TensorFlow dense default that baselines trains with).
void init_glorot(FlatNet& net, Rng& rng) {
  for (std::size_t l = 0; l < net.w.size(); ++l) {
    const auto out = net.w[l].size(0), in = net.w[l].size(1);
    const double limit = std::sqrt(6.0 / static_cast<double>(in + out));
    float* w = net.w[l].data_ptr<float>();
    for (std::int64_t i = 0; i < out * in; ++i) w[i] = static_cast<float>(rng.uniform(-limit, limit));
  }
}

// Runs the MLP on x (n x in); layer l's output goes to out[l] (n x sizes[l+1]): ReLU on hidden layers, the
// last layer left linear for the caller's output activation.
void forward(const FlatNet& net, const at::Tensor& x, std::vector<at::Tensor>& out) {
  const std::size_t layers = net.w.size();
  for (std::size_t l = 0; l < layers; ++l) {
    at::addmm_out(out[l], net.b[l], l == 0 ? x : out[l - 1], net.w[l].t());
    if (l + 1 < layers) out[l].relu_();
  }
}

// Backpropagates g, the loss gradient at the last layer's pre-activation, through forward(net, x, acts).
// Parameter gradients go to grad when given. When dx is given it receives the input gradient restricted to
// input columns [col, col + dx.size(1)) (the critic's action part), computed from that weight slice only.
void backward(const FlatNet& net, const at::Tensor& x, const std::vector<at::Tensor>& acts, at::Tensor g,
              FlatNet* grad, at::Tensor* dx, std::int64_t col, std::vector<at::Tensor>& scratch) {
  static constexpr std::int64_t kRows[] = {0};
  for (std::size_t l = net.w.size(); l-- > 0;) {
    if (grad != nullptr) {
      at::mm_out(grad->w[l], g.t(), l == 0 ? x : acts[l - 1]);
      at::sum_out(grad->b[l], g, kRows);
    }
    if (l > 0) {
      at::mm_out(scratch[l - 1], g, net.w[l]);
      // ReLU passes the gradient where its output was positive.
      at::threshold_backward_out(scratch[l - 1], scratch[l - 1], acts[l - 1], 0);
      g = scratch[l - 1];
    } else if (dx != nullptr) {
      at::mm_out(*dx, g, net.w[0].narrow(1, col, dx->size(1)));
    }
  }
}

// Adam in three passes over the flat buffers instead of ATen's seven single-op passes. The square root goes
// through ATen because a plain std::sqrt loop does not vectorize (errno semantics).
void adam_step(Trained& t, double lr) {
  ++t.step;
  const auto step = static_cast<double>(t.step);
  const auto b1 = static_cast<float>(kBeta1), b2 = static_cast<float>(kBeta2);
  const auto step_size = static_cast<float>(lr / (1.0 - std::pow(kBeta1, step)));
  const auto inv_sqrt_bias2 = static_cast<float>(1.0 / std::sqrt(1.0 - std::pow(kBeta2, step)));
  const auto eps = static_cast<float>(kAdamEps);
  const std::int64_t n = t.param.flat.numel();
  const float* __restrict g = t.grad.data();
  float* __restrict m = t.m.data_ptr<float>();
  float* __restrict v = t.v.data_ptr<float>();
  for (std::int64_t i = 0; i < n; ++i) {
    m[i] = b1 * m[i] + (1.0F - b1) * g[i];
    v[i] = b2 * v[i] + (1.0F - b2) * g[i] * g[i];
  }
  at::sqrt_out(t.denom, t.v);
  float* __restrict p = t.param.data();
  const float* __restrict d = t.denom.data_ptr<float>();
  for (std::int64_t i = 0; i < n; ++i) p[i] -= step_size * m[i] / (d[i] * inv_sqrt_bias2 + eps);
}

// Preallocated activations and gradients for one batch size; reallocated only when n changes.
struct BatchBuffers {
  std::int64_t n = 0;
  std::vector<at::Tensor> actor_out, critic_out, actor_grad, critic_grad;
  at::Tensor xa;    // critic input [input, action], reused for s', s and the actor's pi(s)
  at::Tensor q, y;  // critic values and clipped targets (n x 1)
  at::Tensor dq;    // loss gradient at the critic's output (n x 1)
  at::Tensor dpi;   // loss gradient at the actor's output (n x action_dim)
  at::Tensor q_sa;  // Q(s, a) of the batch, kept for the Q filter (n x 1)
};

// The learner: networks, targets, Adam state and the preallocated batch buffers.
class TorchDdpg final : public DdpgBackend {
 public:
  DdpgConfig cfg;
  double q_offset = cfg.bounded_critic ? bounded_critic_offset(cfg) : 0.0;  // added to the raw critic output
  std::int64_t in_dim, act_dim;
  Trained actor, critic;
  std::optional<FlatNet> actor_target, critic_target;
  std::function<void(std::span<float>)> reducer;
  BatchBuffers batch;

  static std::vector<std::int64_t> sizes(std::int64_t in, const std::vector<int>& hidden, std::int64_t out) {
    std::vector<std::int64_t> s{in};
    s.insert(s.end(), hidden.begin(), hidden.end());
    s.push_back(out);
    return s;
  }

  TorchDdpg(int input_dim, int action_dim, DdpgConfig c, std::uint64_t seed)
      : cfg(std::move(c)),
        in_dim(input_dim),
        act_dim(action_dim),
        actor(sizes(input_dim, cfg.hidden, action_dim)),
        critic(sizes(input_dim + action_dim, cfg.hidden, 1)) {
    Rng rng(derive_seed(seed, "ddpg-init"));
    init_glorot(actor.param, rng);
    init_glorot(critic.param, rng);
    if (cfg.target_networks) {
      actor_target.emplace(actor.sizes);
      actor_target->flat.copy_(actor.param.flat);
      critic_target.emplace(critic.sizes);
      critic_target->flat.copy_(critic.param.flat);
    }
  }

  // Networks in the flat layout order: actor, critic, then the targets when present.
  std::vector<const FlatNet*> networks() const {
    std::vector<const FlatNet*> nets{&actor.param, &critic.param};
    if (actor_target) nets.insert(nets.end(), {&*actor_target, &*critic_target});
    return nets;
  }

  void reserve(std::int64_t n) {
    if (batch.n == n) return;
    auto layer_buffers = [n](const std::vector<std::int64_t>& s, std::vector<at::Tensor>& out) {
      out.clear();
      for (std::size_t l = 1; l < s.size(); ++l) out.push_back(at::empty({n, s[l]}, at::kFloat));
    };
    layer_buffers(actor.sizes, batch.actor_out);
    layer_buffers(actor.sizes, batch.actor_grad);
    layer_buffers(critic.sizes, batch.critic_out);
    layer_buffers(critic.sizes, batch.critic_grad);
    batch.xa = at::empty({n, in_dim + act_dim}, at::kFloat);
    batch.q = at::empty({n, 1}, at::kFloat);
    batch.y = at::empty({n, 1}, at::kFloat);
    batch.dq = at::empty({n, 1}, at::kFloat);
    batch.dpi = at::empty({n, act_dim}, at::kFloat);
    batch.q_sa = at::empty({n, 1}, at::kFloat);
    batch.n = n;
  }

  // Critic forward on batch.xa; returns Q (n x 1). Bounded: the last buffer holds sigmoid(raw), Q goes to q.
  const at::Tensor& critic_forward(const FlatNet& net) {
    forward(net, batch.xa, batch.critic_out);
    at::Tensor& raw = batch.critic_out.back();
    if (!cfg.bounded_critic) return raw;
    raw.add_(q_offset).sigmoid_();
    at::mul_out(batch.q, raw, cfg.q_min);
    return batch.q;
  }

  // Turns dL/dQ in batch.dq into dL/d(raw output) for the critic_forward just run.
  void critic_output_grad() {
    if (!cfg.bounded_critic) return;
    batch.dq.mul_(cfg.q_min);
    at::sigmoid_backward_out(batch.dq, batch.dq, batch.critic_out.back());
  }

  // Actor forward on x; returns pi(x) (n x action_dim), stored in the last actor buffer.
  const at::Tensor& actor_forward(const FlatNet& net, const at::Tensor& x) {
    forward(net, x, batch.actor_out);
    return batch.actor_out.back().tanh_();
  }

  void reduce(Trained& t) {
    if (reducer) reducer(std::span<float>(t.grad.data(), t.grad.size()));
  }

  // What makes this update unusable, or "" when the losses and the reduced gradients are finite.
  static std::string fault_of(const UpdateStats& stats, const Trained& critic, const Trained& actor) {
    if (!std::isfinite(stats.critic_loss)) return "critic loss is " + non_finite_name(stats.critic_loss);
    if (!std::isfinite(stats.actor_loss)) return "actor loss is " + non_finite_name(stats.actor_loss);
    for (const auto& [name, t] : {std::pair{"critic", &critic}, std::pair{"actor", &actor}}) {
      const std::span<const float> g(t->grad.data(), t->grad.size());
      if (const auto i = first_non_finite(g)) {
        return std::string(name) + " gradient[" + std::to_string(*i) + "] is " + non_finite_name(g[*i]);
      }
    }
    return "";
  }

  UpdateStats update(const at::Tensor& s, const at::Tensor& s_next, const at::Tensor& a, const at::Tensor& r,
                     const at::Tensor& discount, std::int64_t demo_rows) {
    const auto n = s.size(0);
    reserve(n);
    BatchBuffers& b = batch;
    UpdateStats stats;

    // Target y = clip(r + gamma * discount * Q'(s', pi'(s'))); HAC without targets uses the main networks.
    const FlatNet& pi_targ = actor_target ? *actor_target : actor.param;
    const FlatNet& q_targ = critic_target ? *critic_target : critic.param;
    at::cat_out(b.xa, {s_next, actor_forward(pi_targ, s_next)}, 1);
    at::mul_out(b.y, critic_forward(q_targ), discount);
    b.y.mul_(cfg.gamma).add_(r).clamp_(cfg.q_min, cfg.q_max);

    // Critic: MSE of Q(s, a) against y.
    at::cat_out(b.xa, {s, a}, 1);
    const at::Tensor& q = critic_forward(critic.param);
    at::sub_out(b.dq, q, b.y);
    stats.critic_loss = at::dot(b.dq.view(-1), b.dq.view(-1)).item<double>() / static_cast<double>(n);
    stats.q_mean = q.mean().item<double>();
    if (demo_rows > 0) b.q_sa.copy_(q);
    b.dq.mul_(2.0 / static_cast<double>(n));
    critic_output_grad();
    backward(critic.param, b.xa, b.critic_out, b.dq, &critic.grad, nullptr, 0, b.critic_grad);

    // Actor: -mean Q(s, pi(s)) + action_l2 * mean(pi^2), through the pre-step critic, whose own parameter
    // gradients are not needed here.
    const at::Tensor& pi = actor_forward(actor.param, s);
    at::cat_out(b.xa, {s, pi}, 1);
    const at::Tensor& q_pi = critic_forward(critic.param);
    const double pi_count = static_cast<double>(n * act_dim);
    stats.actor_loss = -q_pi.mean().item<double>() +
                       cfg.action_l2 * at::dot(pi.view(-1), pi.view(-1)).item<double>() / pi_count;
    b.dq.fill_(-1.0 / static_cast<double>(n));
    critic_output_grad();
    backward(critic.param, b.xa, b.critic_out, b.dq, nullptr, &b.dpi, in_dim, b.critic_grad);
    b.dpi.add_(pi, 2.0 * cfg.action_l2 / pi_count);
    if (demo_rows > 0) add_behaviour_cloning(pi, a, q_pi, demo_rows, stats);
    at::tanh_backward_out(b.dpi, b.dpi, pi);
    backward(actor.param, s, b.actor_out, b.dpi, &actor.grad, nullptr, 0, b.actor_grad);

    // A non-finite loss poisons the gradients before the reduction, so that under MPI every rank sees a
    // NaN in the averaged gradient and skips (or stops at) the same update.
    if (!std::isfinite(stats.critic_loss) || !std::isfinite(stats.actor_loss)) {
      critic.grad.data()[0] = actor.grad.data()[0] = std::numeric_limits<float>::quiet_NaN();
    }
    reduce(critic);
    reduce(actor);
    stats.fault = fault_of(stats, critic, actor);
    if (!stats.fault.empty()) return stats;
    adam_step(critic, cfg.critic_lr);
    adam_step(actor, cfg.actor_lr);
    return stats;
  }

  // Behaviour cloning on the last demo_rows rows (Nair et al. 2018): adds bc_weight * |pi - a|^2 of every
  // accepted row to the actor loss and its gradient to batch.dpi. With q_filter a row is accepted only where
  // the critic (pre-step) rates the demonstrated action above the actor's: Q(s, a) > Q(s, pi(s)).
  void add_behaviour_cloning(const at::Tensor& pi, const at::Tensor& a, const at::Tensor& q_pi,
                             std::int64_t demo_rows, UpdateStats& stats) {
    const std::int64_t n = pi.size(0), first = n - demo_rows;
    const at::Tensor diff = pi.narrow(0, first, demo_rows) - a.narrow(0, first, demo_rows);
    at::Tensor accept = cfg.q_filter
                            ? at::gt(batch.q_sa.narrow(0, first, demo_rows), q_pi.narrow(0, first, demo_rows))
                                  .to(at::kFloat)
                            : at::ones({demo_rows, 1}, at::kFloat);
    const at::Tensor masked = diff * accept;
    stats.bc_loss = cfg.bc_weight * at::sum(masked * masked).item<double>();
    stats.bc_accepted = accept.mean().item<double>();
    batch.dpi.narrow(0, first, demo_rows).add_(masked, 2.0 * cfg.bc_weight);
  }

  // The networks' shape, as the state bytes record it.
  DdpgShape shape() const;

  void act(std::span<const float> inputs, std::span<float> actions_out) const override;
  double q_value(std::span<const float> input, std::span<const float> action) const override;
  UpdateStats update(std::span<const float> inputs, std::span<const float> next_inputs,
                     std::span<const float> actions, std::span<const float> rewards,
                     std::span<const float> discounts, std::size_t n, std::size_t demo_rows) override;
  void update_targets() override;
  std::size_t num_parameters() const override;
  std::size_t actor_parameters() const override;
  std::size_t critic_parameters() const override;
  std::vector<float> flat_parameters() const override;
  void set_flat_parameters(std::span<const float> params) override;
  void set_gradient_reducer(std::function<void(std::span<float>)> fn) override;
  std::string save() const override;
  void load(const std::string& bytes) override;
  const DdpgConfig& config() const override { return cfg; }
  int input_dim() const override { return static_cast<int>(in_dim); }
  int action_dim() const override { return static_cast<int>(act_dim); }
};

void TorchDdpg::act(std::span<const float> inputs, std::span<float> actions_out) const {
  const auto d = in_dim, ad = act_dim;
  check(
      inputs.size() % static_cast<std::size_t>(d) == 0,
      "ddpg act: input size " + std::to_string(inputs.size()) + " is not a multiple of " + std::to_string(d));
  const auto n = static_cast<std::int64_t>(inputs.size()) / d;
  check(
      actions_out.size() == static_cast<std::size_t>(n * ad),
      "ddpg act: output size " + std::to_string(actions_out.size()) + ", expected " + std::to_string(n * ad));
  if (n == 0) return;
  c10::InferenceMode guard;
  const FlatNet& net = actor.param;
  at::Tensor h = view_of(inputs, {n, d});
  for (std::size_t l = 0; l + 1 < net.w.size(); ++l) h = at::addmm(net.b[l], h, net.w[l].t()).relu_();
  at::Tensor out = at::from_blob(actions_out.data(), {n, ad}, at::kFloat);
  at::addmm_out(out, net.b.back(), h, net.w.back().t()).tanh_();
}

double TorchDdpg::q_value(std::span<const float> input, std::span<const float> action) const {
  const auto d = in_dim, ad = act_dim;
  check(input.size() == static_cast<std::size_t>(d) && action.size() == static_cast<std::size_t>(ad),
        "ddpg q_value: expected one row of " + std::to_string(d) + " inputs and " + std::to_string(ad) +
            " actions");
  c10::InferenceMode guard;
  const FlatNet& net = critic.param;
  at::Tensor h = at::cat({view_of(input, {1, d}), view_of(action, {1, ad})}, 1);
  for (std::size_t l = 0; l + 1 < net.w.size(); ++l) h = at::addmm(net.b[l], h, net.w[l].t()).relu_();
  const double raw = at::addmm(net.b.back(), h, net.w.back().t()).item<double>();
  return cfg.bounded_critic ? cfg.q_min / (1.0 + std::exp(-(raw + q_offset))) : raw;
}

UpdateStats TorchDdpg::update(std::span<const float> inputs, std::span<const float> next_inputs,
                                std::span<const float> actions, std::span<const float> rewards,
                                std::span<const float> discounts, std::size_t n, std::size_t demo_rows) {
  const auto d = static_cast<std::size_t>(in_dim), ad = static_cast<std::size_t>(act_dim);
  check(n > 0, "ddpg update: empty batch");
  auto expect = [n](std::span<const float> s, std::size_t width, const char* name) {
    check(s.size() == n * width, std::string("ddpg update: ") + name + " has " + std::to_string(s.size()) +
                                     " values, expected " + std::to_string(n * width));
  };
  expect(inputs, d, "inputs");
  expect(next_inputs, d, "next_inputs");
  expect(actions, ad, "actions");
  expect(rewards, 1, "rewards");
  expect(discounts, 1, "discounts");
  check(demo_rows <= n, "ddpg update: " + std::to_string(demo_rows) + " demo rows in a batch of " + std::to_string(n));
  c10::InferenceMode guard;
  const auto rows = static_cast<std::int64_t>(n);
  return update(view_of(inputs, {rows, in_dim}), view_of(next_inputs, {rows, in_dim}),
                view_of(actions, {rows, act_dim}), view_of(rewards, {rows, 1}), view_of(discounts, {rows, 1}),
                static_cast<std::int64_t>(demo_rows));
}

void TorchDdpg::update_targets() {
  if (!actor_target) return;
  c10::InferenceMode guard;
  const double p = cfg.polyak;
  actor_target->flat.mul_(p).add_(actor.param.flat, 1.0 - p);
  critic_target->flat.mul_(p).add_(critic.param.flat, 1.0 - p);
}

std::size_t TorchDdpg::num_parameters() const {
  return (actor_parameters() + critic_parameters()) * (actor_target ? 2 : 1);
}

std::size_t TorchDdpg::actor_parameters() const { return actor.param.size(); }

std::size_t TorchDdpg::critic_parameters() const { return critic.param.size(); }

std::vector<float> TorchDdpg::flat_parameters() const {
  std::vector<float> out;
  out.reserve(num_parameters());
  for (const FlatNet* net : networks()) out.insert(out.end(), net->data(), net->data() + net->size());
  return out;
}

void TorchDdpg::set_flat_parameters(std::span<const float> params) {
  check(params.size() == num_parameters(), "ddpg set_flat_parameters: got " + std::to_string(params.size()) +
                                               " values, expected " + std::to_string(num_parameters()));
  const float* src = params.data();
  for (const FlatNet* net : networks()) {
    std::memcpy(net->data(), src, sizeof(float) * net->size());
    src += net->size();
  }
}

void TorchDdpg::set_gradient_reducer(std::function<void(std::span<float>)> fn) {
  reducer = std::move(fn);
}

DdpgShape TorchDdpg::shape() const {
  return DdpgShape{in_dim, act_dim, {cfg.hidden.begin(), cfg.hidden.end()}, actor_target.has_value(),
                   cfg.bounded_critic};
}

std::string TorchDdpg::save() const {
  const TorchDdpg& m = *this;
  DdpgState state{m.shape(), m.actor.step, m.critic.step, flat_parameters()};
  for (const Trained* t : {&m.actor, &m.critic}) {
    for (const at::Tensor* moment : {&t->m, &t->v}) {
      const float* p = moment->data_ptr<float>();
      state.values.insert(state.values.end(), p, p + moment->numel());
    }
  }
  return encode_ddpg_state(state);
}

void TorchDdpg::load(const std::string& bytes) {
  TorchDdpg& m = *this;
  const DdpgState state = decode_ddpg_state(bytes, m.shape());  // every check happens before any change
  c10::InferenceMode guard;
  const float* src = state.values.data();
  auto fill = [&src](const at::Tensor& t) {
    std::memcpy(t.data_ptr<float>(), src, sizeof(float) * static_cast<std::size_t>(t.numel()));
    src += t.numel();
  };
  for (const FlatNet* net : m.networks()) fill(net->flat);
  for (Trained* t : {&m.actor, &m.critic}) {
    fill(t->m);
    fill(t->v);
  }
  m.actor.step = state.actor_step;
  m.critic.step = state.critic_step;
}

}  // namespace

}  // namespace hindsight::learn

// The factory DdpgLearner looks up (kMakeDdpgBackendSymbol). Both thread pools are process-wide; LibTorch's
// setting does not reach OpenBLAS's own pool. Denormals are flushed on the calling thread, which runs the
// updates (and on the pool threads it starts later); without it the update slows 3-7x once weights or
// activations drift below 1.2e-38 (core/float_mode.hpp).
extern "C" hindsight::learn::DdpgBackend* hindsight_make_ddpg_backend(int input_dim, int action_dim,
                                                                      const hindsight::learn::DdpgConfig& cfg,
                                                                      std::uint64_t seed) {
  hindsight::flush_denormals();
  at::set_num_threads(cfg.torch_threads);
  hindsight::learn::set_blas_threads(cfg.torch_threads);
  c10::InferenceMode guard;
  return new hindsight::learn::TorchDdpg(input_dim, action_dim, cfg, seed);
}
