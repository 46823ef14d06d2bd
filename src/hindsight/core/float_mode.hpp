#pragma once
// The CPU's handling of denormal (subnormal) floats on the calling thread. Once a network's numbers (an
// actor's gradients and Adam moments behind a saturated tanh, say) drift below 1.2e-38, the matrix products
// take microcode assists: a DDPG update was seen to slow 7x mid-run. Flushing them to zero (FTZ + DAZ, as
// torch.set_flush_denormal) changes results only below 1.2e-38 and keeps the update at its first speed.

namespace hindsight {

// Sets flush-to-zero and denormals-are-zero on the calling thread; false (nothing changed) where the
// CPU has no such mode. Threads started afterwards by this thread inherit the mode.
bool flush_denormals();
// True when the calling thread flushes denormal results and operands to zero.
bool denormals_flushed();
// Clears both modes on the calling thread (denormals kept, the CPU's default); for tests and benchmarks.
void keep_denormals();

}  // namespace hindsight
