#include <gtest/gtest.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>

#include "hindsight/learn/ddpg.hpp"
#include "support/ddpg_data.hpp"

// The LibTorch implementation (ddpg_torch.cpp, hand-written backpropagation) against autograd: the
// gradients each update hands to the reducer equal those of the losses written out with torch ops.

namespace hindsight::learn {
namespace {

using testing::random_transitions;
using testing::Transitions;
using testing::update;


std::vector<std::int64_t> layer_sizes(int in, const std::vector<int>& hidden, int out) {
  std::vector<std::int64_t> s{in};
  s.insert(s.end(), hidden.begin(), hidden.end());
  s.push_back(out);
  return s;
}

// An autograd copy of one network, read from the learner's documented flat layout.
struct RefNet {
  std::vector<torch::Tensor> params;  // w0, b0, w1, b1, ...

  RefNet(const std::vector<float>& flat, std::size_t& offset, const std::vector<std::int64_t>& sizes) {
    auto take = [&](at::IntArrayRef shape, std::int64_t count) {
      auto t = torch::from_blob(const_cast<float*>(flat.data() + offset), shape).clone().requires_grad_();
      offset += static_cast<std::size_t>(count);
      return t;
    };
    for (std::size_t l = 0; l + 1 < sizes.size(); ++l) {
      params.push_back(take({sizes[l + 1], sizes[l]}, sizes[l + 1] * sizes[l]));
      params.push_back(take({sizes[l + 1]}, sizes[l + 1]));
    }
  }
  torch::Tensor forward(torch::Tensor x) const {
    for (std::size_t i = 0; i < params.size(); i += 2) {
      x = torch::addmm(params[i + 1], x, params[i].t());
      if (i + 2 < params.size()) x = torch::relu(x);
    }
    return x;
  }
};

std::vector<float> flatten(const std::vector<torch::Tensor>& grads) {
  std::vector<float> out;
  for (const auto& g : grads) {
    auto c = g.contiguous();
    out.insert(out.end(), c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
  }
  return out;
}

// The DDPG losses written plainly with autograd; returns {critic gradient, actor gradient}.
// The last demo_rows rows are demonstrations: the behaviour-cloning term of Nair et al. (2018) is added.
std::pair<std::vector<float>, std::vector<float>> reference_gradients(const DdpgLearner& learner,
                                                                      const Transitions& t,
                                                                      std::int64_t demo_rows = 0) {
  const DdpgConfig& cfg = learner.config();
  const int d = learner.input_dim(), ad = learner.action_dim();
  const auto n = static_cast<std::int64_t>(t.n);
  const auto flat = learner.flat_parameters();
  std::size_t offset = 0;
  const RefNet actor(flat, offset, layer_sizes(d, cfg.hidden, ad));
  const RefNet critic(flat, offset, layer_sizes(d + ad, cfg.hidden, 1));
  const RefNet actor_t = cfg.target_networks ? RefNet(flat, offset, layer_sizes(d, cfg.hidden, ad)) : actor;
  const RefNet critic_t =
      cfg.target_networks ? RefNet(flat, offset, layer_sizes(d + ad, cfg.hidden, 1)) : critic;
  auto q_of = [&cfg](const RefNet& net, const torch::Tensor& x) {
    auto raw = net.forward(x);
    return cfg.bounded_critic ? cfg.q_min * torch::sigmoid(raw + bounded_critic_offset(cfg)) : raw;
  };
  auto tensor = [](const std::vector<float>& v, at::IntArrayRef shape) {
    return torch::from_blob(const_cast<float*>(v.data()), shape).clone();
  };
  const auto s = tensor(t.s, {n, d}), s2 = tensor(t.s2, {n, d}), a = tensor(t.a, {n, ad});
  const auto r = tensor(t.r, {n, 1}), disc = tensor(t.d, {n, 1});
  torch::Tensor y;
  {
    torch::NoGradGuard no_grad;
    const auto q2 = q_of(critic_t, torch::cat({s2, torch::tanh(actor_t.forward(s2))}, 1));
    y = torch::clamp(r + cfg.gamma * disc * q2, cfg.q_min, cfg.q_max);
  }
  const auto critic_loss = (q_of(critic, torch::cat({s, a}, 1)) - y).pow(2).mean();
  const auto pi = torch::tanh(actor.forward(s));
  const auto q_pi = q_of(critic, torch::cat({s, pi}, 1));
  auto actor_loss = -q_pi.mean() + cfg.action_l2 * pi.pow(2).mean();
  if (demo_rows > 0) {
    const auto first = n - demo_rows;
    torch::Tensor accept;
    {
      torch::NoGradGuard no_grad;
      const auto q_sa = q_of(critic, torch::cat({s, a}, 1));
      accept = cfg.q_filter ? (q_sa.narrow(0, first, demo_rows) > q_pi.narrow(0, first, demo_rows)).to(torch::kFloat)
                            : torch::ones({demo_rows, 1});
    }
    const auto diff = pi.narrow(0, first, demo_rows) - a.narrow(0, first, demo_rows);
    actor_loss = actor_loss + cfg.bc_weight * (diff.pow(2) * accept).sum();
  }
  return {flatten(torch::autograd::grad({critic_loss}, critic.params)),
          flatten(torch::autograd::grad({actor_loss}, actor.params))};
}

void expect_close(const std::vector<float>& got, const std::vector<float>& want, const char* what) {
  ASSERT_EQ(got.size(), want.size()) << what;
  float scale = 0.0F;
  for (float w : want) scale = std::max(scale, std::abs(w));
  ASSERT_GT(scale, 0.0F) << what;
  for (std::size_t i = 0; i < got.size(); ++i) {
    ASSERT_NEAR(got[i], want[i], 1e-4F * scale) << what << " index " << i;
  }
}
TEST(DdpgTorch, GradientsMatchAutogradReference) {
  for (const bool hac_style : {false, true}) {
    SCOPED_TRACE(hac_style ? "bounded critic, no targets" : "targets, unbounded critic");
    DdpgConfig cfg;
    cfg.hidden = {32, 24};
    cfg.action_l2 = 0.5;
    cfg.q_min = hac_style ? -1.0 : -0.5;  // tight enough that many targets are clipped
    cfg.bounded_critic = hac_style;
    cfg.target_networks = !hac_style;
    DdpgLearner learner(5, 3, cfg, 11);
    // A few steps first, so the targets differ from the main networks.
    for (int i = 0; i < 3; ++i) update(learner, random_transitions(5, 3, 64, 20 + i));
    const auto t = random_transitions(5, 3, 64, 30);
    const auto [critic_ref, actor_ref] = reference_gradients(learner, t);
    std::vector<std::vector<float>> seen;
    learner.set_gradient_reducer([&seen](std::span<float> g) { seen.emplace_back(g.begin(), g.end()); });
    update(learner, t);
    ASSERT_EQ(seen.size(), 2U);
    expect_close(seen[0], critic_ref, "critic gradient");
    expect_close(seen[1], actor_ref, "actor gradient");
  }
}

TEST(DdpgTorch, BehaviourCloningGradientsMatchAutogradReference) {
  for (const bool q_filter : {false, true}) {
    SCOPED_TRACE(q_filter ? "Q filter" : "no Q filter");
    DdpgConfig cfg;
    cfg.hidden = {32, 24};
    cfg.bc_weight = 0.3;
    cfg.q_filter = q_filter;
    DdpgLearner learner(5, 3, cfg, 12);
    for (int i = 0; i < 3; ++i) update(learner, random_transitions(5, 3, 64, 40 + i));
    const auto t = random_transitions(5, 3, 64, 50);
    const std::int64_t demo_rows = 24;
    const auto [critic_ref, actor_ref] = reference_gradients(learner, t, demo_rows);
    const auto [critic_plain, actor_plain] = reference_gradients(learner, t);
    std::vector<std::vector<float>> seen;
    learner.set_gradient_reducer([&seen](std::span<float> g) { seen.emplace_back(g.begin(), g.end()); });
    const auto stats = learner.update(t.s, t.s2, t.a, t.r, t.d, t.n, demo_rows);
    ASSERT_EQ(seen.size(), 2U);
    expect_close(seen[0], critic_ref, "critic gradient");  // demonstrations train the critic like any row
    expect_close(seen[1], actor_ref, "actor gradient");
    EXPECT_NE(actor_ref, actor_plain) << "the cloning term changes the actor gradient";
    EXPECT_GT(stats.bc_loss, 0.0);
    if (!q_filter) EXPECT_DOUBLE_EQ(stats.bc_accepted, 1.0);
    if (q_filter) EXPECT_LT(stats.bc_accepted, 1.0) << "a fresh critic prefers some actor actions";
  }
}


}  // namespace
}  // namespace hindsight::learn
