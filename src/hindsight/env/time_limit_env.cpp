#include "hindsight/env/time_limit_env.hpp"

#include "hindsight/core/error.hpp"

namespace hindsight {

TimeLimitEnv::TimeLimitEnv(std::unique_ptr<GoalEnv> inner, int max_episode_steps)
    : EnvWrapper(*inner), owned_(std::move(inner)), max_steps_(max_episode_steps) {
  check(max_steps_ >= 1, "max_episode_steps must be at least 1, got " + std::to_string(max_steps_));
}

GoalObs TimeLimitEnv::reset(std::optional<std::uint64_t> seed) {
  steps_ = 0;
  return inner().reset(seed);
}

StepResult TimeLimitEnv::step(std::span<const double> action) {
  StepResult r = inner().step(action);
  ++steps_;
  r.truncated = steps_ >= max_steps_;
  return r;
}

std::unique_ptr<GoalEnv> with_time_limit(std::unique_ptr<GoalEnv> env, std::optional<int> max_episode_steps) {
  if (!max_episode_steps) return env;
  return std::make_unique<TimeLimitEnv>(std::move(env), *max_episode_steps);
}

}  // namespace hindsight
