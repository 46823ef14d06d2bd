#include "hindsight/core/stats.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "hindsight/core/error.hpp"

namespace hindsight {

std::pair<double, double> wilson_interval(long successes, long n, double z) {
  check(n > 0 && successes >= 0 && successes <= n,
        "wilson_interval: need 0 <= successes <= n and n > 0, got " + std::to_string(successes) + " of " +
            std::to_string(n));
  const double nn = static_cast<double>(n), p = static_cast<double>(successes) / nn, z2 = z * z;
  const double centre = (p + z2 / (2 * nn)) / (1 + z2 / nn);
  const double half = z / (1 + z2 / nn) * std::sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn));
  return {std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

}  // namespace hindsight
