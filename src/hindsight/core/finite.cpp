#include "hindsight/core/finite.hpp"

#include <bit>
#include <cmath>
#include <cstdint>

namespace hindsight {
namespace {

// A value is NaN or infinite exactly when its exponent bits are all ones. Testing the bits (instead of
// std::isfinite, which may branch, or a sum, which may overflow) lets the loop vectorize.
template <class T, class Bits, Bits kExponent>
bool all_finite_bits(std::span<const T> values) {
  Bits bad = 0;
  for (const T v : values) bad |= static_cast<Bits>((std::bit_cast<Bits>(v) & kExponent) == kExponent);
  return bad == 0;
}

template <class T>
std::optional<std::size_t> first_bad(std::span<const T> values) {
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!std::isfinite(values[i])) return i;
  }
  return std::nullopt;
}

template <class T>
void check_values(std::span<const T> values, const std::string& name, const void* origin) {
  if (all_finite(values)) return;
  const std::size_t i = *first_bad(values);
  throw NonFiniteError(name + "[" + std::to_string(i) + "] is " + non_finite_name(values[i]), origin);
}

}  // namespace

bool all_finite(std::span<const float> values) {
  return all_finite_bits<float, std::uint32_t, 0x7f800000U>(values);
}

bool all_finite(std::span<const double> values) {
  return all_finite_bits<double, std::uint64_t, 0x7ff0000000000000ULL>(values);
}

std::optional<std::size_t> first_non_finite(std::span<const float> values) {
  return all_finite(values) ? std::nullopt : first_bad(values);
}

std::optional<std::size_t> first_non_finite(std::span<const double> values) {
  return all_finite(values) ? std::nullopt : first_bad(values);
}

std::string non_finite_name(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  return "finite";
}

void check_finite(std::span<const float> values, const std::string& name, const void* origin) {
  check_values(values, name, origin);
}

void check_finite(std::span<const double> values, const std::string& name, const void* origin) {
  check_values(values, name, origin);
}

}  // namespace hindsight
