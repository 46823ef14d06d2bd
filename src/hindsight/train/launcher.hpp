#pragma once
// One command uses the whole machine: `hindsight train` with ranks > 1 (or auto, one per core) starts
// itself again under mpirun, so a user gets the multi-process speed without typing mpirun. A process
// that an MPI launcher (or a self-launch) started never launches again.
#include <optional>
#include <string>
#include <vector>

namespace hindsight::train {

// Cores this process may run on (its CPU affinity), at least 1.
int usable_cores();
// The rank count `ranks` asks for: its value, or usable_cores() for auto (nullopt).
int resolve_ranks(const std::optional<int>& ranks);
// True when an MPI launcher (of any size) or a self-launch started this process.
bool started_by_launcher();
// The command that runs `hindsight <args>` (args: the words after the program name) on `ranks` ranks.
std::vector<std::string> launch_command(const std::string& mpiexec, const std::string& exe, int ranks,
                                        const std::vector<std::string>& args);
// Replaces this process by launch_command(...) under mpirun (found on PATH, or $HINDSIGHT_MPIEXEC), its
// environment prepared (self-launch marker, root permission, shared-memory transport, oversubscription
// when ranks > cores). Returns only by throwing Error: no MPI in this build, no mpirun, or exec failed.
[[noreturn]] void relaunch_under_mpi(int ranks, const std::vector<std::string>& args);

}  // namespace hindsight::train
