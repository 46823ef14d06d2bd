#include "hindsight/core/space.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "hindsight/core/error.hpp"

namespace hindsight {

Box Box::uniform(std::size_t n, double lo, double hi) {
  return Box{std::vector<double>(n, lo), std::vector<double>(n, hi)};
}

bool Box::contains(std::span<const double> x) const {
  if (x.size() != size()) return false;
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (std::isnan(x[i]) || x[i] < low[i] || x[i] > high[i]) return false;
  }
  return true;
}

void Box::clip(std::span<const double> x, std::span<double> out) const {
  check(x.size() == size() && out.size() == size(), "Box::clip: size mismatch");
  for (std::size_t i = 0; i < x.size(); ++i) out[i] = std::clamp(x[i], low[i], high[i]);
}

std::vector<double> Box::sample(Rng& rng) const {
  std::vector<double> x(size());
  for (std::size_t i = 0; i < size(); ++i) {
    check(std::isfinite(low[i]) && std::isfinite(high[i]), "Box::sample needs finite bounds");
    x[i] = rng.uniform(low[i], high[i]);
  }
  return x;
}

std::string Box::describe() const {
  std::ostringstream os;
  os << "Box(" << size() << ")";
  return os.str();
}

}  // namespace hindsight
