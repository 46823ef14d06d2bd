#include "hindsight/train/evaluate.hpp"

#include <cmath>

#include "hindsight/core/error.hpp"
#include "hindsight/core/rng.hpp"

namespace hindsight::train {

EvalReport evaluate(learn::Agent& agent, GoalEnv& env, int episodes, std::uint64_t seed) {
  check(episodes >= 1, "episodes must be >= 1");
  EvalReport r;
  r.episodes = episodes;
  int successes = 0, reached = 0;
  double rewards = 0;
  for (int i = 0; i < episodes; ++i) {
    const auto o = agent.run_episode(env, derive_seed(seed, static_cast<std::uint64_t>(i)), false);
    successes += o.success ? 1 : 0;
    reached += o.reached ? 1 : 0;
    rewards += o.reward_sum;
  }
  r.success_rate = static_cast<double>(successes) / episodes;
  r.reached_rate = static_cast<double>(reached) / episodes;
  r.mean_reward = rewards / episodes;
  return r;
}

int rank_share_of(int n, int rank, int ranks) { return n / ranks + (rank < n % ranks ? 1 : 0); }

double evaluate_on_ranks(learn::Agent& agent, GoalEnv& env, int episodes, Comm& comm,
                         const std::function<std::uint64_t(int rank)>& seed_of_rank) {
  check(episodes >= 1, "episodes must be >= 1");
  const int mine = rank_share_of(episodes, comm.rank(), comm.size());
  std::vector<double> successes{0.0};
  if (mine > 0) successes[0] = std::round(evaluate(agent, env, mine, seed_of_rank(comm.rank())).success_rate * mine);
  comm.allreduce_sum(successes);
  return successes[0] / episodes;
}

std::uint64_t episode_seed(const TrainConfig& cfg, const char* purpose, int rank, std::uint64_t index) {
  return derive_seed(derive_seed(derive_seed(cfg.seed, purpose), static_cast<std::uint64_t>(rank)), index);
}

learn::Trajectory record_trajectory(GoalEnv& env, std::uint64_t seed,
                                    const std::function<std::vector<double>(const GoalObs&)>& policy) {
  learn::Trajectory t;
  GoalObs o = env.reset(seed);
  t.T = env.max_episode_steps();
  for (int s = 0; s < t.T; ++s) {
    t.obs.insert(t.obs.end(), o.observation.begin(), o.observation.end());
    t.ag.insert(t.ag.end(), o.achieved_goal.begin(), o.achieved_goal.end());
    t.g.insert(t.g.end(), o.desired_goal.begin(), o.desired_goal.end());
    const std::vector<double> a = policy(o);
    t.actions.insert(t.actions.end(), a.begin(), a.end());
    o = env.step(a).obs;
  }
  t.obs.insert(t.obs.end(), o.observation.begin(), o.observation.end());
  t.ag.insert(t.ag.end(), o.achieved_goal.begin(), o.achieved_goal.end());
  return t;
}

}  // namespace hindsight::train
