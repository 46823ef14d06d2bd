#pragma once
// An env with a time limit of one's choosing (Gymnasium's max_episode_steps): the wrapped env's own
// truncation is replaced by a count of steps since the last reset, so an episode may run longer or
// shorter than the task's default. Everything else is the wrapped env's.
#include <memory>

#include "hindsight/env/env_wrapper.hpp"

namespace hindsight {

class TimeLimitEnv final : public EnvWrapper {
 public:
  // Owns inner; episodes are truncated after max_episode_steps (>= 1, else Error) control steps.
  TimeLimitEnv(std::unique_ptr<GoalEnv> inner, int max_episode_steps);

  int max_episode_steps() const override { return max_steps_; }
  GoalObs reset(std::optional<std::uint64_t> seed = std::nullopt) override;
  // The inner step, truncated when this episode's count of steps reaches the limit.
  StepResult step(std::span<const double> action) override;

 private:
  std::unique_ptr<GoalEnv> owned_;
  int max_steps_;
  int steps_ = 0;
};

// env under a time limit of max_episode_steps when one is given, else env itself.
std::unique_ptr<GoalEnv> with_time_limit(std::unique_ptr<GoalEnv> env, std::optional<int> max_episode_steps);

}  // namespace hindsight
