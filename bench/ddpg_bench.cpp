// DDPG update throughput against its own floor: the same matrix multiplications an update performs, run
// alone with torch::mm (out= variant) in the same process. ratio = matmul_time / update_time is the share of
// an update spent in BLAS (1.0: zero overhead). Baselines sizes: batch 256, input 25 + 3, action 4, 3x256.
// Then the same matmuls on inputs scaled to 1e-38, whose products are denormal, with denormals kept (the
// CPU's default) and flushed to zero (what the learner sets): denormal_slowdown = kept / flushed.
//
// Usage: ddpg_bench [--batch N] [--threads T]   (defaults 256 and 1)
// Under mpirun with several ranks, every rank updates on its own N rows and the gradients are averaged
// across the ranks before each step (the trainer's path for a run of several ranks): rank 0 prints the
// time of one such update, all-reduce included, and the job's rows per update (N x ranks).
#include <ATen/Parallel.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <span>
#include <vector>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

#include "hindsight/core/float_mode.hpp"
#include "hindsight/core/rng.hpp"
#include "hindsight/learn/blas_check.hpp"
#include "hindsight/learn/ddpg.hpp"
#include "hindsight/train/comm.hpp"

namespace {

using hindsight::learn::DdpgConfig;
using hindsight::learn::DdpgLearner;

constexpr int kInput = 28, kAction = 4, kRounds = 7, kItersPerRound = 40;

// The matmuls of one update on the same kind of buffers DdpgLearner::update uses (weights shared between a
// network's forward and backward, one activation and one gradient buffer per layer), without the bias,
// activation, loss and Adam work around them: forwards x @ W^T, weight gradients g^T @ x, input gradients
// g @ W. Per update: target actor and target critic forwards; critic forward, weight gradients of every
// layer and input gradients of all but the first; actor forward, critic forward on pi, critic input
// gradients down to the action columns (no critic weight gradients); actor weight gradients of every layer
// and input gradients of all but the first.
class UpdateMatmuls {
 public:
  UpdateMatmuls(std::int64_t batch, std::vector<std::int64_t> actor, std::vector<std::int64_t> critic)
      : batch_(batch),
        actor_(std::move(actor)),
        critic_(std::move(critic)),
        pi_(weights(actor_)),
        q_(weights(critic_)),
        pi_targ_(weights(actor_)),
        q_targ_(weights(critic_)),
        pi_grad_(weights(actor_)),
        q_grad_(weights(critic_)),
        s_(torch::randn({batch_, kInput})),
        xa_(torch::randn({batch_, kInput + kAction})),
        dpi_(torch::empty({batch_, kAction})) {
    buffers(batch_, actor_, pi_out_);
    buffers(batch_, actor_, pi_back_);
    buffers(batch_, critic_, q_out_);
    buffers(batch_, critic_, q_back_);
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

  // Multiplies the inputs of every forward pass by factor: with 1e-38 the products and sums of every pass
  // fall in the denormal range, as an actor's gradients do behind a saturated tanh.
  void scale_inputs(float factor) {
    s_.mul_(factor);
    xa_.mul_(factor);
  }

  // Floating-point operations of one run().
  double flops() const {
    auto pass = [this](const std::vector<std::int64_t>& s, std::size_t first_layer) {
      double f = 0;
      for (std::size_t l = first_layer; l + 1 < s.size(); ++l) f += 2.0 * batch_ * s[l] * s[l + 1];
      return f;
    };
    const double dpi_first = 2.0 * batch_ * kAction * critic_[1];
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
  static void buffers(std::int64_t rows, const std::vector<std::int64_t>& s, std::vector<at::Tensor>& out) {
    for (std::size_t l = 1; l < s.size(); ++l) out.push_back(torch::randn({rows, s[l]}));
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

  std::int64_t batch_;  // rows per update
  std::vector<std::int64_t> actor_, critic_;
  std::vector<at::Tensor> pi_, q_, pi_targ_, q_targ_, pi_grad_, q_grad_;
  at::Tensor s_, xa_, dpi_;
  std::vector<at::Tensor> pi_out_, pi_back_, q_out_, q_back_;
};

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
  int batch = 256, threads = 1;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--batch") == 0) batch = std::atoi(argv[i + 1]);
    if (std::strcmp(argv[i], "--threads") == 0) threads = std::atoi(argv[i + 1]);
  }
  if (batch < 1 || threads < 1) {
    std::fprintf(stderr, "usage: ddpg_bench [--batch N] [--threads T]\n");
    return 2;
  }
  const std::unique_ptr<hindsight::train::Comm> comm = hindsight::train::make_comm();
  at::set_num_threads(threads);
  hindsight::learn::set_blas_threads(threads);

  DdpgConfig cfg;  // 3x256, baselines defaults
  cfg.torch_threads = threads;
  DdpgLearner learner(kInput, kAction, cfg, 1);
  if (comm->size() > 1) learner.set_gradient_reducer([&](std::span<float> g) { comm->allreduce_mean(g); });
  hindsight::Rng rng(2);
  auto fill = [&rng](std::size_t n, double lo, double hi) {
    std::vector<float> v(n);
    for (auto& x : v) x = static_cast<float>(rng.uniform(lo, hi));
    return v;
  };
  const auto s = fill(batch * kInput, -3, 3), s2 = fill(batch * kInput, -3, 3);
  const auto a = fill(batch * kAction, -1, 1), r = fill(batch, -1, 0), d = fill(batch, 1, 1);

  std::vector<std::int64_t> actor{kInput}, critic{kInput + kAction};
  for (int h : cfg.hidden) {
    actor.push_back(h);
    critic.push_back(h);
  }
  actor.push_back(kAction);
  critic.push_back(1);
  UpdateMatmuls matmuls(batch, actor, critic);
  const double flops = matmuls.flops();

  // Interleaved rounds, best of each: other processes on the machine only ever make a round slower.
  double best_update = 1e30, best_mm = 1e30;
  for (int round = 0; round < kRounds; ++round) {
    auto t0 = std::chrono::steady_clock::now();
    comm->barrier();
    for (int i = 0; i < kItersPerRound; ++i) learner.update(s, s2, a, r, d, batch);
    comm->barrier();
    best_update = std::min(best_update, seconds_since(t0) / kItersPerRound);
    learner.update_targets();  // baselines: once per 40 updates, so outside the timed loop
    t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < kItersPerRound; ++i) matmuls.run();
    best_mm = std::min(best_mm, seconds_since(t0) / kItersPerRound);
  }

