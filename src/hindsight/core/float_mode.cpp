#include "hindsight/core/float_mode.hpp"

#if defined(__SSE2__)
#include <xmmintrin.h>
#endif

namespace hindsight {

#if defined(__SSE2__)
namespace {
constexpr unsigned kFlushToZero = 0x8000;       // MXCSR.FTZ: denormal results become 0
constexpr unsigned kDenormalsAreZero = 0x0040;  // MXCSR.DAZ: denormal operands read as 0
}  // namespace

bool flush_denormals() {
  _mm_setcsr(_mm_getcsr() | kFlushToZero | kDenormalsAreZero);
  return true;
}

bool denormals_flushed() {
  const unsigned both = kFlushToZero | kDenormalsAreZero;
  return (_mm_getcsr() & both) == both;
}

void keep_denormals() { _mm_setcsr(_mm_getcsr() & ~(kFlushToZero | kDenormalsAreZero)); }
#else
bool flush_denormals() { return false; }
bool denormals_flushed() { return false; }
void keep_denormals() {}
#endif

}  // namespace hindsight
