#include "hindsight/train/demos.hpp"

#include <vector>

#include "hindsight/env/fetch/scripted_expert.hpp"
#include "hindsight/train/evaluate.hpp"
#include "hindsight/train/progress_bar.hpp"

namespace hindsight::train {

long record_demos(const TrainConfig& cfg, learn::Agent& agent, GoalEnv& env, Comm& comm, bool fresh, Position& at) {
  if (cfg.demos == 0) return 0;
  auto expert = fetch::make_scripted_expert(env.name());
  const int mine = rank_share_of(cfg.demos, comm.rank(), comm.size());
  ProgressBar bar("demonstrations", mine, comm.is_root() && fresh);
  long steps = 0;
  for (int e = 0; e < mine; ++e) {
    at = {"demonstration episode", 0, 0, e + 1};
    expert->reset();
    const learn::Trajectory t = record_trajectory(env, episode_seed(cfg, "demo", comm.rank(), static_cast<std::uint64_t>(e)),
                                                  [&](const GoalObs& o) { return expert->act(o); });
    agent.store_demo(t, fresh);
    steps += t.T;
    bar.update(e + 1);
  }
  bar.finish();
  if (!fresh) return 0;
  std::vector<double> total{static_cast<double>(steps)};
  comm.allreduce_sum(total);
  return static_cast<long>(total[0]);
}

}  // namespace hindsight::train
