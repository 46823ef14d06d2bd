#pragma once
// Keeps the ranks of a data-parallel run in step, level by level through Agent::levels() (so every level
// of a HAC stack takes part, as baselines HER does for its one level):
//   - one set of parameters: rank 0's at the start, then the same Adam step everywhere, because every
//     gradient is averaged over the ranks before the step;
//   - one set of normalizer statistics: each rank's samples since the last sync are gathered and merged
//     in rank order, so every rank ends with the same numbers, those of one process that saw all the data.
// With LocalComm every collective is the identity, so a single process runs exactly the same code.
//
// Collective contract: every rank makes the same calls in the same order, and every level's learner runs
// the same number of updates on every rank (each update all-reduces two gradients: critic, then actor).
#include <span>
#include <string>

#include "hindsight/learn/agent.hpp"
#include "hindsight/train/comm.hpp"

namespace hindsight::train {

// Gradient all-reduces since the last RankSync::take_allreduce_stats().
struct AllreduceStats {
  double seconds = 0.0;  // inside Comm::allreduce_mean: the transfer plus waiting for slower ranks
  long calls = 0;        // all-reduces (two per level update)
  double bytes = 0.0;    // gradient bytes this rank contributed
};

class RankSync {
 public:
  // Syncs over comm, which must outlive this object.
  explicit RankSync(Comm& comm) : comm_(&comm) {}
  RankSync(const RankSync&) = delete;
  RankSync& operator=(const RankSync&) = delete;

  // Copies rank 0's parameters (main and target networks of every level) to every rank.
  void broadcast_parameters(learn::Agent& agent);
  // Installs on every level's learner a reducer that averages the gradient over the ranks; this object
  // must outlive those updates. With several ranks and stop_on_non_finite (nan_policy=stop), a rank whose
  // own gradient is not finite throws NonFiniteError (origin: the level) before the exchange, so the
  // message comes from the rank that produced it; otherwise a NaN is averaged in like any value and every
  // rank's learner refuses the same update (see DdpgLearner::update).
  void install_gradient_reducers(learn::Agent& agent, bool stop_on_non_finite);
  // Merges every rank's pending normalizer samples into every level's normalizers, in rank order.
  void sync_normalizers(learn::Agent& agent);
  // Throws Error on a rank whose parameters differ from rank 0's (they must stay bit-identical).
  void check_parameters_agree(learn::Agent& agent);
  // Throws Error on a rank whose text (e.g. the resolved config) differs from rank 0's; what names it.
  void check_same_text(const std::string& text, const std::string& what);
  // The all-reduce figures since the last call; resets them.
  AllreduceStats take_allreduce_stats();
  // Fault injection for tests: the next gradient this rank reduces holds a NaN.
  void poison_next_gradient() { poison_ = true; }

 private:
  void reduce(const learn::Level& level, std::span<float> gradient);

  Comm* comm_;
  AllreduceStats stats_;
  bool poison_ = false;
  bool stop_on_non_finite_ = true;
};

}  // namespace hindsight::train
