#include "hindsight/learn/level.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "hindsight/core/error.hpp"
#include "hindsight/core/finite.hpp"

namespace hindsight::learn {
namespace {

learn::Normalizer make_norm(int dims, const LevelConfig& cfg) {
  return cfg.normalize ? learn::Normalizer(static_cast<std::size_t>(dims), cfg.norm)
                       : learn::Normalizer::identity(static_cast<std::size_t>(dims));
}

}  // namespace

void LevelStats::add(const learn::UpdateStats& s) {
  if (!s.fault.empty()) {
    ++skipped;
    return;
  }
  actor_loss += s.actor_loss;
  critic_loss += s.critic_loss;
  q_mean += s.q_mean;
  ++updates;
}

learn::UpdateStats LevelStats::mean() const {
  if (updates == 0) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    return {nan, nan, nan, {}};
  }
  const double n = static_cast<double>(updates);
  return {actor_loss / n, critic_loss / n, q_mean / n, {}};
}

Level::Level(LevelSpec spec, LevelConfig cfg, std::uint64_t seed)
    : spec_(std::move(spec)),
      cfg_(std::move(cfg)),
      obs_norm_(make_norm(spec_.obs_dim, cfg_)),
      goal_norm_(make_norm(spec_.goal_dim, cfg_)),
      obs_delta_(static_cast<std::size_t>(spec_.obs_dim), cfg_.norm),
      goal_delta_(static_cast<std::size_t>(spec_.goal_dim), cfg_.norm),
      learner_(spec_.obs_dim + spec_.goal_dim, static_cast<int>(spec_.action_space.size()), cfg_.ddpg, seed),
      buffer_(learn::ReplayDims{spec_.obs_dim, spec_.goal_dim, static_cast<int>(spec_.action_space.size()),
                                spec_.max_steps},
              cfg_.buffer_size),
      fixed_(buffer_.dims()),
      sampler_(cfg_.her, cfg_.replay_k, spec_.reward, cfg_.drop_trivial_hindsight) {
  check(cfg_.batch_size >= 1, "batch_size must be >= 1");
  if (cfg_.demo_capacity > 0) {
    check(cfg_.demo_batch_size >= 1 && cfg_.demo_batch_size < cfg_.batch_size,
          "demo_batch_size must be in [1, batch_size)");
    demo_.emplace(buffer_.dims(), cfg_.demo_capacity);
  }
  for (std::size_t i = 0; i < spec_.action_space.size(); ++i) {
    check(std::isfinite(spec_.action_space.low[i]) && std::isfinite(spec_.action_space.high[i]) &&
              spec_.action_space.low[i] < spec_.action_space.high[i],
          "a level's action space needs finite bounds with low < high");
  }
  check(cfg_.noise_std.empty() || cfg_.noise_std.size() == spec_.action_space.size(),
        "noise_std has " + std::to_string(cfg_.noise_std.size()) + " values but the level's actions have " +
            std::to_string(spec_.action_space.size()) + " dimensions");
  for (double s : cfg_.noise_std) check(std::isfinite(s) && s >= 0, "noise_std entries must be finite and >= 0");
  // The std in the actor's [-1, 1] units: noise_eps, or noise_std over the dimension's half range.
  const Box& b = spec_.action_space;
  unit_noise_.resize(b.size(), cfg_.noise_eps);
  for (std::size_t i = 0; i < cfg_.noise_std.size(); ++i) unit_noise_[i] = cfg_.noise_std[i] / (0.5 * (b.high[i] - b.low[i]));
}

void Level::set_normalizers(learn::Normalizer obs, learn::Normalizer goal) {
  check(obs.dims() == obs_norm_.dims() && goal.dims() == goal_norm_.dims(),
        "normalizer dims do not match the level (observation " + std::to_string(obs_norm_.dims()) + ", goal " +
            std::to_string(goal_norm_.dims()) + ")");
  obs_norm_ = std::move(obs);
  goal_norm_ = std::move(goal);
}

void Level::make_inputs(std::span<const float> obs, std::span<const float> goal, std::size_t n,
                        std::vector<float>& out) const {
  const std::size_t od = static_cast<std::size_t>(spec_.obs_dim), gd = static_cast<std::size_t>(spec_.goal_dim);
  const std::size_t in = od + gd;
  out.resize(n * in);
  // Clip raw values, normalize into scratch rows, then interleave as [obs | goal] per row.
  thread_local std::vector<float> co, cg, no, ng;
  const float c = static_cast<float>(cfg_.clip_obs);
  co.assign(obs.begin(), obs.begin() + static_cast<std::ptrdiff_t>(n * od));
  cg.assign(goal.begin(), goal.begin() + static_cast<std::ptrdiff_t>(n * gd));
  for (auto& v : co) v = std::clamp(v, -c, c);
  for (auto& v : cg) v = std::clamp(v, -c, c);
  no.resize(n * od);
  ng.resize(n * gd);
  obs_norm_.normalize(std::span<const float>(co), std::span<float>(no));
  goal_norm_.normalize(std::span<const float>(cg), std::span<float>(ng));
  for (std::size_t i = 0; i < n; ++i) {
    std::copy_n(&no[i * od], od, &out[i * in]);
    std::copy_n(&ng[i * gd], gd, &out[i * in + od]);
  }
}

