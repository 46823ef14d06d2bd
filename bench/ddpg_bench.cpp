// DDPG update throughput against its own floor: the same matrix multiplications an update performs, run
// alone with torch::mm (out= variant) in the same process. ratio = matmul_time / update_time is the share of
// an update spent in BLAS (1.0: zero overhead). Baselines sizes: batch 256, input 25 + 3, action 4, 3x256.
#include <ATen/Parallel.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <span>
#include <vector>

#include "hindsight/core/rng.hpp"
#include "hindsight/learn/blas_check.hpp"
#include "hindsight/learn/ddpg.hpp"

namespace {

using hindsight::learn::DdpgConfig;
using hindsight::learn::DdpgLearner;

constexpr int kBatch = 256, kInput = 28, kAction = 4, kRounds = 7, kItersPerRound = 40;

// The matmuls of one update on the same kind of buffers DdpgLearner::update uses (weights shared between a
// network's forward and backward, one activation and one gradient buffer per layer), without the bias,
// activation, loss and Adam work around them: forwards x @ W^T, weight gradients g^T @ x, input gradients
// g @ W. Per update: target actor and target critic forwards; critic forward, weight gradients of every
// layer and input gradients of all but the first; actor forward, critic forward on pi, critic input
// gradients down to the action columns (no critic weight gradients); actor weight gradients of every layer
// and input gradients of all but the first.
class UpdateMatmuls {
 public:
  UpdateMatmuls(std::vector<std::int64_t> actor, std::vector<std::int64_t> critic)
      : actor_(std::move(actor)),
        critic_(std::move(critic)),
        pi_(weights(actor_)),
        q_(weights(critic_)),
        pi_targ_(weights(actor_)),
        q_targ_(weights(critic_)),
        pi_grad_(weights(actor_)),
        q_grad_(weights(critic_)),
        s_(torch::randn({kBatch, kInput})),
        xa_(torch::randn({kBatch, kInput + kAction})),
        dpi_(torch::empty({kBatch, kAction})) {
    buffers(actor_, pi_out_);
    buffers(actor_, pi_back_);
    buffers(critic_, q_out_);
    buffers(critic_, q_back_);
  }

  void run() {
    forward(pi_targ_, s_, pi_out_);
    forward(q_targ_, xa_, q_out_);
    forward(q_, xa_, q_out_);
    backward(q_, xa_, q_out_, q_back_, &q_grad_, nullptr);
    forward(pi_, s_, pi_out_);
    forward(q_, xa_, q_out_);
    backward(q_, xa_, q_out_, q_back_, nullptr, &dpi_);
    backward(pi_, s_, pi_out_, pi_back_, &pi_grad_, nullptr);
  }

  // Floating-point operations of one run().
  double flops() const {
    auto pass = [](const std::vector<std::int64_t>& s, std::size_t first_layer) {
      double f = 0;
      for (std::size_t l = first_layer; l + 1 < s.size(); ++l) f += 2.0 * kBatch * s[l] * s[l + 1];
      return f;
    };
    const double dpi_first = 2.0 * kBatch * kAction * critic_[1];
    return 2 * pass(actor_, 0) + 3 * pass(critic_, 0)  // forwards
           + pass(critic_, 0) + pass(critic_, 1)       // critic loss: weight and input gradients
           + pass(critic_, 1) + dpi_first              // dQ/dpi
           + pass(actor_, 0) + pass(actor_, 1);        // actor loss: weight and input gradients
  }

