#include "hindsight/train/comm.hpp"

#include <cstdlib>
#include <string>

#include "hindsight/core/error.hpp"

namespace hindsight::train {

#ifdef HINDSIGHT_HAVE_MPI
std::unique_ptr<Comm> make_mpi_comm();    // comm_mpi.cpp
void mpi_abort_if_initialized(int code);  // comm_mpi.cpp
#endif

std::unique_ptr<Comm> make_comm() {
  const int ranks = launched_size();
#ifdef HINDSIGHT_HAVE_MPI
  if (ranks > 1) return make_mpi_comm();
#else
  check(ranks <= 1, "started with " + std::to_string(ranks) +
                        " ranks, but this build has no MPI support (install libopenmpi-dev and configure "
                        "with -DHINDSIGHT_WITH_MPI=ON)");
#endif
  return std::make_unique<LocalComm>();
}

void abort_all_ranks(int code) {
#ifdef HINDSIGHT_HAVE_MPI
  mpi_abort_if_initialized(code);
#else
  (void)code;
#endif
}

int launched_rank() {
  for (const char* var : {"OMPI_COMM_WORLD_RANK", "PMI_RANK", "PMIX_RANK"}) {
    if (const char* v = std::getenv(var)) return std::atoi(v);
  }
  return 0;
}

int launched_size() {
  for (const char* var : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE"}) {
    if (const char* v = std::getenv(var)) return std::atoi(v);
  }
  return 1;
}

}  // namespace hindsight::train
