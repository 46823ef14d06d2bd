#include "hindsight/train/comm.hpp"

namespace hindsight::train {

#ifdef HINDSIGHT_HAVE_MPI
std::unique_ptr<Comm> make_mpi_comm_if_launched();  // comm_mpi.cpp
#endif

std::unique_ptr<Comm> make_comm() {
#ifdef HINDSIGHT_HAVE_MPI
  if (auto c = make_mpi_comm_if_launched()) return c;
#endif
  return std::make_unique<LocalComm>();
}

}  // namespace hindsight::train
