#include "hindsight/learn/blas_check.hpp"

#include <dlfcn.h>

#include <filesystem>
#include <system_error>

namespace hindsight::learn {

namespace {

struct BlasInfo {
  std::string backend;
  std::string description;
};

// The process resolves sgemm_ (what LibTorch calls for float matmuls) to the first library in the global
// scope defining it; that library and its dependencies are the BLAS actually in use. Debian's OpenBLAS
// alternative is a libblas.so.3 shim forwarding to libopenblas.so.0, so the OpenBLAS marker symbol is looked
// up through the shim's handle (which searches its dependencies), not merely anywhere in the process.
BlasInfo probe() {
  void* sgemm = dlsym(RTLD_DEFAULT, "sgemm_");
  Dl_info info{};
  if (sgemm == nullptr || dladdr(sgemm, &info) == 0 || info.dli_fname == nullptr) {
    return {"unknown", "no BLAS sgemm_ loaded in the process"};
  }
  const std::string path = info.dli_fname;
  if (void* handle = dlopen(path.c_str(), RTLD_LAZY | RTLD_NOLOAD)) {
    using ConfigFn = const char* (*)();
    auto config = reinterpret_cast<ConfigFn>(dlsym(handle, "openblas_get_config"));
    std::string description = config != nullptr ? config() : "";
    dlclose(handle);
    if (config != nullptr) return {"openblas", description};
  }
  // Debian installs the netlib reference implementation as the "blas" alternative directory.
  std::error_code ec;
  const auto real = std::filesystem::canonical(path, ec);
  if (!ec && real.parent_path().filename() == "blas") return {"reference", real.string()};
  return {"unknown", ec ? path : real.string()};
}

}  // namespace

std::string blas_backend() { return probe().backend; }

std::string blas_description() { return probe().description; }

bool blas_is_fast() { return blas_backend() == "openblas"; }

void set_blas_threads(int threads) {
  using SetFn = void (*)(int);
  if (auto set = reinterpret_cast<SetFn>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"))) set(threads);
}

}  // namespace hindsight::learn
