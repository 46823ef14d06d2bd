#pragma once
// The CPU's handling of denormal (subnormal) floats on the calling thread. A network whose weights or
// activations drift into the denormal range makes every sgemm take microcode assists: the DDPG update
// was seen to slow 3-7x over a run. Flushing them to zero (FTZ + DAZ, as torch.set_flush_denormal)
// changes results only below 1.2e-38 and keeps the update at its first-epoch speed.

namespace hindsight {

// Sets flush-to-zero and denormals-are-zero on the calling thread; false (nothing changed) where the
// CPU has no such mode. Threads started afterwards by this thread inherit the mode.
bool flush_denormals();
// True when the calling thread flushes denormal results and operands to zero.
bool denormals_flushed();
// Restores the calling thread's full default floating-point mode (denormals kept); for tests.
void keep_denormals();

}  // namespace hindsight
