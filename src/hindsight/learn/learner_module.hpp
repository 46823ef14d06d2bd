#pragma once
// Loads the LibTorch learner module (libhindsight_torch.so, see ddpg_backend.hpp) on first use. It is looked
// for beside the hindsight library itself (the build directory, or wherever the two are installed together).
#include <memory>
#include <string>

#include "hindsight/learn/ddpg_backend.hpp"

namespace hindsight::learn {

// One loaded module file; closes its handle when destroyed (the code stays mapped: RTLD_NODELETE, since
// LibTorch's own static state must outlive every backend, whatever the order of destruction at exit).
class LearnerModule {
 public:
  // Loads path with its symbols global (so that LibTorch's BLAS is the one the process's sgemm_ resolves
  // to, see blas_check.hpp), first flushing denormals on this thread (core/float_mode.hpp) so that the
  // thread pools the libraries start inherit it; throws Error naming the file and the loader's reason.
  explicit LearnerModule(const std::string& path);
  ~LearnerModule();
  LearnerModule(const LearnerModule&) = delete;
  LearnerModule& operator=(const LearnerModule&) = delete;
  // A new backend from the module's factory.
  std::unique_ptr<DdpgBackend> make(int input_dim, int action_dim, const DdpgConfig& cfg, std::uint64_t seed) const;
  // The file loaded.
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  void* handle_ = nullptr;
  MakeDdpgBackend make_ = nullptr;
};

// Where the process's learner module is: libhindsight_torch.so in the directory of the hindsight library.
std::string learner_module_path();
// The process's learner module, loaded on the first call (thread-safe); throws Error when it cannot be.
const LearnerModule& learner_module();

}  // namespace hindsight::learn
