#pragma once
// The run directory: where one training run keeps its resolved config, progress.csv and checkpoints.
//   <out>/<env>-s<seed>-<YYYYmmdd-HHMMSS>/   (or <out>/<run_name>/)
//     config.yaml  progress.csv  normalizer.json  plots/  videos/
//     task/<task file>  task/<its scene>   (runs of a task file: the copies eval, record and --resume read)
//     tb/events.out.tfevents.<unix seconds>.hindsight   (progress.csv's values for TensorBoard)
//     checkpoints/latest.ckpt  checkpoints/previous.ckpt  checkpoints/best.ckpt
//     checkpoints/rank<R>-epoch<E>.ckpt   (runs over several MPI ranks: rank R's own state, R >= 1)
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace hindsight::io {

// The well-known paths inside a run directory.
struct RunPaths {
  std::string root;                 // the run directory itself
  std::string config;               // resolved config (to_yaml)
  std::string progress;             // one row per epoch (MetricsLog)
  std::string checkpoints;          // directory of the checkpoints
  std::string latest_checkpoint;    // written every epoch; resume starts here
  std::string previous_checkpoint;  // the one latest replaced; resume falls back to it
  std::string best_checkpoint;      // the epoch with the best test success rate
  std::string plots;                // PNG curves (hindsight plot, train plot_every=K)
  std::string videos;               // recordings (hindsight record)
  std::string tb;                   // TensorBoard events file (TbEventWriter)
};

// The paths of the run directory at root (nothing is created).
RunPaths run_paths(const std::string& root);
// Rank's own state (random stream, replay buffers) at the end of epoch in a multi-rank run; rank 0's is
// part of latest_checkpoint.
std::string rank_checkpoint(const RunPaths& paths, int rank, int epoch);
// Creates out/<run_name> or, when run_name is empty, out/<env>-s<seed>-<YYYYmmdd-HHMMSS> (local time),
// holding config.yaml (config_yaml) and an empty checkpoints/; "-2", "-3", ... is appended when the name is
// taken. The directory is assembled under a hidden temporary name (out/.<name>.tmp.XXXXXX) and renamed into
// place, so it appears complete or not at all; a process killed meanwhile leaves only that hidden directory.
// Creates out if needed; throws one Error line when out cannot be written or run_name is not a plain name.
// files are more (path inside the run, content) pairs written before the directory appears (a task file's
// copy in task/); their directories are created.
std::string create_run_dir(const std::string& out, const std::string& run_name, const std::string& env,
                           std::uint64_t seed, const std::string& config_yaml,
                           const std::vector<std::pair<std::string, std::string>>& files = {});
// True when path holds a run's config.yaml.
bool is_run_dir(const std::string& path);

// An exclusive advisory lock (flock) on a run directory, held while a process trains in it, so two
// trainers never write the same run. The kernel drops it when the process dies, even by SIGKILL.
class RunLock {
 public:
  // Locks root; throws Error when another process holds the lock or root cannot be opened.
  explicit RunLock(const std::string& root);
  ~RunLock();
  RunLock(RunLock&& other) noexcept;
  RunLock& operator=(RunLock&& other) noexcept;
  RunLock(const RunLock&) = delete;
  RunLock& operator=(const RunLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace hindsight::io
