#include "hindsight/learn/normalizer.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <bit>
#include <cmath>
#include <filesystem>
#include <functional>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>

#include "hindsight/core/error.hpp"
#include "hindsight/core/finite.hpp"
#include "hindsight/core/rng.hpp"
#include "hindsight/io/atomic_file.hpp"

namespace hindsight::learn {
namespace {

using nlohmann::json;

// A fresh per-test directory for files.
std::string temp_dir() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  const auto dir = std::filesystem::path(::testing::TempDir()) /
                   ("hindsight_norm_" + std::to_string(::getpid()) + "_" + info->name());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

// The message of the Error thrown by f, or "" when nothing is thrown.
template <typename F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

// Rows of `dims` values with distinct means and spreads per dimension.
std::vector<double> sample_rows(Rng& rng, std::size_t n, std::size_t dims) {
  std::vector<double> rows(n * dims);
  for (std::size_t r = 0; r < n; ++r) {
    for (std::size_t i = 0; i < dims; ++i) rows[r * dims + i] = 3.0 * i - 2.0 + (0.5 + i) * rng.normal();
  }
  return rows;
}

void expect_rel_near(const std::vector<double>& a, const std::vector<double>& b, double rel) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_NEAR(a[i], b[i], rel * std::abs(b[i])) << "index " << i;
}

void expect_bits_equal(const std::vector<double>& a, const std::vector<double>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(std::bit_cast<std::uint64_t>(a[i]), std::bit_cast<std::uint64_t>(b[i])) << "index " << i;
  }
}

}  // namespace

TEST(Normalizer, LargeMeanTinySpreadStaysAccurateWhereFloatSumOfSquaresFails) {
  constexpr std::size_t kN = 2'600'000;
  constexpr double kMean = 1.40, kStd = 0.001;
  Rng rng(2024);
  // eps below the true std: the default floor (0.01) would hide the statistic under test.
  const NormalizerConfig cfg{.eps = 1e-8, .clip = 5.0};
  Normalizer per_sample(1, cfg), batched(1, cfg);
  std::vector<float> chunk;
  float sum = 0.0f, sum_sq = 0.0f;  // the naive accumulation, as a counter-example
  double exact_sum = 0.0;
  for (std::size_t k = 0; k < kN; ++k) {
    const double x = kMean + kStd * rng.normal();
    exact_sum += x;
    per_sample.update(std::span<const double>(&x, 1));
    const auto xf = static_cast<float>(x);
    chunk.push_back(xf);
    if (chunk.size() == 1000) {
      batched.update_batch(std::span<const float>(chunk));
      chunk.clear();
    }
    sum += xf;
    sum_sq += xf * xf;
  }
  const double sample_mean = exact_sum / kN;

  EXPECT_EQ(per_sample.count(), kN);
  EXPECT_NEAR(per_sample.mean()[0], kMean, 1e-6);
  EXPECT_NEAR(per_sample.mean()[0], sample_mean, 1e-12);
  EXPECT_NEAR(per_sample.stddev()[0], kStd, 0.01 * kStd);
  // Rows stored as float (as the replay buffer does) lose nothing that matters either.
  EXPECT_EQ(batched.count(), kN);
  EXPECT_NEAR(batched.mean()[0], kMean, 1e-6);
  EXPECT_NEAR(batched.stddev()[0], kStd, 0.01 * kStd);

  // E[x^2] - E[x]^2 in float: both terms are ~1.96 and differ by 1e-6, below float resolution once the
  // running sums lose their low bits, so the "variance" is garbage (often negative).
  const float naive_var = sum_sq / kN - (sum / kN) * (sum / kN);
  const bool wildly_wrong = !(naive_var > 0.0f) || std::abs(std::sqrt(naive_var) - kStd) > 0.5 * kStd;
  EXPECT_TRUE(wildly_wrong) << "naive float variance " << naive_var << " happened to be accurate";
}

