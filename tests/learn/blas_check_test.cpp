#include "hindsight/learn/blas_check.hpp"

#include <gtest/gtest.h>
#include <torch/torch.h>

namespace hindsight::learn {
namespace {

// Guards a silent ~15x slowdown: with the reference libblas.so.3, LibTorch still works, only slowly.
TEST(BlasCheck, OpenBlasServesTorchMatmul) {
  const auto a = torch::ones({64, 64});
  const auto c = torch::mm(a, a);
  ASSERT_FLOAT_EQ(c[0][0].item<float>(), 64.0F);
  EXPECT_EQ(blas_backend(), "openblas") << blas_description();
  EXPECT_TRUE(blas_is_fast());
}

TEST(BlasCheck, DescriptionIsOpenBlasConfig) {
  EXPECT_NE(blas_description().find("OpenBLAS"), std::string::npos) << blas_description();
}

// The hint depends on the CPU and the environment; whenever given, it names the variable to set.
TEST(BlasCheck, TuningHintNamesTheCoreTypeVariable) {
  const std::string hint = blas_tuning_hint();
  if (!hint.empty()) EXPECT_NE(hint.find("OPENBLAS_CORETYPE=SKYLAKEX"), std::string::npos) << hint;
  EXPECT_EQ(hint.find('\n'), std::string::npos);
}

}  // namespace
}  // namespace hindsight::learn
