#include "hindsight/train/comm.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <string>
#include <vector>

#include "hindsight/core/error.hpp"

namespace hindsight::train {
namespace {

TEST(LocalComm, EveryCollectiveIsTheIdentity) {
  LocalComm comm;
  EXPECT_EQ(comm.rank(), 0);
  EXPECT_EQ(comm.size(), 1);
  EXPECT_TRUE(comm.is_root());
  std::vector<float> f{1.5f, -2.0f};
  comm.allreduce_mean(f);
  comm.broadcast(std::span<float>(f));
  EXPECT_EQ(f, (std::vector<float>{1.5f, -2.0f}));
  std::vector<double> d{3.0, 4.0};
  comm.allreduce_sum(d);
  EXPECT_EQ(d, (std::vector<double>{3.0, 4.0}));
  EXPECT_EQ(comm.allgather(d), d);
  std::string text = "runs/x";
  comm.broadcast(text);
  EXPECT_EQ(text, "runs/x");
}

// Sets an environment variable for one scope.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) { ::setenv(name, value, 1); }
  ~ScopedEnv() { ::unsetenv(name_); }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
};

TEST(Comm, LaunchedRankAndSizeComeFromTheLauncher) {
  EXPECT_EQ(launched_size(), 1);
  const ScopedEnv rank("PMI_RANK", "3"), size("PMI_SIZE", "8");
  EXPECT_EQ(launched_rank(), 3);
  EXPECT_EQ(launched_size(), 8);
}

TEST(Comm, SeveralRanksWithoutMpiSupportIsAnError) {
#ifdef HINDSIGHT_HAVE_MPI
  GTEST_SKIP() << "this build has MPI: make_comm() would initialise it";
#else
  const ScopedEnv size("OMPI_COMM_WORLD_SIZE", "2");
  try {
    make_comm();
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("started with 2 ranks, but this build has no MPI support"),
              std::string::npos)
        << e.what();
  }
#endif
}

}  // namespace
}  // namespace hindsight::train
