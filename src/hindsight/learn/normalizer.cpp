#include "hindsight/learn/normalizer.hpp"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "hindsight/core/error.hpp"
#include "hindsight/core/finite.hpp"
#include "hindsight/io/atomic_file.hpp"

namespace hindsight::learn {
namespace {

using nlohmann::json;

constexpr const char* kFormat = "hindsight-normalizer";
constexpr int kVersion = 1;

void check_config(std::size_t dims, const NormalizerConfig& cfg, const std::string& where) {
  check(dims > 0, where + ": dims must be > 0");
  check(std::isfinite(cfg.eps) && cfg.eps > 0, where + ": eps must be a finite number > 0");
  check(std::isfinite(cfg.clip) && cfg.clip > 0, where + ": clip must be a finite number > 0");
}

// Mean must be finite and m2 finite and non-negative, whatever the source (file or MPI peer); with no
// samples both must be zero, since an empty normalizer ignores them (mean 0, std 1).
void check_stats(std::uint64_t count, std::span<const double> mean, std::span<const double> m2,
                 const std::string& where) {
  for (std::size_t i = 0; i < mean.size(); ++i) {
    check(count > 0 || (mean[i] == 0 && m2[i] == 0), where + ": count is 0 but mean or m2 is not zero");
    check(std::isfinite(mean[i]), where + ": mean[" + std::to_string(i) + "] is NaN or infinite");
    check(std::isfinite(m2[i]), where + ": m2[" + std::to_string(i) + "] is NaN or infinite");
    check(m2[i] >= 0, where + ": m2[" + std::to_string(i) + "] is negative");
  }
}

const json& field(const json& j, const char* key, const std::string& where) {
  const auto it = j.find(key);
  check(it != j.end(), where + ": missing key '" + key + "'");
  return *it;
}

// A finite double; nlohmann writes NaN/Inf as null, so null is reported as NaN.
double finite_number(const json& v, const std::string& name, const std::string& where) {
  check(!v.is_null(), where + ": " + name + " is null (NaN or infinite when written)");
  check(v.is_number(), where + ": " + name + " must be a number, got " + v.type_name());
  const double x = v.get<double>();
  check(std::isfinite(x), where + ": " + name + " is not finite");
  return x;
}

// A non-negative whole number that fits in 64 bits.
std::uint64_t whole_number(const json& v, const std::string& name, const std::string& where) {
  if (v.is_number_unsigned()) return v.get<std::uint64_t>();
  if (v.is_number_integer()) {
    const auto x = v.get<std::int64_t>();
    check(x >= 0, where + ": " + name + " is negative");
    return static_cast<std::uint64_t>(x);
  }
  const double x = finite_number(v, name, where);
  check(x >= 0, where + ": " + name + " is negative");
  throw Error(where + ": " + name + " must be a whole number");
}

std::vector<double> number_array(const json& j, const char* key, std::size_t dims, const std::string& where) {
  const json& a = field(j, key, where);
  check(a.is_array(), where + ": '" + key + "' must be an array, got " + a.type_name());
  check(a.size() == dims, where + ": '" + key + "' has " + std::to_string(a.size()) + " values, expected " +
                              std::to_string(dims) + " (dims)");
  std::vector<double> out(dims);
  for (std::size_t i = 0; i < dims; ++i) {
    out[i] = finite_number(a[i], std::string(key) + "[" + std::to_string(i) + "]", where);
  }
  return out;
}

}  // namespace

NormInit parse_norm_init(const std::string& text) {
  if (text == "warmup") return NormInit::kWarmup;
  if (text == "file") return NormInit::kFile;
  if (text == "off") return NormInit::kOff;
  throw Error("unknown normalizer init '" + text + "' (expected warmup, file or off)");
}

Normalizer::Normalizer(std::size_t dims, NormalizerConfig cfg)
    : dims_(dims), cfg_(cfg), mean_(dims, 0.0), m2_(dims, 0.0) {
  check_config(dims, cfg, "normalizer");
}

Normalizer Normalizer::identity(std::size_t dims) {
  Normalizer n(dims);
  n.identity_ = true;
  n.frozen_ = true;
  return n;
}

std::vector<double> Normalizer::stddev() const {
  std::vector<double> s(dims_, 1.0);
  if (count_ == 0) return s;
  const double n = static_cast<double>(count_);
  for (std::size_t i = 0; i < dims_; ++i) s[i] = std::max(std::sqrt(m2_[i] / n), cfg_.eps);
  return s;
}

void Normalizer::update(std::span<const double> x) {
  check(x.size() == dims_, "normalizer update: sample has " + std::to_string(x.size()) +
                               " values, expected " + std::to_string(dims_));
  if (frozen_) return;
  const double n = static_cast<double>(count_ + 1);
  std::vector<double> mean = mean_, m2 = m2_;
  for (std::size_t i = 0; i < dims_; ++i) {
    const double delta = x[i] - mean[i];
    mean[i] += delta / n;
    m2[i] += delta * (x[i] - mean[i]);
  }
  commit(count_ + 1, std::move(mean), std::move(m2));
}

template <typename T>
void Normalizer::update_rows(std::span<const T> rows) {
  check(rows.size() % dims_ == 0, "normalizer update_batch: " + std::to_string(rows.size()) +
                                      " values is not a multiple of dims " + std::to_string(dims_));
  if (frozen_ || rows.empty()) return;
  const std::size_t n = rows.size() / dims_;
  // Two passes over the batch (mean, then squared deviations) give the batch's own stable statistics,
  // which Chan's formula then folds into the running ones.
  std::vector<double> mean(dims_, 0.0), m2(dims_, 0.0);
  for (std::size_t r = 0; r < n; ++r) {
    for (std::size_t i = 0; i < dims_; ++i) mean[i] += rows[r * dims_ + i];
  }
  for (double& m : mean) m /= static_cast<double>(n);
  for (std::size_t r = 0; r < n; ++r) {
    for (std::size_t i = 0; i < dims_; ++i) {
      const double d = rows[r * dims_ + i] - mean[i];
      m2[i] += d * d;
    }
  }
  merge_stats(n, mean, m2);
}

void Normalizer::update_batch(std::span<const double> rows) { update_rows(rows); }
void Normalizer::update_batch(std::span<const float> rows) { update_rows(rows); }

void Normalizer::merge(const Normalizer& other) {
  check(other.dims_ == dims_,
        "normalizer merge: dims " + std::to_string(other.dims_) + " != " + std::to_string(dims_));
  if (frozen_) return;
  // Copies, so merging a normalizer into itself reads the statistics from before the merge.
  const std::vector<double> mean = other.mean_, m2 = other.m2_;
  merge_stats(other.count_, mean, m2);
}

void Normalizer::merge_stats(std::uint64_t nb, std::span<const double> mean_b, std::span<const double> m2_b) {
  if (nb == 0) return;
  if (count_ == 0) {  // exact copy rather than a round trip through the formula
    commit(nb, {mean_b.begin(), mean_b.end()}, {m2_b.begin(), m2_b.end()});
    return;
  }
  const std::uint64_t n = count_ + nb;
  const double wb = static_cast<double>(nb) / static_cast<double>(n);
  const double cross = static_cast<double>(count_) * wb;  // na * nb / n without overflow
  std::vector<double> mean = mean_, m2 = m2_;
  for (std::size_t i = 0; i < dims_; ++i) {
    const double delta = mean_b[i] - mean[i];
    mean[i] += delta * wb;
    m2[i] += m2_b[i] + delta * delta * cross;
  }
  commit(n, std::move(mean), std::move(m2));
}

void Normalizer::commit(std::uint64_t count, std::vector<double> mean, std::vector<double> m2) {
  // Checked before they replace the statistics: a NaN sample, or one so large that m2 overflows, is
  // refused and the statistics stay the last good ones.
  check_finite(std::span<const double>(mean), "normalizer mean");
  check_finite(std::span<const double>(m2), "normalizer m2");
  count_ = count;
  mean_ = std::move(mean);
  m2_ = std::move(m2);
}

template <typename T>
void Normalizer::normalize_rows(std::span<const T> in, std::span<float> out) const {
  check(in.size() % dims_ == 0, "normalize: " + std::to_string(in.size()) +
                                    " values is not a multiple of dims " + std::to_string(dims_));
  check(out.size() == in.size(), "normalize: output has " + std::to_string(out.size()) + " values, input " +
                                     std::to_string(in.size()));
  if (identity_) {
    std::copy(in.begin(), in.end(), out.begin());
    return;
  }
  const std::vector<double> sd = stddev();
  for (std::size_t k = 0; k < in.size(); ++k) {
    const std::size_t i = k % dims_;
    out[k] = static_cast<float>(std::clamp((in[k] - mean_[i]) / sd[i], -cfg_.clip, cfg_.clip));
  }
}

void Normalizer::normalize(std::span<const double> in, std::span<float> out) const {
  normalize_rows(in, out);
}
void Normalizer::normalize(std::span<const float> in, std::span<float> out) const { normalize_rows(in, out); }

std::vector<double> Normalizer::normalize(std::span<const double> x) const {
  check(x.size() % dims_ == 0, "normalize: " + std::to_string(x.size()) +
                                   " values is not a multiple of dims " + std::to_string(dims_));
  std::vector<double> out(x.begin(), x.end());
  if (identity_) return out;
  const std::vector<double> sd = stddev();
  for (std::size_t k = 0; k < out.size(); ++k) {
    const std::size_t i = k % dims_;
    out[k] = std::clamp((out[k] - mean_[i]) / sd[i], -cfg_.clip, cfg_.clip);
  }
  return out;
}

std::vector<double> Normalizer::denormalize(std::span<const double> z) const {
  check(z.size() % dims_ == 0, "denormalize: " + std::to_string(z.size()) +
                                   " values is not a multiple of dims " + std::to_string(dims_));
  std::vector<double> out(z.begin(), z.end());
  if (identity_) return out;
  const std::vector<double> sd = stddev();
  for (std::size_t k = 0; k < out.size(); ++k) out[k] = out[k] * sd[k % dims_] + mean_[k % dims_];
  return out;
}

std::vector<double> Normalizer::raw() const {
  std::vector<double> r;
  r.reserve(1 + 2 * dims_);
  r.push_back(static_cast<double>(count_));
  r.insert(r.end(), mean_.begin(), mean_.end());
  r.insert(r.end(), m2_.begin(), m2_.end());
  return r;
}

Normalizer Normalizer::from_raw(std::size_t dims, NormalizerConfig cfg, std::span<const double> raw) {
  const std::string where = "normalizer raw state";
  Normalizer n(dims, cfg);
  check(raw.size() == 1 + 2 * dims,
        where + ": has " + std::to_string(raw.size()) + " values, expected " + std::to_string(1 + 2 * dims));
  const double c = raw[0];
  // Counts travel as doubles, exact up to 2^53 samples.
  check(std::isfinite(c) && c >= 0 && c == std::floor(c) && c <= 9007199254740992.0,
        where + ": count is not a non-negative whole number");
  n.count_ = static_cast<std::uint64_t>(c);
  n.mean_.assign(raw.begin() + 1, raw.begin() + 1 + static_cast<std::ptrdiff_t>(dims));
  n.m2_.assign(raw.begin() + 1 + static_cast<std::ptrdiff_t>(dims), raw.end());
  check_stats(n.count_, n.mean_, n.m2_, where);
  return n;
}

json Normalizer::to_json() const {
  return json{{"format", kFormat}, {"version", kVersion},  {"dims", dims_},
              {"count", count_},   {"mean", mean_},        {"std", stddev()},
              {"m2", m2_},         {"eps", cfg_.eps},      {"clip", cfg_.clip},
              {"frozen", frozen_}, {"identity", identity_}};
}

Normalizer Normalizer::from_json(const json& j, const std::string& where) {
  check(j.is_object(), where + ": expected a JSON object, got " + std::string(j.type_name()));
  const json& format = field(j, "format", where);
  check(format.is_string() && format.get<std::string>() == kFormat,
        where + ": 'format' must be \"" + kFormat + "\"");
  const std::uint64_t version = whole_number(field(j, "version", where), "version", where);
  check(version == kVersion, where + ": unsupported version " + std::to_string(version) +
                                 " (this build reads " + std::to_string(kVersion) + ")");
  const std::uint64_t dims = whole_number(field(j, "dims", where), "dims", where);
  check(dims > 0, where + ": dims must be > 0");
  NormalizerConfig cfg;
  cfg.eps = finite_number(field(j, "eps", where), "eps", where);
  cfg.clip = finite_number(field(j, "clip", where), "clip", where);
  check_config(dims, cfg, where);
  const json& frozen = field(j, "frozen", where);
  check(frozen.is_boolean(), where + ": 'frozen' must be true or false");
  // "identity" is optional so hand-written statistics files need not mention it.
  const auto id = j.find("identity");
  check(id == j.end() || id->is_boolean(), where + ": 'identity' must be true or false");

  // The arrays are read (and their length checked against dims) before dims sizes anything, so a corrupt
  // dims cannot ask for terabytes.
  const std::uint64_t count = whole_number(field(j, "count", where), "count", where);
  std::vector<double> mean = number_array(j, "mean", dims, where), m2 = number_array(j, "m2", dims, where);
  Normalizer n(dims, cfg);
  n.count_ = count;
  n.mean_ = std::move(mean);
  n.m2_ = std::move(m2);
  check_stats(n.count_, n.mean_, n.m2_, where);
  // std is written for readers; it is derived from m2 and count, so an edited std would silently be
  // ignored. Refuse instead.
  const std::vector<double> std_in = number_array(j, "std", dims, where), std_now = n.stddev();
  for (std::size_t i = 0; i < dims; ++i) {
    check(std::abs(std_in[i] - std_now[i]) <= 1e-12 * std_now[i],
          where + ": std[" + std::to_string(i) + "] does not match sqrt(m2/count) (std is derived; edit m2)");
  }
  n.frozen_ = frozen.get<bool>();
  n.identity_ = id != j.end() && id->get<bool>();
  return n;
}

void Normalizer::save(const std::string& path) const {
  io::write_file_atomic(path, to_json().dump(2) + "\n");
}

Normalizer Normalizer::load(const std::string& path, std::optional<std::size_t> expect_dims) {
  const std::string text = io::read_file(path);
  json j;
  try {
    j = json::parse(text);
  } catch (const json::parse_error& e) {
    throw Error(path + ": not valid JSON (" + e.what() + ")");
  }
  Normalizer n = from_json(j, path);
  check(!expect_dims || n.dims() == *expect_dims, path + ": has " + std::to_string(n.dims()) +
                                                      " dims, expected " +
                                                      std::to_string(expect_dims.value_or(0)));
  return n;
}

}  // namespace hindsight::learn
