#pragma once
// The run directory: where one training run keeps its resolved config, progress.csv and checkpoints.
//   <out>/<env>-s<seed>-<YYYYmmdd-HHMMSS>/   (or <out>/<run_name>/)
//     config.yaml  progress.csv  checkpoints/latest.ckpt  checkpoints/best.ckpt  plots/  videos/
//     checkpoints/rank<R>-epoch<E>.ckpt   (runs over several MPI ranks: rank R's own state, R >= 1)
#include <cstdint>
#include <string>

namespace hindsight::io {

// The well-known paths inside a run directory.
struct RunPaths {
  std::string root;               // the run directory itself
  std::string config;             // resolved config (to_yaml)
  std::string progress;           // one row per epoch (MetricsLog)
  std::string checkpoints;        // directory of the checkpoints
  std::string latest_checkpoint;  // written every epoch; resume starts here
  std::string best_checkpoint;    // the epoch with the best test success rate
  std::string plots;              // PNG curves (hindsight plot, train plot_every=K)
  std::string videos;             // recordings (hindsight record)
};

// The paths of the run directory at root (nothing is created).
RunPaths run_paths(const std::string& root);
// Rank's own state (random stream, replay buffers) at the end of epoch in a multi-rank run; rank 0's is
// part of latest_checkpoint.
std::string rank_checkpoint(const RunPaths& paths, int rank, int epoch);
// Creates out/<run_name> or, when run_name is empty, out/<env>-s<seed>-<YYYYmmdd-HHMMSS> (local time),
// plus its checkpoints/ directory; "-2", "-3", ... is appended when the name is taken. Creates out if
// needed; throws one Error line when out cannot be written or run_name is not a plain name.
std::string create_run_dir(const std::string& out, const std::string& run_name, const std::string& env,
                           std::uint64_t seed);
// True when path holds a run's config.yaml.
bool is_run_dir(const std::string& path);

}  // namespace hindsight::io
