#pragma once
// The communicator of hindsight_mpi_tests: MPI can be initialised only once per process, so the test
// main creates it and every test shares it. Tests hold for any number of ranks (one included).
#include "hindsight/train/comm.hpp"

namespace hindsight::testing {

// The process-wide communicator (MPI when started by mpirun with several ranks).
train::Comm& comm();

}  // namespace hindsight::testing
