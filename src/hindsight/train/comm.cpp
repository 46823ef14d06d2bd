#include "hindsight/train/comm.hpp"

#include <cstdlib>

namespace hindsight::train {

#ifdef HINDSIGHT_HAVE_MPI
std::unique_ptr<Comm> make_mpi_comm_if_launched();  // comm_mpi.cpp
void mpi_abort_if_initialized(int code);            // comm_mpi.cpp
#endif

std::unique_ptr<Comm> make_comm() {
#ifdef HINDSIGHT_HAVE_MPI
  if (auto c = make_mpi_comm_if_launched()) return c;
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

}  // namespace hindsight::train