TEST(Normalizer, HugeOffsetDefeatsEvenDoubleSumOfSquares) {
  // Mean 1e6, std 1e-3: E[x^2] ~ 1e12 and the variance 1e-6 lies below double resolution of it, so a
  // float64 sum of squares fails too; Welford and Chan only ever square deviations from the mean.
  Rng rng(8);
  const NormalizerConfig cfg{.eps = 1e-12, .clip = 5.0};
  Normalizer per_sample(1, cfg), batched(1, cfg);
  std::vector<double> rows;
  for (int k = 0; k < 100'000; ++k) {
    const double x = 1e6 + 1e-3 * rng.normal();
    per_sample.update(std::span<const double>(&x, 1));
    rows.push_back(x);
  }
  batched.update_batch(std::span<const double>(rows).first(40'000));
  batched.update_batch(std::span<const double>(rows).subspan(40'000));
  EXPECT_NEAR(per_sample.stddev()[0], 1e-3, 0.01e-3);
  EXPECT_NEAR(batched.stddev()[0], 1e-3, 0.01e-3);
}

TEST(Normalizer, MergeOfHalvesEqualsWholeAndBatchEqualsPerSample) {
  Rng rng(11);
  constexpr std::size_t kDims = 4;
  const auto rows = sample_rows(rng, 5000, kDims);
  const std::span<const double> all(rows);
  const auto half = all.first(1234 * kDims), rest = all.subspan(1234 * kDims);

  Normalizer whole(kDims), a(kDims), b(kDims), batched(kDims);
  for (std::size_t r = 0; r < rows.size() / kDims; ++r) whole.update(all.subspan(r * kDims, kDims));
  for (std::size_t r = 0; r < half.size() / kDims; ++r) a.update(half.subspan(r * kDims, kDims));
  b.update_batch(rest);
  a.merge(b);
  EXPECT_EQ(a.count(), whole.count());
  expect_rel_near(a.mean(), whole.mean(), 1e-12);
  expect_rel_near(a.stddev(), whole.stddev(), 1e-12);

  // Batches of uneven sizes, including a single row, match the per-sample path.
  batched.update_batch(all.first(kDims));
  batched.update_batch(all.subspan(kDims, 999 * kDims));
  batched.update_batch(all.subspan(1000 * kDims));
  EXPECT_EQ(batched.count(), whole.count());
  expect_rel_near(batched.mean(), whole.mean(), 1e-12);
  expect_rel_near(batched.stddev(), whole.stddev(), 1e-12);

  // Merging into an empty normalizer copies; raw() round-trips through from_raw (the MPI path).
  Normalizer empty(kDims);
  empty.merge(whole);
  expect_bits_equal(empty.raw(), whole.raw());
  expect_bits_equal(Normalizer::from_raw(kDims, {}, whole.raw()).raw(), whole.raw());
  EXPECT_THROW(Normalizer::from_raw(kDims, {}, std::vector<double>{1.0}), Error);
  EXPECT_THROW(a.merge(Normalizer(kDims + 1)), Error);
  EXPECT_THROW(a.update(std::vector<double>(kDims + 1)), Error);
  EXPECT_THROW(a.update_batch(std::vector<double>(kDims + 1)), Error);
}

TEST(Normalizer, NormalizeDenormalizeClipAndEpsFloor) {
  Rng rng(5);
  Normalizer n(3, {.eps = 0.01, .clip = 5.0});
  for (int k = 0; k < 2000; ++k) {
    const std::vector<double> x = {10.0 + 2.0 * rng.normal(), -1.0 + 0.1 * rng.normal(), 7.0};
    n.update(x);
  }
  // Constant dimension: its spread is 0, so the eps floor makes std exactly eps.
  EXPECT_EQ(n.stddev()[2], 0.01);
  const auto mean = n.mean(), sd = n.stddev();

  const std::vector<double> inside = {mean[0] + 4.9 * sd[0], mean[1] - 3.0 * sd[1], 7.04};
  const auto z = n.normalize(inside);
  EXPECT_NEAR(z[2], 4.0, 1e-9);
  const auto back = n.denormalize(z);
  for (int i = 0; i < 3; ++i) EXPECT_NEAR(back[i], inside[i], 1e-5) << i;

  const std::vector<double> beyond = {mean[0] + 100.0 * sd[0], mean[1] - 6.0 * sd[1], 7.0 - 1.0};
  const auto zc = n.normalize(beyond);
  EXPECT_EQ(zc[0], 5.0);
  EXPECT_EQ(zc[1], -5.0);
  EXPECT_EQ(zc[2], -5.0);
  const auto bc = n.denormalize(zc);
  EXPECT_NEAR(bc[0], mean[0] + 5.0 * sd[0], 1e-9);

  // The float overloads agree with the double one, row after row.
  const std::vector<double> two_rows = {inside[0], inside[1], inside[2], beyond[0], beyond[1], beyond[2]};
  std::vector<float> zf(6), zf2(6);
  n.normalize(std::span<const double>(two_rows), zf);
  const std::vector<float> two_rows_f(two_rows.begin(), two_rows.end());
  n.normalize(std::span<const float>(two_rows_f), zf2);
  const auto zd = n.normalize(two_rows);
  for (int i = 0; i < 6; ++i) {
    EXPECT_FLOAT_EQ(zf[i], static_cast<float>(zd[i])) << i;
    EXPECT_NEAR(zf2[i], zd[i], 1e-3) << i;  // inputs rounded to float first
  }
  EXPECT_THROW(n.normalize(std::span<const double>(two_rows), std::span<float>(zf).first(3)), Error);

  // Before any sample: mean 0, std 1, so normalize is the clipped identity.
  Normalizer fresh(2);
  EXPECT_EQ(fresh.normalize(std::vector<double>{1.5, -9.0}), (std::vector<double>{1.5, -5.0}));
}

TEST(Normalizer, FreezeAndIdentity) {
  Normalizer n(2);
  n.update(std::vector<double>{1.0, 2.0});
  n.update(std::vector<double>{3.0, 6.0});
  n.freeze();
  const auto before = n.raw();
  n.update(std::vector<double>{100.0, 100.0});
  n.update_batch(std::vector<double>{100.0, 100.0, 5.0, 5.0});
  n.merge(n);
  EXPECT_TRUE(n.frozen());
  expect_bits_equal(n.raw(), before);

  const Normalizer id = Normalizer::identity(2);
  EXPECT_TRUE(id.is_identity());
  const std::vector<double> x = {123.0, -0.5};
  EXPECT_EQ(id.normalize(x), x);  // neither standardised nor clipped
  EXPECT_EQ(id.denormalize(x), x);
  std::vector<float> out(2);
  id.normalize(std::span<const double>(x), out);
  EXPECT_EQ(out[0], 123.0f);

  EXPECT_EQ(parse_norm_init("warmup"), NormInit::kWarmup);
  EXPECT_EQ(parse_norm_init("file"), NormInit::kFile);
  EXPECT_EQ(parse_norm_init("off"), NormInit::kOff);
  EXPECT_NE(error_of([] { parse_norm_init("zero"); }).find("'zero'"), std::string::npos);
  EXPECT_THROW(Normalizer(0), Error);
  EXPECT_THROW(Normalizer(2, {.eps = 0.0}), Error);
  EXPECT_THROW(Normalizer(2, {.eps = 0.01, .clip = -1.0}), Error);
}

TEST(Normalizer, SaveLoadIsBitExactAndAccumulationContinues) {
  const std::string dir = temp_dir();
  Rng rng(77);
  constexpr std::size_t kDims = 5;
  const auto first = sample_rows(rng, 3000, kDims), second = sample_rows(rng, 2000, kDims);
  Normalizer n(kDims, {.eps = 0.002, .clip = 7.5});
  n.update_batch(first);

  const std::string path = dir + "/norm.json";
  n.save(path);
  // The file is readable JSON with the documented fields.
  const json j = json::parse(io::read_file(path));
  EXPECT_EQ(j.at("format"), "hindsight-normalizer");
  EXPECT_EQ(j.at("version"), 1);
  EXPECT_EQ(j.at("dims"), kDims);
  EXPECT_EQ(j.at("count"), 3000);
  EXPECT_EQ(j.at("std").size(), kDims);

  Normalizer loaded = Normalizer::load(path, kDims);
  EXPECT_EQ(loaded.count(), n.count());
  expect_bits_equal(loaded.mean(), n.mean());
  expect_bits_equal(loaded.raw(), n.raw());
  expect_bits_equal(loaded.stddev(), n.stddev());
  EXPECT_EQ(loaded.config().eps, 0.002);
  EXPECT_EQ(loaded.config().clip, 7.5);
  EXPECT_FALSE(loaded.frozen());

  n.update_batch(second);
  loaded.update_batch(second);
  expect_bits_equal(loaded.raw(), n.raw());

  // Awkward doubles survive the text form exactly.
  Normalizer odd(1);
  odd.update(std::vector<double>{0.1});
  odd.update(std::vector<double>{1.0 / 3.0 + 1e-300});
  odd.update(std::vector<double>{std::numeric_limits<double>::denorm_min()});
  odd.freeze();
  const Normalizer odd_back = Normalizer::from_json(json::parse(odd.to_json().dump()), "mem");
  expect_bits_equal(odd_back.raw(), odd.raw());
  EXPECT_TRUE(odd_back.frozen());

  const Normalizer id_back = Normalizer::from_json(Normalizer::identity(3).to_json(), "mem");
  EXPECT_TRUE(id_back.is_identity());
}

TEST(Normalizer, LoadRefusesBadFilesWithOneLineNamingFileAndProblem) {
  const std::string dir = temp_dir();
  Normalizer n(3);
  n.update(std::vector<double>{1.0, 2.0, 3.0});
  n.update(std::vector<double>{2.0, 2.0, 5.0});
  const json good = n.to_json();

  // Writes j (or raw text) to a file named `name` and returns the load error message.
  const auto load_error = [&](const std::string& name, const std::string& text,
                              std::optional<std::size_t> dims = {}) {
    const std::string path = dir + "/" + name;
    io::write_file_atomic(path, text);
    const std::string msg = error_of([&] { Normalizer::load(path, dims); });
    EXPECT_NE(msg.find(path), std::string::npos) << "message does not name the file: " << msg;
    EXPECT_EQ(msg.find('\n'), std::string::npos) << "message is not one line: " << msg;
    return msg;
  };
  const auto with = [&](const std::function<void(json&)>& edit) {
    json j = good;
    edit(j);
    return j.dump(2);
  };
  const auto has = [](const std::string& msg, const std::string& part) {
    EXPECT_NE(msg.find(part), std::string::npos) << "'" << msg << "' lacks '" << part << "'";
  };

  has(load_error("dims.json", good.dump(), 25), "has 3 dims, expected 25");
  has(load_error("nan.json", with([](json& j) { j["mean"][1] = std::nan(""); })), "mean[1] is null");
  has(load_error("neg_count.json", with([](json& j) { j["count"] = -4; })), "count is negative");
  has(load_error("zero_count.json", with([](json& j) { j["count"] = 0; })), "count is 0 but");
  has(load_error("missing.json", with([](json& j) { j.erase("m2"); })), "missing key 'm2'");
  has(load_error("short.json", with([](json& j) { j["mean"].erase(0); })), "'mean' has 2 values, expected 3");
  has(load_error("neg_m2.json", with([](json& j) { j["m2"][2] = -1.0; })), "m2[2] is negative");
  has(load_error("eps.json", with([](json& j) { j["eps"] = 0.0; })), "eps must be");
  has(load_error("clip.json", with([](json& j) { j["clip"] = -5.0; })), "clip must be");
  has(load_error("dims0.json", with([](json& j) { j["dims"] = 0; })), "dims must be > 0");
  has(load_error("type.json", with([](json& j) { j["mean"][0] = "1.0"; })), "mean[0] must be a number");
  has(load_error("std.json", with([](json& j) { j["std"][0] = 123.0; })), "std[0] does not match");
  has(load_error("format.json", with([](json& j) { j["format"] = "other"; })), "'format' must be");
  const std::string text = good.dump(2);
  has(load_error("truncated.json", text.substr(0, text.size() / 2)), "not valid JSON");
  has(load_error("corrupt.json", "{\"format\": NaN}"), "not valid JSON");
  has(load_error("array.json", "[1, 2]"), "expected a JSON object");

  const std::string absent = dir + "/absent.json";
  EXPECT_NE(error_of([&] { Normalizer::load(absent); }).find(absent), std::string::npos);
  // The good text itself loads.
  EXPECT_EQ(Normalizer::load(dir + "/dims.json", 3).count(), 2u);
}

TEST(Normalizer, NonFiniteSamplesAreRefusedAndLeaveTheStatistics) {
  Normalizer n(2);
  n.update(std::vector<double>{1.0, 2.0});
  n.update_batch(std::vector<double>{3.0, 4.0, 5.0, 6.0});
  const auto before = n.raw();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THROW(n.update(std::vector<double>{nan, 0.0}), NonFiniteError);
  EXPECT_THROW(n.update_batch(std::vector<float>{0.0F, std::numeric_limits<float>::infinity()}), NonFiniteError);
  // Finite, but its squared deviation overflows m2: the statistics would become infinite.
  const std::string msg = error_of([&] { n.update_batch(std::vector<double>{1e300, 0.0, -1e300, 0.0}); });
  EXPECT_EQ(msg, "normalizer m2[0] is +Inf");
  EXPECT_THROW(n.update(std::vector<double>{1e300, 0.0}), NonFiniteError);
  expect_bits_equal(n.raw(), before);
  // Merging statistics that would overflow is refused the same way.
  Normalizer huge(2);
  huge.update(std::vector<double>{1e300, 0.0});
  EXPECT_THROW(n.merge(huge), NonFiniteError);
  expect_bits_equal(n.raw(), before);
}

TEST(Normalizer, AHugeDimsCountIsRefusedBeforeAnyAllocation) {
  // Regression: dims was trusted to size the statistics before the arrays were checked, so a file saying
  // "dims": 1e12 ended in std::bad_alloc ("internal error") instead of one line about the file.
  json j = Normalizer(2).to_json();
  j["dims"] = 1000000000000ULL;
  const std::string msg = error_of([&] { Normalizer::from_json(j, "stats.json"); });
  EXPECT_EQ(msg, "stats.json: 'mean' has 2 values, expected 1000000000000 (dims)");
}

}  // namespace hindsight::learn
