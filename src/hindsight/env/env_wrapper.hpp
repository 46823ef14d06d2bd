#pragma once
// A GoalEnv that forwards every call to an inner env: wrappers (fault injection, chosen goals) derive from
// it and override only what they change, so a virtual added to GoalEnv reaches every wrapper at once.
#include "hindsight/env/goal_env.hpp"

namespace hindsight {

class EnvWrapper : public GoalEnv {
 public:
  // Forwards to inner, which must outlive this wrapper.
  explicit EnvWrapper(GoalEnv& inner) : inner_(&inner) {}

  std::string name() const override { return inner_->name(); }
  const Box& action_space() const override { return inner_->action_space(); }
  const Box& observation_space() const override { return inner_->observation_space(); }
  const Box& goal_space() const override { return inner_->goal_space(); }
  int max_episode_steps() const override { return inner_->max_episode_steps(); }
  double control_dt() const override { return inner_->control_dt(); }
  bool terminates_on_success() const override { return inner_->terminates_on_success(); }
  GoalObs reset(std::optional<std::uint64_t> seed = std::nullopt) override { return inner_->reset(seed); }
  StepResult step(std::span<const double> action) override { return inner_->step(action); }
  void compute_reward(std::span<const double> achieved, std::span<const double> desired,
                      std::span<double> out) const override {
    inner_->compute_reward(achieved, desired, out);
  }
  bool is_success(std::span<const double> achieved, std::span<const double> desired) const override {
    return inner_->is_success(achieved, desired);
  }
  SubgoalSpec default_subgoal_spec() const override { return inner_->default_subgoal_spec(); }
  SubgoalSpec subgoal_candidates() const override { return inner_->subgoal_candidates(); }
  const mjModel* mj_model() const override { return inner_->mj_model(); }
  mjData* mj_data() const override { return inner_->mj_data(); }

 protected:
  // The wrapped env.
  GoalEnv& inner() const { return *inner_; }

 private:
  GoalEnv* inner_;
};

}  // namespace hindsight
