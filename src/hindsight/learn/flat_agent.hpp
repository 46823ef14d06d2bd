#pragma once
// DDPG + HER with a single level acting directly in the env (the OpenAI baselines HER agent).
#include "hindsight/learn/agent.hpp"

namespace hindsight::learn {

class FlatAgent final : public Agent {
 public:
  // One level over env's observation, goal and action spaces.
  FlatAgent(const GoalEnv& env, LevelConfig cfg, std::uint64_t seed);

  EpisodeOutcome run_episode(GoalEnv& env, std::uint64_t seed, bool train,
                             const StepObserver& observer = {}) override;
  void train_step() override;
  void update_targets() override { level_.update_targets(); }
  void observe_warmup(const Trajectory& trajectory) override;
  void store_demo(const Trajectory& trajectory, bool feed_normalizers) override;
  std::vector<Level*> levels() override { return {&level_}; }
  std::vector<std::string> metric_columns() const override;
  std::map<std::string, double> take_epoch_metrics() override;
  Rng& rng() override { return rng_; }

 private:
  Level level_;
  Rng rng_;
  LevelStats stats_;
  long episodes_ = 0, successes_ = 0, steps_ = 0;
  double reward_sum_ = 0.0;
};

// The LevelSpec of a level acting directly in env (its spaces, episode length and reward).
LevelSpec env_level_spec(const GoalEnv& env);
// A learn::EpisodeData from a trajectory, with unit actions (T x action) supplied separately.
learn::EpisodeData to_episode_data(const Trajectory& t, std::vector<float> unit_actions);

}  // namespace hindsight::learn
