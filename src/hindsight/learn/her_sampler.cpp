#include "hindsight/learn/her_sampler.hpp"

#include <algorithm>

#include "hindsight/core/error.hpp"

namespace hindsight::learn {
namespace {

// Copies row `row` of a row-major float array of width w to dst.
void copy_row(std::span<const float> src, std::size_t row, std::size_t w, float* dst) {
  std::copy_n(src.data() + row * w, w, dst);
}

}  // namespace

HerStrategy parse_her_strategy(const std::string& text) {
  if (text == "future") return HerStrategy::kFuture;
  if (text == "final") return HerStrategy::kFinal;
  if (text == "none") return HerStrategy::kNone;
  throw Error("unknown HER strategy '" + text + "' (expected future, final or none)");
}

HerSampler::HerSampler(HerStrategy strategy, int replay_k, RewardFn reward, bool drop_trivial)
    : strategy_(strategy), replay_k_(replay_k), reward_(std::move(reward)), drop_trivial_(drop_trivial) {
  check(replay_k >= 0, "HER replay_k must be >= 0, got " + std::to_string(replay_k));
  check(static_cast<bool>(reward_), "HER sampler needs a reward function");
}

bool HerSampler::trivial_step(std::span<const float> ag, std::size_t t, std::size_t wg,
                              std::vector<double>& scratch) const {
  scratch.resize(2 * wg + 1);
  std::copy_n(ag.data() + t * wg, wg, scratch.data());
  std::copy_n(ag.data() + (t + 1) * wg, wg, scratch.data() + wg);
  reward_(std::span<const double>(scratch.data(), wg), std::span<const double>(scratch.data() + wg, wg),
          std::span<double>(scratch.data() + 2 * wg, 1));
  return scratch[2 * wg] == 0.0;
}

double HerSampler::relabel_probability() const {
  if (strategy_ == HerStrategy::kNone) return 0.0;
  return 1.0 - 1.0 / (1.0 + replay_k_);
}

void HerSampler::sample(const ReplayBuffer& buffer, std::size_t batch, Rng& rng, TransitionBatch& out) const {
  check(buffer.episodes() > 0, "HER sample: the replay buffer is empty");
  const ReplayDims& d = buffer.dims();
  const auto wo = static_cast<std::size_t>(d.obs), wg = static_cast<std::size_t>(d.goal),
             wu = static_cast<std::size_t>(d.action), max_t = static_cast<std::size_t>(d.max_steps);
  out.n = batch;
  out.o.resize(batch * wo);
  out.o2.resize(batch * wo);
  out.g.resize(batch * wg);
  out.u.resize(batch * wu);
  out.r.resize(batch);
  out.ag.resize(batch * wg);
  out.ag2.resize(batch * wg);
  out.discount.assign(batch, 1.0f);
  out.relabelled.resize(batch);
  out.scratch.resize(batch * (2 * wg + 1));

  const double p = relabel_probability();
  const std::size_t episodes = buffer.episodes();
  std::vector<double> trivial_scratch;
  for (std::size_t k = 0; k < batch; ++k) {
    // Uniform over transitions: draw a (episode, step) cell of the episodes x max_steps grid and
    // redraw when the step lies past that episode's end. Every real transition has the same chance,
    // and with full-length episodes (the Fetch tasks) nothing is ever redrawn. A trivial relabelled
    // draw (drop_trivial) is redrawn the same way, from the start.
    std::size_t e, t, T, at = 0;
    bool relabel;
    for (;;) {
      const std::uint64_t cell = rng.below(episodes * max_t);
      e = cell / max_t;
      t = cell % max_t;
      T = static_cast<std::size_t>(buffer.length(e));
      if (t >= T) continue;
      relabel = p > 0 && rng.uniform01() < p;
      if (!relabel) break;
      // future: uniform in [t+1, T] (ag[T] is the final achieved goal); final: always ag[T].
      at = strategy_ == HerStrategy::kFuture ? t + 1 + rng.below(T - t) : T;
      if (!(drop_trivial_ && at == t + 1 && trivial_step(buffer.ag(e), t, wg, trivial_scratch))) break;
    }

    const auto obs = buffer.obs(e), ag = buffer.ag(e);
    copy_row(obs, t, wo, &out.o[k * wo]);
    copy_row(obs, t + 1, wo, &out.o2[k * wo]);
    copy_row(buffer.actions(e), t, wu, &out.u[k * wu]);
    copy_row(ag, t, wg, &out.ag[k * wg]);
    copy_row(ag, t + 1, wg, &out.ag2[k * wg]);
    out.relabelled[k] = relabel ? 1 : 0;
    if (relabel) {
      copy_row(ag, at, wg, &out.g[k * wg]);
    } else {
      copy_row(buffer.g(e), t, wg, &out.g[k * wg]);
    }
  }

  // One batched reward call on (ag2, g), relabelled or not, so rewards always match the goals.
  const std::span<double> achieved(out.scratch.data(), batch * wg);
  const std::span<double> desired(out.scratch.data() + batch * wg, batch * wg);
  const std::span<double> reward(out.scratch.data() + 2 * batch * wg, batch);
  std::copy(out.ag2.begin(), out.ag2.end(), achieved.begin());
  std::copy(out.g.begin(), out.g.end(), desired.begin());
  if (batch > 0) reward_(achieved, desired, reward);
  std::copy(reward.begin(), reward.end(), out.r.begin());
}

}  // namespace hindsight::learn
