#include "hindsight/core/rng.hpp"

#include <cmath>
#include <sstream>

#include "hindsight/core/error.hpp"

namespace hindsight {
namespace {

std::uint64_t splitmix64(std::uint64_t& x) {
  std::uint64_t z = (x += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

}  // namespace

std::uint64_t derive_seed(std::uint64_t base, std::uint64_t stream) {
  std::uint64_t x = base ^ (0xD1B54A32D192ED03ULL * (stream + 1));
  splitmix64(x);
  return splitmix64(x);
}

std::uint64_t derive_seed(std::uint64_t base, const std::string& stream) {
  std::uint64_t h = 0xCBF29CE484222325ULL;  // FNV-1a of the stream name
  for (unsigned char c : stream) h = (h ^ c) * 0x100000001B3ULL;
  return derive_seed(base, h);
}

void Rng::reseed(std::uint64_t seed) {
  std::uint64_t x = seed;
  for (auto& s : s_) s = splitmix64(x);
  has_spare_ = false;
  spare_ = 0.0;
}

std::uint64_t Rng::next_u64() {
  const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
  const std::uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

double Rng::uniform01() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

std::uint64_t Rng::below(std::uint64_t n) {
  check(n > 0, "Rng::below(0)");
  // Rejection sampling removes the modulo bias.
  const std::uint64_t limit = UINT64_MAX - UINT64_MAX % n;
  std::uint64_t v;
  do v = next_u64();
  while (v >= limit);
  return v % n;
}

double Rng::normal() {
  if (has_spare_) {
    has_spare_ = false;
    return spare_;
  }
  double u, v, s;
  do {
    u = 2.0 * uniform01() - 1.0;
    v = 2.0 * uniform01() - 1.0;
    s = u * u + v * v;
  } while (s >= 1.0 || s == 0.0);
  const double f = std::sqrt(-2.0 * std::log(s) / s);
  spare_ = v * f;
  has_spare_ = true;
  return u * f;
}

std::string Rng::state() const {
  std::ostringstream os;
  os << s_[0] << ' ' << s_[1] << ' ' << s_[2] << ' ' << s_[3] << ' ' << (has_spare_ ? 1 : 0) << ' ';
  os.precision(17);
  os << std::hexfloat << spare_;
  return os.str();
}

void Rng::set_state(const std::string& text) {
  std::istringstream is(text);
  std::uint64_t s[4];
  int spare_flag = 0;
  std::string spare_text;
  is >> s[0] >> s[1] >> s[2] >> s[3] >> spare_flag >> spare_text;
  check(!is.fail() && (spare_flag == 0 || spare_flag == 1), "malformed RNG state");
  char* end = nullptr;
  const double spare = std::strtod(spare_text.c_str(), &end);
  check(end && *end == '\0' && std::isfinite(spare), "malformed RNG state");
  // xoshiro's all-zero state is a fixed point: every draw would be 0 and normal() would never return.
  check(s[0] != 0 || s[1] != 0 || s[2] != 0 || s[3] != 0, "malformed RNG state (all zero)");
  for (int i = 0; i < 4; ++i) s_[i] = s[i];
  has_spare_ = spare_flag == 1;
  spare_ = spare;
}

}  // namespace hindsight
