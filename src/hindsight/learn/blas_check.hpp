#pragma once
// Which BLAS serves LibTorch's float matmuls. Debian's LibTorch links the generic libblas.so.3, which is
// the reference BLAS (about 15x slower on our networks) unless OpenBLAS provides that alternative: a silent
// loss this check makes visible. Asking loads the learner module (learner_module.hpp), and LibTorch with it.
#include <string>

namespace hindsight::learn {

// "openblas" when OpenBLAS serves sgemm_, "reference" for the netlib reference BLAS, else "unknown".
std::string blas_backend();
// A one-line description: OpenBLAS's build config, or the path of the library serving sgemm_.
std::string blas_description();
// True when the BLAS serving matmuls is an optimized one (OpenBLAS).
bool blas_is_fast();
// Empty, or one line saying OpenBLAS runs AVX2-only kernels on an AVX-512 CPU (forced by OPENBLAS_CORETYPE,
// or a release older than the CPU) and how to fix it: on a Zen 5 the DDPG update is 1.8x faster with AVX-512.
std::string blas_tuning_hint();
// Caps OpenBLAS's own thread pool (LibTorch's set_num_threads does not reach it); no-op for other BLAS.
void set_blas_threads(int threads);

}  // namespace hindsight::learn
