// Normalizer statistics file: JSON text into Normalizer::from_json. Accepted statistics are finite and
// round-trip through to_json exactly, and normalizing with them gives finite, clipped values.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "hindsight/core/error.hpp"
#include "hindsight/learn/normalizer.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception&) {
    return 0;
  }
  try {
    const auto n = hindsight::learn::Normalizer::from_json(j, "fuzz.json");
    const auto back = hindsight::learn::Normalizer::from_json(n.to_json(), "round-trip");
    if (back.raw() != n.raw() || back.frozen() != n.frozen()) __builtin_trap();
    if (n.dims() > 4096) return 0;  // large but valid; normalizing it only costs time
    const std::vector<double> x(n.dims(), 1e30);
    std::vector<float> out(n.dims());
    n.normalize(x, out);
    for (float v : out) {
      if (!std::isfinite(v) || (!n.is_identity() && std::fabs(v) > n.config().clip)) __builtin_trap();
    }
  } catch (const hindsight::Error&) {
  }
  return 0;
}
