#include "hindsight/env/fault_env.hpp"

#include <charconv>
#include <cstdlib>
#include <limits>

#include "hindsight/core/error.hpp"
#include "hindsight/env/env_wrapper.hpp"

namespace hindsight {
namespace {

constexpr const char* kVariable = "HINDSIGHT_TEST_NONFINITE";

// Owns the env it wraps; changes only what the plan injects.
class FaultEnv final : public EnvWrapper {
 public:
  FaultEnv(std::unique_ptr<GoalEnv> inner, FaultPlan plan)
      : EnvWrapper(*inner), owned_(std::move(inner)), plan_(plan) {}

  StepResult step(std::span<const double> action) override {
    StepResult r = inner().step(action);
    if (plan_.kind == FaultPlan::Kind::observation_nan && ++steps_ == plan_.at) {
      r.obs.observation.at(0) = std::numeric_limits<double>::quiet_NaN();
    }
    return r;
  }

  void compute_reward(std::span<const double> achieved, std::span<const double> desired,
                      std::span<double> out) const override {
    inner().compute_reward(achieved, desired, out);
    if (plan_.kind == FaultPlan::Kind::reward_nan && ++reward_calls_ == plan_.at && !out.empty()) {
      out[0] = std::numeric_limits<double>::quiet_NaN();
    }
  }

 private:
  std::unique_ptr<GoalEnv> owned_;
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
