#pragma once
// Test support (docs/scaling.md): HINDSIGHT_FAULT_INJECT=RANK:KIND makes rank RANK fail just before the
// first update of a training session, while the other ranks wait in a collective, the way real faults
// strike. KIND is throw (an Error), nan (a NaN gradient) or kill (SIGKILL, as the OOM killer would).
// `hindsight train` installs it as the trainer's before-first-update hook; the trainer knows nothing of it.
#include <functional>
#include <string>

#include "hindsight/train/rank_sync.hpp"

namespace hindsight::train {

enum class Fault { kNone, kThrow, kNan, kKill };

// The fault spec (the variable's value) asks of rank `rank`; "" asks none. Error for a malformed spec.
Fault parse_fault(const std::string& spec, int rank);
// The fault HINDSIGHT_FAULT_INJECT asks of rank `rank` (kNone when unset).
Fault injected_fault(int rank);
// Strikes: throws, poisons the next gradient through sync, or kills the process.
void inject_fault(Fault fault, RankSync& sync);
// The hook for Trainer::set_before_first_update that strikes with HINDSIGHT_FAULT_INJECT's fault for rank
// (empty when the variable asks nothing of this rank). Error for a malformed value.
std::function<void(RankSync&)> fault_hook_from_env(int rank);

}  // namespace hindsight::train
