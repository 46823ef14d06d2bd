#pragma once
// The only door to multi-process training: the trainer averages gradients, merges normalizer
// statistics and averages metrics through this interface. LocalComm is the single-process
// implementation; the MPI one lives in comm_mpi.cpp and is the only file that knows about MPI.
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace hindsight::train {

class Comm {
 public:
  virtual ~Comm() = default;
  // This process's rank in [0, size).
  virtual int rank() const = 0;
  // Number of processes.
  virtual int size() const = 0;
  // Replaces each value by its mean over all ranks (gradient averaging).
  virtual void allreduce_mean(std::span<float> values) = 0;
  // Replaces each value by its sum over all ranks.
  virtual void allreduce_sum(std::span<double> values) = 0;
  // Every rank's vector (equal sizes), concatenated in rank order, on every rank.
  virtual std::vector<double> allgather(std::span<const double> values) = 0;
  // Copies rank 0's values to every rank.
  virtual void broadcast(std::span<float> values) = 0;
  // Copies rank 0's text (any length) to every rank, e.g. the run directory only rank 0 creates.
  virtual void broadcast(std::string& text) = 0;
  // Waits for every rank.
  virtual void barrier() = 0;
  // True on the rank that writes files and prints progress.
  bool is_root() const { return rank() == 0; }
};

// One process: every collective is the identity.
class LocalComm final : public Comm {
 public:
  int rank() const override { return 0; }
  int size() const override { return 1; }
  void allreduce_mean(std::span<float>) override {}
  void allreduce_sum(std::span<double>) override {}
  std::vector<double> allgather(std::span<const double> values) override { return {values.begin(), values.end()}; }
  void broadcast(std::span<float>) override {}
  void broadcast(std::string&) override {}
  void barrier() override {}
};

// The communicator for this process: MPI when the program was started by mpirun with more than one
// rank, else LocalComm. Throws Error when started with several ranks by a build without MPI, which would
// otherwise run that many unrelated copies of the job.
std::unique_ptr<Comm> make_comm();
// When running under MPI, stops every rank of the job with this exit code (a failed rank must not leave
// the others waiting in a collective); otherwise does nothing.
void abort_all_ranks(int code);
// This process's MPI rank when launched by mpirun (read from the launcher's environment), else 0.
int launched_rank();
// The number of ranks mpirun started (read from the launcher's environment), else 1.
int launched_size();

}  // namespace hindsight::train
