#include "hindsight/train/norm_init.hpp"

#include <vector>

#include "hindsight/core/rng.hpp"
#include "hindsight/train/evaluate.hpp"
#include "hindsight/train/progress_bar.hpp"
#include "hindsight/train/run_files.hpp"

namespace hindsight::train {

long init_normalizers(const TrainConfig& cfg, learn::Agent& agent, GoalEnv& env, Comm& comm, RankSync& sync,
                      Position& at) {
  long warmup_steps = 0;
  switch (cfg.norm_init) {
    case NormInit::off:
      return 0;
    case NormInit::file:
      load_normalizers(cfg.norm_file, agent);  // every rank reads the same file
      break;
    case NormInit::warmup: {
      const int n = cfg.norm_warmup_episodes;
      if (n == 0) break;  // statistics learned online only, as baselines
      // Each rank runs its share of the random episodes.
      const int mine = rank_share_of(n, comm.rank(), comm.size());
      Rng rng(derive_seed(derive_seed(cfg.seed, "warmup-actions"), static_cast<std::uint64_t>(comm.rank())));
      ProgressBar bar("normalizer warm-up", mine, comm.is_root());
      std::vector<double> steps{0.0};
      for (int e = 0; e < mine; ++e) {
        at = {"normalizer warm-up episode", 0, 0, e + 1};
        const Box& space = env.action_space();
        const learn::Trajectory t = record_trajectory(env, episode_seed(cfg, "warmup", comm.rank(), e),
                                                      [&](const GoalObs&) { return space.sample(rng); });
        agent.observe_warmup(t);
        steps[0] += t.T;
        bar.update(e + 1);
      }
      bar.finish();
      comm.allreduce_sum(steps);
      warmup_steps = static_cast<long>(steps[0]);
      break;
    }
  }
  // Every rank's warm-up samples reach every rank: the statistics of all n episodes, before freezing.
  sync.sync_normalizers(agent);
  if (cfg.norm_freeze) {
    for (learn::Level* l : agent.levels()) {
      l->obs_norm().freeze();
      l->goal_norm().freeze();
    }
  }
  return warmup_steps;
}

}  // namespace hindsight::train
