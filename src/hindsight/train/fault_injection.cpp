#include "hindsight/train/fault_injection.hpp"

#include <csignal>
#include <cstdlib>

#include "hindsight/core/error.hpp"

namespace hindsight::train {

Fault parse_fault(const std::string& text, int rank) {
  if (text.empty()) return Fault::kNone;
  const auto colon = text.find(':');
  const std::string who = text.substr(0, colon);
  const std::string kind = colon == std::string::npos ? "" : text.substr(colon + 1);
  check(!who.empty() && who.size() < 9 && who.find_first_not_of("0123456789") == std::string::npos &&
            (kind == "throw" || kind == "nan" || kind == "kill"),
        "HINDSIGHT_FAULT_INJECT='" + text + "': expected RANK:KIND with KIND throw, nan or kill");
  if (std::stoi(who) != rank) return Fault::kNone;
  return kind == "throw" ? Fault::kThrow : kind == "nan" ? Fault::kNan : Fault::kKill;
}

Fault injected_fault(int rank) {
  const char* v = std::getenv("HINDSIGHT_FAULT_INJECT");
  return parse_fault(v ? v : "", rank);
}

void inject_fault(Fault fault, RankSync& sync) {
  switch (fault) {
    case Fault::kNone:
      return;
    case Fault::kThrow:
      throw Error("fault injected by HINDSIGHT_FAULT_INJECT");
    case Fault::kNan:
      sync.poison_next_gradient();
      return;
    case Fault::kKill:
      std::raise(SIGKILL);
      return;
  }
}

std::function<void(RankSync&)> fault_hook_from_env(int rank) {
  const Fault fault = injected_fault(rank);
  if (fault == Fault::kNone) return {};
  return [fault](RankSync& sync) { inject_fault(fault, sync); };
}

}  // namespace hindsight::train
