#pragma once
// Small statistics for reporting measured rates honestly.
#include <utility>

namespace hindsight {

// Wilson score interval of a binomial proportion: successes out of n trials, z standard errors wide
// (1.96: 95%). Unlike the normal approximation it stays inside [0, 1] and is not empty at 0 or n
// successes. Throws Error unless 0 <= successes <= n and n > 0.
std::pair<double, double> wilson_interval(long successes, long n, double z = 1.96);

}  // namespace hindsight
