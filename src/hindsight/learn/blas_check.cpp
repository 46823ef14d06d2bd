#include "hindsight/learn/blas_check.hpp"

#include <dlfcn.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <system_error>

#include "hindsight/learn/learner_module.hpp"

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
  learner_module();  // LibTorch and the BLAS it links are loaded with the learner module
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

std::string blas_tuning_hint() {
  if (blas_backend() != "openblas") return "";
  using NameFn = const char* (*)();
  auto corename = reinterpret_cast<NameFn>(dlsym(RTLD_DEFAULT, "openblas_get_corename"));
  if (corename == nullptr) return "";
  const std::string core = corename();
  std::string lower = core;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  const bool avx512_core = lower == "skylakex" || lower == "cooperlake" || lower == "sapphirerapids";
  // The SkylakeX kernels need exactly these extensions.
  const bool avx512_cpu = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
                          __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl");
  if (avx512_core || !avx512_cpu) return "";
  // OpenBLAS picks its kernels once, when it loads: from OPENBLAS_CORETYPE, else from its own CPU table.
  const char* forced = std::getenv("OPENBLAS_CORETYPE");
  const std::string why =
      forced != nullptr ? " (forced by OPENBLAS_CORETYPE=" + std::string(forced) + ")" : "";
  return "OpenBLAS runs its " + core + " kernels on this AVX-512 CPU" + why +
         "; start with OPENBLAS_CORETYPE=SKYLAKEX for faster matmuls (2x on Zen 5)";
}

void set_blas_threads(int threads) {
  using SetFn = void (*)(int);
  if (auto set = reinterpret_cast<SetFn>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"))) set(threads);
}

}  // namespace hindsight::learn
