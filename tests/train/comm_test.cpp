#include "hindsight/train/comm.hpp"

#include <gtest/gtest.h>

namespace hindsight::train {
namespace {

TEST(Comm, LocalCommIsTheIdentity) {
  LocalComm c;
  EXPECT_EQ(c.rank(), 0);
  EXPECT_EQ(c.size(), 1);
  EXPECT_TRUE(c.is_root());
  std::vector<float> f{1, 2};
  c.allreduce_mean(f);
  EXPECT_EQ(f, (std::vector<float>{1, 2}));
  std::vector<double> d{3, 4};
  c.allreduce_sum(d);
  EXPECT_EQ(c.allgather(d), d);
  // Outside mpirun make_comm gives the single-process communicator.
  EXPECT_EQ(make_comm()->size(), 1);
}

}  // namespace
}  // namespace hindsight::train
