// Config parser: YAML text (a --config file) and key=value overrides. A parsed config must come back
// unchanged through to_yaml(), since the run directory's config.yaml is how a resume reads it.
#include <cstddef>
#include <cstdint>
#include <string>

#include "hindsight/core/error.hpp"
#include "hindsight/io/config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const hindsight::TrainConfig cfg = hindsight::parse_config_yaml(text, "fuzz.yaml");
    if (!(hindsight::parse_config_yaml(hindsight::to_yaml(cfg), "resolved.yaml") == cfg)) __builtin_trap();
    hindsight::validate(cfg);
  } catch (const hindsight::Error&) {
  }
  if (text.find('\n') == std::string::npos) {
    try {
      hindsight::TrainConfig cfg;
      hindsight::apply_override(cfg, text);
      if (!(hindsight::parse_config_yaml(hindsight::to_yaml(cfg), "resolved.yaml") == cfg)) __builtin_trap();
    } catch (const hindsight::Error&) {
    }
  }
  return 0;
}
