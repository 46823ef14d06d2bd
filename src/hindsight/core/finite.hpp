#pragma once
// Detecting NaN and infinity where only finite numbers make sense (losses, gradients, observations,
// normalizer statistics), and the error that reports one so the trainer can say what and where.
#include <cstddef>
#include <optional>
#include <span>
#include <string>

#include "hindsight/core/error.hpp"

namespace hindsight {

// A NaN or infinity was found; what() names the quantity ("critic loss is NaN"). origin is the object
// that raised it (a learn::Level, so the trainer can name the level), or null.
class NonFiniteError : public Error {
 public:
  explicit NonFiniteError(const std::string& what, const void* origin = nullptr)
      : Error(what), origin_(origin) {}
  // The object that raised the error, or null.
  const void* origin() const { return origin_; }

 private:
  const void* origin_;
};

// True when no value is NaN or infinite; a branch-free pass over the bit patterns, which compilers
// vectorize, so it is cheap enough to run on every gradient.
bool all_finite(std::span<const float> values);
// Same for doubles.
bool all_finite(std::span<const double> values);
// Index of the first NaN or infinite value, if any.
std::optional<std::size_t> first_non_finite(std::span<const float> values);
// Same for doubles.
std::optional<std::size_t> first_non_finite(std::span<const double> values);
// "NaN", "+Inf" or "-Inf" for a non-finite value (for messages), else "finite".
std::string non_finite_name(double value);
// Throws NonFiniteError("<name>[i] is NaN", origin) for the first non-finite value, if any.
void check_finite(std::span<const float> values, const std::string& name, const void* origin = nullptr);
// Same for doubles.
void check_finite(std::span<const double> values, const std::string& name, const void* origin = nullptr);

}  // namespace hindsight
