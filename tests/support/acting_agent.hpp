#pragma once
// A base for scripted test agents that only act: every training hook does nothing, no levels, no
// metrics. A subclass writes run_episode.
#include <map>
#include <string>
#include <vector>

#include "hindsight/core/rng.hpp"
#include "hindsight/learn/agent.hpp"

namespace hindsight::testing {

class ActingOnlyAgent : public learn::Agent {
 public:
  void train_step() override {}
  void update_targets() override {}
  void observe_warmup(const learn::Trajectory&) override {}
  void store_demo(const learn::Trajectory&, bool) override {}
  std::vector<learn::Level*> levels() override { return {}; }
  std::vector<std::string> metric_columns() const override { return {}; }
  std::map<std::string, double> take_epoch_metrics() override { return {}; }
  Rng& rng() override { return rng_; }

 private:
  Rng rng_{1};
};

}  // namespace hindsight::testing
