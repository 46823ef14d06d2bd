#pragma once
// Running per-dimension mean/std of every input seen so far, used to standardise observations and
// goals before they reach the networks. Statistics are float64 with a 64-bit count and accumulate with
// Welford's update (per sample) and Chan's parallel formula (batches, merges): a raw sum of squares
// cancels catastrophically when the mean is large relative to the spread (e.g. a gripper height of
// 1.4 m that moves by millimetres), which is the classic HER normalizer bug.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

// Forward declarations only: callers of to_json/from_json include <nlohmann/json.hpp> themselves,
// which keeps this header cheap for the many files that only normalize.
#include <nlohmann/json_fwd.hpp>

namespace hindsight::learn {

struct NormalizerConfig {
  double eps = 0.01;  // floor of the standard deviation, so near-constant inputs are not blown up
  double clip = 5.0;  // normalized outputs are clipped to [-clip, clip]
};

// How the trainer initialises a normalizer: warm-up episodes, a statistics file, or off (identity).
enum class NormInit { kWarmup, kFile, kOff };

// Parses "warmup", "file" or "off"; throws Error naming the accepted values otherwise.
NormInit parse_norm_init(const std::string& text);

class Normalizer {
 public:
  // Empty statistics over dims inputs (mean 0, std 1); throws Error for dims == 0, eps <= 0, clip <= 0.
  explicit Normalizer(std::size_t dims, NormalizerConfig cfg = {});
  // A pass-through normalizer (NormInit::kOff): normalize/denormalize return inputs unchanged (not
  // clipped) and it is frozen, so updates and merges are ignored.
  static Normalizer identity(std::size_t dims);

  // Number of input dimensions.
  std::size_t dims() const { return dims_; }
  // Number of samples accumulated.
  std::uint64_t count() const { return count_; }
  // Mean per dimension (0 before any sample).
  std::vector<double> mean() const { return mean_; }
  // max(sqrt(M2 / count), eps) per dimension (1 before any sample).
  std::vector<double> stddev() const;
  // The configuration (eps, clip).
  const NormalizerConfig& config() const { return cfg_; }
  // True for the pass-through normalizer made by identity().
  bool is_identity() const { return identity_; }

  // Accumulates one sample of dims values (Welford); throws Error on a wrong size; no-op when frozen.
  // Every update and merge throws NonFiniteError, leaving the statistics unchanged, when they would stop
  // being finite (a NaN sample, or one so large that m2 overflows).
  void update(std::span<const double> x);
  // Accumulates n x dims row-major samples as one Chan merge; size must be a multiple of dims.
  void update_batch(std::span<const double> rows);
  // Same as above for float rows (e.g. straight from the replay buffer).
  void update_batch(std::span<const float> rows);
  // Merges another normalizer's statistics (Chan); equals one normalizer that saw both streams.
  void merge(const Normalizer& other);

  // Stops accumulating: update, update_batch and merge become silent no-ops from now on.
  void freeze() { frozen_ = true; }
  // True once freeze() was called (or the loaded statistics were saved frozen).
  bool frozen() const { return frozen_; }

  // n x dims rows: out = clip((x - mean) / std, -clip, clip); sizes must match.
  void normalize(std::span<const double> in, std::span<float> out) const;
  // Same as above for float rows.
  void normalize(std::span<const float> in, std::span<float> out) const;
  // Normalized copy of n x dims rows.
  std::vector<double> normalize(std::span<const double> x) const;
  // Inverse of normalize: z * std + mean for n x dims rows (clipped values stay clipped).
  std::vector<double> denormalize(std::span<const double> z) const;

  // Flattened state {count, mean[dims], m2[dims]}, for gathering across MPI ranks.
  std::vector<double> raw() const;
  // Rebuilds a normalizer from raw(); throws Error on a wrong size or invalid values.
  static Normalizer from_raw(std::size_t dims, NormalizerConfig cfg, std::span<const double> raw);

  // Readable JSON with the exact statistics (doubles round-trip bit for bit) and the derived std.
  nlohmann::json to_json() const;
  // Validates and rebuilds from to_json(); throws one-line Error "<where>: <problem>" on bad input.
  static Normalizer from_json(const nlohmann::json& j, const std::string& where);
  // Writes to_json() atomically to path; throws Error naming path on failure.
  void save(const std::string& path) const;
  // Reads a file written by save(); throws one-line Error naming path on unreadable, malformed or
  // invalid content, or when expect_dims is given and differs.
  static Normalizer load(const std::string& path, std::optional<std::size_t> expect_dims = {});

 private:
  // Chan's merge of (n, mean, m2) statistics into this one.
  void merge_stats(std::uint64_t n, std::span<const double> mean, std::span<const double> m2);
  // Replaces the statistics after checking they are finite.
  void commit(std::uint64_t count, std::vector<double> mean, std::vector<double> m2);
  template <typename T>
  void update_rows(std::span<const T> rows);
  template <typename T>
  void normalize_rows(std::span<const T> in, std::span<float> out) const;

  std::size_t dims_;
  NormalizerConfig cfg_;
  std::uint64_t count_ = 0;
  std::vector<double> mean_;
  std::vector<double> m2_;  // sum of squared deviations from the mean, per dimension
  bool frozen_ = false;
  bool identity_ = false;
};

}  // namespace hindsight::learn
