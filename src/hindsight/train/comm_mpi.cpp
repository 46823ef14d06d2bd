// The MPI communicator: the only file that includes mpi.h. Built when CMake finds MPI
// (option HINDSIGHT_WITH_MPI); selected at run time when the process was started by mpirun.
// Only the C API is used; skip the deprecated C++ bindings some MPI headers pull in.
#define OMPI_SKIP_MPICXX 1
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>

#include <exception>
#include <limits>
#include <string>
#include <vector>

#include "hindsight/core/error.hpp"
#include "hindsight/train/comm.hpp"

namespace hindsight::train {
namespace {

void check_mpi(int rc, const char* what) {
  if (rc != MPI_SUCCESS) {
    char msg[MPI_MAX_ERROR_STRING];
    int len = 0;
    MPI_Error_string(rc, msg, &len);
    throw Error(std::string("MPI ") + what + " failed: " + std::string(msg, static_cast<std::size_t>(len)));
  }
}

// Owns MPI for the process: initialised in the constructor, finalised in the destructor.
class MpiComm final : public Comm {
 public:
  MpiComm() {
    check_mpi(MPI_Init(nullptr, nullptr), "init");
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
  }
  ~MpiComm() override {
    // Leaving by an exception, this rank must not wait in MPI_Finalize for ranks that wait for it in a
    // collective: MPI stays up so the error handler (main) can report the rank and abort the whole job.
    if (std::uncaught_exceptions() > 0) return;
    int finalized = 0;
    MPI_Finalized(&finalized);
    if (!finalized) MPI_Finalize();
  }
  MpiComm(const MpiComm&) = delete;
  MpiComm& operator=(const MpiComm&) = delete;

  int rank() const override { return rank_; }
  int size() const override { return size_; }
  void allreduce_mean(std::span<float> v) override {
    check_mpi(MPI_Allreduce(MPI_IN_PLACE, v.data(), static_cast<int>(v.size()), MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD),
              "allreduce");
    const float inv = 1.0f / static_cast<float>(size_);
    for (auto& x : v) x *= inv;
  }
  void allreduce_sum(std::span<double> v) override {
    check_mpi(MPI_Allreduce(MPI_IN_PLACE, v.data(), static_cast<int>(v.size()), MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD),
              "allreduce");
  }
  std::vector<double> allgather(std::span<const double> v) override {
    std::vector<double> all(v.size() * static_cast<std::size_t>(size_));
    check_mpi(MPI_Allgather(v.data(), static_cast<int>(v.size()), MPI_DOUBLE, all.data(), static_cast<int>(v.size()),
                            MPI_DOUBLE, MPI_COMM_WORLD),
              "allgather");
    return all;
  }
  void broadcast(std::span<float> v) override {
    check_mpi(MPI_Bcast(v.data(), static_cast<int>(v.size()), MPI_FLOAT, 0, MPI_COMM_WORLD), "broadcast");
  }
  void broadcast(std::string& text) override {
    // Length first, so every rank can size its buffer before the bytes arrive.
    unsigned long long n = text.size();
    check_mpi(MPI_Bcast(&n, 1, MPI_UNSIGNED_LONG_LONG, 0, MPI_COMM_WORLD), "broadcast");
    check(n <= static_cast<unsigned long long>(std::numeric_limits<int>::max()),
          "broadcast: text of " + std::to_string(n) + " bytes is too long for one MPI message");
    text.resize(static_cast<std::size_t>(n));
    check_mpi(MPI_Bcast(text.data(), static_cast<int>(n), MPI_CHAR, 0, MPI_COMM_WORLD), "broadcast");
  }
  void barrier() override { check_mpi(MPI_Barrier(MPI_COMM_WORLD), "barrier"); }

 private:
  int rank_ = 0, size_ = 1;
};

}  // namespace

std::unique_ptr<Comm> make_mpi_comm() { return std::make_unique<MpiComm>(); }

void mpi_abort_if_initialized(int code) {
  int initialized = 0, finalized = 0;
  MPI_Initialized(&initialized);
  MPI_Finalized(&finalized);
  if (initialized && !finalized) MPI_Abort(MPI_COMM_WORLD, code);
}

}  // namespace hindsight::train
