#include "hindsight/learn/learner_module.hpp"

#include <dlfcn.h>

#include <filesystem>

#include "hindsight/core/error.hpp"
#include "hindsight/core/float_mode.hpp"

namespace hindsight::learn {

namespace {

std::string loader_error() {
  const char* reason = dlerror();
  return reason != nullptr ? reason : "unknown reason";
}

}  // namespace

LearnerModule::LearnerModule(const std::string& path) : path_(path) {
  // Before LibTorch and OpenBLAS load: the pool threads they start inherit this thread's float mode.
  flush_denormals();
  handle_ = dlopen(path.c_str(), RTLD_NOW | RTLD_GLOBAL | RTLD_NODELETE);
  if (handle_ == nullptr) throw Error("cannot load the learner module " + path + ": " + loader_error());
  make_ = reinterpret_cast<MakeDdpgBackend>(dlsym(handle_, kMakeDdpgBackendSymbol));
  if (make_ == nullptr) {
    const std::string reason = loader_error();
    dlclose(handle_);
    throw Error("the learner module " + path + " has no " + kMakeDdpgBackendSymbol + ": " + reason);
  }
}

LearnerModule::~LearnerModule() { dlclose(handle_); }

std::unique_ptr<DdpgBackend> LearnerModule::make(int input_dim, int action_dim, const DdpgConfig& cfg,
                                                 std::uint64_t seed) const {
  return std::unique_ptr<DdpgBackend>(make_(input_dim, action_dim, cfg, seed));
}

std::string learner_module_path() {
  Dl_info info{};
  // The file holding this function: the hindsight library (a shared library; see CMakeLists.txt).
  if (dladdr(reinterpret_cast<void*>(&learner_module_path), &info) == 0 || info.dli_fname == nullptr) {
    throw Error("cannot locate the hindsight library to find the learner module beside it");
  }
  std::error_code ec;
  std::filesystem::path lib = std::filesystem::canonical(info.dli_fname, ec);
  if (ec) lib = info.dli_fname;
  return (lib.parent_path() / "libhindsight_torch.so").string();
}

const LearnerModule& learner_module() {
  static const LearnerModule module(learner_module_path());
  return module;
}

}  // namespace hindsight::learn
