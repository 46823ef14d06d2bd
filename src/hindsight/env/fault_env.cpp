#include "hindsight/env/fault_env.hpp"

#include <charconv>
#include <cstdlib>
#include <limits>

#include "hindsight/core/error.hpp"

namespace hindsight {
namespace {

constexpr const char* kVariable = "HINDSIGHT_TEST_NONFINITE";

class FaultEnv final : public GoalEnv {
 public:
  FaultEnv(std::unique_ptr<GoalEnv> inner, FaultPlan plan) : inner_(std::move(inner)), plan_(plan) {}

  std::string name() const override { return inner_->name(); }
  const Box& action_space() const override { return inner_->action_space(); }
  const Box& observation_space() const override { return inner_->observation_space(); }
  const Box& goal_space() const override { return inner_->goal_space(); }
  int max_episode_steps() const override { return inner_->max_episode_steps(); }
  double control_dt() const override { return inner_->control_dt(); }
  GoalObs reset(std::optional<std::uint64_t> seed) override { return inner_->reset(seed); }

  StepResult step(std::span<const double> action) override {
    StepResult r = inner_->step(action);
    if (plan_.kind == FaultPlan::Kind::observation_nan && ++steps_ == plan_.at) {
      r.obs.observation.at(0) = std::numeric_limits<double>::quiet_NaN();
    }
    return r;
  }

  void compute_reward(std::span<const double> achieved, std::span<const double> desired,
                      std::span<double> out) const override {
    inner_->compute_reward(achieved, desired, out);
    if (plan_.kind == FaultPlan::Kind::reward_nan && ++reward_calls_ == plan_.at && !out.empty()) {
      out[0] = std::numeric_limits<double>::quiet_NaN();
    }
  }

  bool is_success(std::span<const double> achieved, std::span<const double> desired) const override {
    return inner_->is_success(achieved, desired);
  }
  SubgoalSpec default_subgoal_spec() const override { return inner_->default_subgoal_spec(); }
  const mjModel* mj_model() const override { return inner_->mj_model(); }
  mjData* mj_data() const override { return inner_->mj_data(); }

 private:
  std::unique_ptr<GoalEnv> inner_;
  FaultPlan plan_;
  long steps_ = 0;
  mutable long reward_calls_ = 0;  // compute_reward is const (pure for callers); the hook counts anyway
};

}  // namespace

FaultPlan parse_fault_plan(const std::string& text) {
  const std::string usage = std::string(kVariable) + "='" + text +
                            "': expected KIND@N with KIND observation_nan or reward_nan and N >= 1";
  const auto at = text.find('@');
  check(at != std::string::npos, usage);
  const std::string kind = text.substr(0, at), count = text.substr(at + 1);
  FaultPlan plan;
  if (kind == "observation_nan") {
    plan.kind = FaultPlan::Kind::observation_nan;
  } else if (kind == "reward_nan") {
    plan.kind = FaultPlan::Kind::reward_nan;
  } else {
    throw Error(usage);
  }
  const auto [end, ec] = std::from_chars(count.data(), count.data() + count.size(), plan.at);
  check(ec == std::errc() && end == count.data() + count.size() && plan.at >= 1, usage);
  return plan;
}

std::optional<FaultPlan> fault_plan_from_environment() {
  const char* v = std::getenv(kVariable);
  if (v == nullptr || *v == '\0') return std::nullopt;
  return parse_fault_plan(v);
}

std::unique_ptr<GoalEnv> with_fault(std::unique_ptr<GoalEnv> env, FaultPlan plan) {
  return std::make_unique<FaultEnv>(std::move(env), plan);
}

}  // namespace hindsight