  // Why the learner flushes denormals (core/float_mode.hpp): the same matmuls on inputs whose products are
  // denormal, on this thread with denormals kept (the CPU's default) and flushed to zero.
  hindsight::keep_denormals();  // before scaling: flushing would turn the scaled inputs into zeros
  UpdateMatmuls tiny(batch, actor, critic);
  tiny.scale_inputs(1e-38f);
  auto best_tiny = [&] {
    double best = 1e30;
    for (int round = 0; round < 2; ++round) {  // few passes: with denormals kept one takes ~1 s
      const auto t = std::chrono::steady_clock::now();
      for (int i = 0; i < 2; ++i) tiny.run();
      best = std::min(best, seconds_since(t) / 2);
    }
    return best;
  };
  const double denormal_kept = best_tiny();
  const bool flushed = hindsight::flush_denormals();
  const double denormal_flushed = best_tiny();

  // One-row act(), the per-step cost of a rollout.
  std::vector<float> one_action(kAction);
  const std::span<const float> one_input(s.data(), kInput);
  const int act_calls = 2000;
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < act_calls; ++i) learner.act(one_input, one_action);
  const double act_us = seconds_since(t0) / act_calls * 1e6;

  if (!comm->is_root()) return 0;
  std::printf("ranks=%d threads=%d batch_per_rank=%d batch=%d\n", comm->size(), threads, batch,
              batch * comm->size());
  std::printf("update_ms=%.2f\n", best_update * 1e3);
  std::printf("matmul_only_ms=%.2f\n", best_mm * 1e3);
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
  std::printf("denormal_kept_ms=%.2f\n", denormal_kept * 1e3);
  if (flushed) {
    std::printf("denormal_flushed_ms=%.2f\n", denormal_flushed * 1e3);
    std::printf("denormal_slowdown=%.2f\n", denormal_kept / denormal_flushed);
  }
  return 0;
}
