#include "hindsight/learn/learner_module.hpp"

#include <dlfcn.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <vector>

#include "hindsight/core/error.hpp"
#include "support/run_cli.hpp"
#include "support/test_support.hpp"

namespace hindsight::learn {
namespace {

TEST(LearnerModule, LivesBesideTheHindsightLibrary) {
  const std::filesystem::path path = learner_module_path();
  EXPECT_EQ(path.filename(), "libhindsight_torch.so");
  EXPECT_TRUE(std::filesystem::exists(path)) << path;
  EXPECT_TRUE(std::filesystem::exists(path.parent_path() / "libhindsight.so")) << path;
}

TEST(LearnerModule, BuildsWorkingBackendsAndBringsLibTorchsBlas) {
  const LearnerModule& module = learner_module();
  EXPECT_EQ(&module, &learner_module());  // loaded once per process
  DdpgConfig cfg;
  cfg.hidden = {8};
  const auto backend = module.make(3, 2, cfg, 7);
  ASSERT_NE(backend, nullptr);
  EXPECT_EQ(backend->input_dim(), 3);
  EXPECT_EQ(backend->action_dim(), 2);
  EXPECT_EQ(backend->actor_parameters(), std::size_t{8 * 3 + 8 + 2 * 8 + 2});
  std::vector<float> actions(2);
  backend->act(std::vector<float>{0.5F, -1.0F, 2.0F}, actions);
  for (float a : actions) {
    EXPECT_GE(a, -1.0F);
    EXPECT_LE(a, 1.0F);
  }
  // Loaded with global symbols: the process's sgemm_ is now LibTorch's BLAS (what blas_check inspects).
  EXPECT_NE(dlsym(RTLD_DEFAULT, "sgemm_"), nullptr);
}

TEST(LearnerModule, AMissingFileIsOneErrorNamingIt) {
  const std::string error = testing::error_of([] { LearnerModule module("/nonexistent/libhindsight_torch.so"); });
  EXPECT_NE(error.find("cannot load the learner module /nonexistent/libhindsight_torch.so"), std::string::npos)
      << error;
  EXPECT_EQ(error.find('\n'), std::string::npos) << error;
}

TEST(LearnerModule, ALibraryWithoutTheFactoryIsRefused) {
  const auto lib = (std::filesystem::path(learner_module_path()).parent_path() / "libhindsight.so").string();
  const std::string error = testing::error_of([&lib] { LearnerModule module(lib); });
  EXPECT_NE(error.find("has no hindsight_make_ddpg_backend"), std::string::npos) << error;
}

// The point of the module: commands that build no learner start without LibTorch (LD_DEBUG=files makes the
// dynamic loader list every library it opens).
TEST(LearnerModule, CommandsThatTrainNothingNeverLoadLibTorch) {
#ifdef HINDSIGHT_TORCH_AT_STARTUP
  GTEST_SKIP() << "the sanitized build loads LibTorch at start-up (see CMakeLists.txt)";
#endif
  for (const std::string args : {"--help", "train --config /nonexistent/config.yaml", "env --list"}) {
    const auto r = testing::run_cli(args, "LD_DEBUG=files");
    EXPECT_NE(r.err.find("libhindsight.so"), std::string::npos) << args;  // the listing is there
    EXPECT_EQ(r.err.find("libtorch_cpu"), std::string::npos) << args;
    EXPECT_EQ(r.err.find("libhindsight_torch"), std::string::npos) << args;
  }
}

}  // namespace
}  // namespace hindsight::learn