void Level::to_unit_action(std::span<const double> action, std::span<float> out) const {
  const Box& b = spec_.action_space;
  for (std::size_t i = 0; i < b.size(); ++i) {
    const double half = 0.5 * (b.high[i] - b.low[i]), mid = 0.5 * (b.high[i] + b.low[i]);
    out[i] = static_cast<float>(std::clamp((action[i] - mid) / half, -1.0, 1.0));
  }
}

std::vector<double> Level::act(std::span<const double> obs, std::span<const double> goal, bool explore,
                               Rng& rng) const {
  check_finite(obs, "observation", this);
  check_finite(goal, "goal", this);
  const Box& b = spec_.action_space;
  const std::size_t na = b.size();
  std::vector<float> o(obs.begin(), obs.end()), g(goal.begin(), goal.end()), input, u(na);
  make_inputs(o, g, 1, input);
  learner_.act(input, u);
  std::vector<double> unit(u.begin(), u.end());
  if (explore) {
    for (std::size_t i = 0; i < na; ++i) unit[i] = std::clamp(unit[i] + unit_noise_[i] * rng.normal(), -1.0, 1.0);
    if (rng.uniform01() < cfg_.random_eps) {
      for (auto& v : unit) v = rng.uniform(-1.0, 1.0);
    }
  }
  std::vector<double> a(na);
  for (std::size_t i = 0; i < na; ++i) {
    const double half = 0.5 * (b.high[i] - b.low[i]), mid = 0.5 * (b.high[i] + b.low[i]);
    a[i] = mid + half * unit[i];
  }
  return a;
}

void Level::check_episode(const learn::EpisodeData& ep) const {
  // Rows of width values per step; the message gives the step and the entry, as a user would look them up.
  const auto rows = [this](const std::vector<float>& v, int width, const char* name) {
    const auto i = first_non_finite(std::span<const float>(v));
    if (!i) return;
    const auto w = static_cast<std::size_t>(width);
    throw NonFiniteError(std::string(name) + "[" + std::to_string(*i % w) + "] at episode step " +
                             std::to_string(*i / w) + " is " + non_finite_name(v[*i]),
                         this);
  };
  rows(ep.obs, spec_.obs_dim, "observation");
  rows(ep.ag, spec_.goal_dim, "achieved goal");
  rows(ep.g, spec_.goal_dim, "goal");
  rows(ep.actions, static_cast<int>(spec_.action_space.size()), "action");
}

void Level::feed_normalizers(const learn::EpisodeData& ep, Rng& rng) {
  try {
    update_normalizers(ep, rng);
  } catch (const NonFiniteError& e) {
    throw NonFiniteError(e.what(), this);
  }
}

void Level::update_normalizers(const learn::EpisodeData& ep, Rng& rng) {
  if (obs_norm_.frozen() && goal_norm_.frozen()) return;
  const std::size_t od = static_cast<std::size_t>(spec_.obs_dim), gd = static_cast<std::size_t>(spec_.goal_dim);
  // Observations of every step the policy acted in.
  obs_delta_.update_batch(std::span<const float>(ep.obs.data(), static_cast<std::size_t>(ep.T) * od));
  // Goals as the learner will see them: HER replaces a goal by a future achieved goal with the
  // sampler's probability, so the statistics cover relabelled goals too (as baselines does).
  const double p = sampler_.relabel_probability();
  const bool final_only = cfg_.her == learn::HerStrategy::kFinal;
  std::vector<float> goals(static_cast<std::size_t>(ep.T) * gd);
  for (int t = 0; t < ep.T; ++t) {
    const float* src = &ep.g[static_cast<std::size_t>(t) * gd];
    if (p > 0 && rng.uniform01() < p) {
      const int future = final_only ? ep.T : t + 1 + static_cast<int>(rng.below(static_cast<std::uint64_t>(ep.T - t)));
      src = &ep.ag[static_cast<std::size_t>(future) * gd];
    }
    std::copy_n(src, gd, &goals[static_cast<std::size_t>(t) * gd]);
  }
  goal_delta_.update_batch(std::span<const float>(goals));
}

std::size_t Level::normalizer_delta_size() const {
  return 2 + 2 * static_cast<std::size_t>(spec_.obs_dim + spec_.goal_dim);
}

std::vector<double> Level::take_normalizer_delta() {
  std::vector<double> d = obs_delta_.raw();
  const std::vector<double> g = goal_delta_.raw();
  d.insert(d.end(), g.begin(), g.end());
  obs_delta_ = learn::Normalizer(obs_delta_.dims(), cfg_.norm);
  goal_delta_ = learn::Normalizer(goal_delta_.dims(), cfg_.norm);
  return d;
}

