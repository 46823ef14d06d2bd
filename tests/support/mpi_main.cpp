// main() of hindsight_mpi_tests, which ctest starts under mpirun: one communicator for the whole binary,
// the usual GoogleTest output from rank 0, and only failures (prefixed with the rank) from the others, so
// the log stays readable while no rank's failure goes unseen.
#include <gtest/gtest.h>

#include <cstdio>
#include <memory>

#include "support/mpi_comm.hpp"

namespace hindsight::testing {
namespace {

std::unique_ptr<train::Comm> g_comm;

class RankFailurePrinter final : public ::testing::EmptyTestEventListener {
 public:
  explicit RankFailurePrinter(int rank) : rank_(rank) {}
  void OnTestPartResult(const ::testing::TestPartResult& r) override {
    if (!r.failed()) return;
    std::fprintf(stderr, "[rank %d] %s:%d: %s\n", rank_, r.file_name() ? r.file_name() : "?", r.line_number(),
                 r.summary());
  }

 private:
  int rank_;
};

}  // namespace

train::Comm& comm() { return *g_comm; }

}  // namespace hindsight::testing

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  hindsight::testing::g_comm = hindsight::train::make_comm();
  auto& comm = *hindsight::testing::g_comm;
  if (!comm.is_root()) {
    auto& listeners = ::testing::UnitTest::GetInstance()->listeners();
    delete listeners.Release(listeners.default_result_printer());
    listeners.Append(new hindsight::testing::RankFailurePrinter(comm.rank()));
  } else {
    std::printf("hindsight_mpi_tests: %d rank(s)\n", comm.size());
  }
  const int rc = RUN_ALL_TESTS();
  // Every rank's verdict counts: mpirun reports failure when any rank exits non-zero.
  hindsight::testing::g_comm.reset();
  return rc;
}