 private:
  static std::vector<at::Tensor> weights(const std::vector<std::int64_t>& s) {
    std::vector<at::Tensor> w;
    for (std::size_t l = 0; l + 1 < s.size(); ++l) w.push_back(torch::randn({s[l + 1], s[l]}) * 0.05);
    return w;
  }
  static void buffers(const std::vector<std::int64_t>& s, std::vector<at::Tensor>& out) {
    for (std::size_t l = 1; l < s.size(); ++l) out.push_back(torch::randn({kBatch, s[l]}));
  }
  static void forward(const std::vector<at::Tensor>& w, const at::Tensor& x, std::vector<at::Tensor>& out) {
    for (std::size_t l = 0; l < w.size(); ++l) at::mm_out(out[l], l == 0 ? x : out[l - 1], w[l].t());
  }
  static void backward(const std::vector<at::Tensor>& w, const at::Tensor& x,
                       const std::vector<at::Tensor>& acts, std::vector<at::Tensor>& back,
                       std::vector<at::Tensor>* grad, at::Tensor* dx) {
    for (std::size_t l = w.size(); l-- > 0;) {
      const at::Tensor& g = l + 1 == w.size() ? acts[l] : back[l];
      if (grad != nullptr) at::mm_out((*grad)[l], g.t(), l == 0 ? x : acts[l - 1]);
      if (l > 0) {
        at::mm_out(back[l - 1], g, w[l]);
      } else if (dx != nullptr) {
        at::mm_out(*dx, g, w[0].narrow(1, w[0].size(1) - dx->size(1), dx->size(1)));
      }
    }
  }

  std::vector<std::int64_t> actor_, critic_;
  std::vector<at::Tensor> pi_, q_, pi_targ_, q_targ_, pi_grad_, q_grad_;
  at::Tensor s_, xa_, dpi_;
  std::vector<at::Tensor> pi_out_, pi_back_, q_out_, q_back_;
};

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int main() {
  at::set_num_threads(1);
  hindsight::learn::set_blas_threads(1);

  DdpgConfig cfg;  // 3x256, baselines defaults
  cfg.torch_threads = 1;
  DdpgLearner learner(kInput, kAction, cfg, 1);
  hindsight::Rng rng(2);
  auto fill = [&rng](std::size_t n, double lo, double hi) {
    std::vector<float> v(n);
    for (auto& x : v) x = static_cast<float>(rng.uniform(lo, hi));
    return v;
  };
  const auto s = fill(kBatch * kInput, -3, 3), s2 = fill(kBatch * kInput, -3, 3);
  const auto a = fill(kBatch * kAction, -1, 1), r = fill(kBatch, -1, 0), d = fill(kBatch, 1, 1);

  std::vector<std::int64_t> actor{kInput}, critic{kInput + kAction};
  for (int h : cfg.hidden) {
    actor.push_back(h);
    critic.push_back(h);
  }
  actor.push_back(kAction);
  critic.push_back(1);
  UpdateMatmuls matmuls(actor, critic);
  const double flops = matmuls.flops();

  // Interleaved rounds, best of each: other processes on the machine only ever make a round slower.
  double best_update = 1e30, best_mm = 1e30;
  for (int round = 0; round < kRounds; ++round) {
    auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < kItersPerRound; ++i) learner.update(s, s2, a, r, d, kBatch);
    best_update = std::min(best_update, seconds_since(t0) / kItersPerRound);
    learner.update_targets();  // baselines: once per 40 updates, so outside the timed loop
    t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < kItersPerRound; ++i) matmuls.run();
    best_mm = std::min(best_mm, seconds_since(t0) / kItersPerRound);
  }

  // One-row act(), the per-step cost of a rollout.
  std::vector<float> one_action(kAction);
  const std::span<const float> one_input(s.data(), kInput);
  const int act_calls = 2000;
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < act_calls; ++i) learner.act(one_input, one_action);
  const double act_us = seconds_since(t0) / act_calls * 1e6;

  std::printf("blas_backend=%s\n", hindsight::learn::blas_backend().c_str());
  std::printf("blas=%s\n", hindsight::learn::blas_description().c_str());
  if (const auto hint = hindsight::learn::blas_tuning_hint(); !hint.empty())
    std::printf("hint: %s\n", hint.c_str());
  std::printf("update_gflop=%.3f\n", flops * 1e-9);
  std::printf("ddpg_updates_per_s=%.1f\n", 1.0 / best_update);
  std::printf("matmul_only_per_s=%.1f\n", 1.0 / best_mm);
  std::printf("matmul_gflops=%.1f\n", flops * 1e-9 / best_mm);
  std::printf("ratio=%.3f\n", best_mm / best_update);
  std::printf("act_one_row_us=%.1f\n", act_us);
  return 0;
}