void Level::merge_normalizer_deltas(std::span<const double> deltas) {
  const std::size_t size = normalizer_delta_size();
  check(deltas.size() % size == 0, "normalizer deltas: " + std::to_string(deltas.size()) +
                                       " values is not a multiple of " + std::to_string(size));
  const std::size_t od = obs_norm_.dims(), gd = goal_norm_.dims();
  try {
    for (std::size_t at = 0; at < deltas.size(); at += size) {
      obs_norm_.merge(learn::Normalizer::from_raw(od, cfg_.norm, deltas.subspan(at, 1 + 2 * od)));
      goal_norm_.merge(learn::Normalizer::from_raw(gd, cfg_.norm, deltas.subspan(at + 1 + 2 * od, 1 + 2 * gd)));
    }
  } catch (const NonFiniteError& e) {
    throw NonFiniteError(e.what(), this);  // statistics that would overflow: this level's, say so
  }
}

void Level::observe_for_normalizer(const learn::EpisodeData& episode, Rng& rng) {
  check_episode(episode);
  feed_normalizers(episode, rng);
}

void Level::store_episode(const learn::EpisodeData& episode, Rng& rng,
                          std::span<const learn::FixedTransition> fixed) {
  check_episode(episode);
  buffer_.store(episode);
  fixed_.store(fixed, buffer_.episodes());
  feed_normalizers(episode, rng);
}

void Level::store_demo(const learn::EpisodeData& episode, Rng& rng, bool feed) {
  check(demo_.has_value(), "this level keeps no demonstrations (demos = 0)");
  check_episode(episode);
  demo_->store(episode);
  if (feed) feed_normalizers(episode, rng);
}

namespace {

// Appends the rows of extra to out (every field of a TransitionBatch).
void append_rows(learn::TransitionBatch& out, const learn::TransitionBatch& extra) {
  const std::size_t n = out.n, m = extra.n;
  auto cat = [n, m](auto& dst, const auto& src) {
    const std::size_t width = m == 0 ? 0 : src.size() / m;
    dst.resize(n * width);
    dst.insert(dst.end(), src.begin(), src.begin() + static_cast<std::ptrdiff_t>(m * width));
  };
  cat(out.o, extra.o);
  cat(out.o2, extra.o2);
  cat(out.g, extra.g);
  cat(out.u, extra.u);
  cat(out.r, extra.r);
  cat(out.ag, extra.ag);
  cat(out.ag2, extra.ag2);
  cat(out.discount, extra.discount);
  cat(out.relabelled, extra.relabelled);
  out.n = n + m;
}

}  // namespace

void Level::sample(std::size_t n, Rng& rng, learn::TransitionBatch& out) const {
  const std::size_t n_demo = demo_rows();
  sample_experience(n - n_demo, rng, out);
  if (n_demo == 0) return;
  sampler_.sample(*demo_, n_demo, rng, demo_batch_);
  append_rows(out, demo_batch_);
}

std::size_t Level::demo_rows() const {
  return demo_ && demo_->episodes() > 0 ? static_cast<std::size_t>(cfg_.demo_batch_size) : 0;
}

void Level::sample_experience(std::size_t n, Rng& rng, learn::TransitionBatch& out) const {
  std::size_t n_fixed = 0;
  if (fixed_.size() > 0) {
    const double weight = 1.0 / (1.0 - sampler_.relabel_probability());
    const double f = static_cast<double>(fixed_.size());
    const double p = f / (f + weight * static_cast<double>(buffer_.transitions()));
    for (std::size_t k = 0; k < n; ++k) n_fixed += rng.uniform01() < p ? 1 : 0;
  }
  const std::size_t n_her = n - n_fixed;
  if (n_her > 0) {
    sampler_.sample(buffer_, n_her, rng, out);
  } else {
    out.n = 0;
  }
  if (cfg_.terminal_on_success) {
    for (std::size_t k = 0; k < n_her; ++k) {
      if (out.r[k] >= 0.0f) out.discount[k] = 0.0f;
    }
  }
  if (n_fixed == 0) return;
  const std::size_t wo = static_cast<std::size_t>(spec_.obs_dim), wg = static_cast<std::size_t>(spec_.goal_dim),
                    wu = spec_.action_space.size();
  out.n = n;
  out.o.resize(n * wo);
  out.o2.resize(n * wo);
  out.g.resize(n * wg);
  out.u.resize(n * wu);
  out.r.resize(n);
  out.ag.resize(n * wg);
  out.ag2.resize(n * wg);
  out.discount.resize(n);
  out.relabelled.resize(n);
  fixed_.sample_into(n_fixed, rng, out, n_her);
}

learn::UpdateStats Level::train_step(Rng& rng) {
  const std::size_t n = static_cast<std::size_t>(cfg_.batch_size);
  sample(n, rng, batch_);
  make_inputs(batch_.o, batch_.g, n, in_);
  make_inputs(batch_.o2, batch_.g, n, in2_);
  learn::UpdateStats stats = learner_.update(in_, in2_, batch_.u, batch_.r, batch_.discount, n, demo_rows());
  if (!stats.fault.empty() && !cfg_.skip_non_finite_updates) throw NonFiniteError(stats.fault, this);
  return stats;
}

}  // namespace hindsight::learn
