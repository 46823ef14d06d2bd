#include "hindsight/env/fetch/scripted_expert.hpp"

#include <algorithm>
#include <cmath>

#include "hindsight/core/error.hpp"
#include "hindsight/env/fetch/fetch_scene.hpp"

namespace hindsight::fetch {
namespace {

constexpr double kGain = 20.0;  // proportional gain: action per metre of error (0.05 m saturates)

// Proportional move of the gripper toward target, saturated to [-1, 1].
void move_toward(const double* grip, const double* target, std::vector<double>& a) {
  for (int k = 0; k < 3; ++k) a[k] = std::clamp(kGain * (target[k] - grip[k]), -1.0, 1.0);
}

double norm2(double x, double y) { return std::sqrt(x * x + y * y); }

class ReachExpert final : public ScriptedExpert {
 public:
  void reset() override {}
  std::vector<double> act(const GoalObs& o) override {
    std::vector<double> a(4, 0.0);
    move_toward(o.observation.data(), o.desired_goal.data(), a);
    return a;
  }
};

class PickAndPlaceExpert final : public ScriptedExpert {
 public:
  void reset() override { phase_ = Phase::kApproach, close_steps_ = 0; }
  std::vector<double> act(const GoalObs& o) override {
    const double* grip = &o.observation[0];
    const double* obj = &o.observation[3];
    const double* goal = o.desired_goal.data();
    std::vector<double> a(4, 0.0);
    const double dxy = norm2(obj[0] - grip[0], obj[1] - grip[1]);
    switch (phase_) {
      case Phase::kApproach: {  // hover above the block with open fingers
        const double above[3] = {obj[0], obj[1], obj[2] + 0.08};
        move_toward(grip, above, a);
        a[3] = 1.0;
        if (dxy < 0.01 && std::abs(grip[2] - above[2]) < 0.03) phase_ = Phase::kDescend;
        break;
      }
      case Phase::kDescend: {  // straight down around the block
        const double at[3] = {obj[0], obj[1], obj[2]};
        move_toward(grip, at, a);
        a[3] = 1.0;
        if (dxy > 0.02) phase_ = Phase::kApproach;
        else if (std::abs(grip[2] - obj[2]) < 0.008) phase_ = Phase::kClose;
        break;
      }
      case Phase::kClose: {  // squeeze, holding position
        const double at[3] = {obj[0], obj[1], obj[2]};
        move_toward(grip, at, a);
        a[3] = -1.0;
        if (++close_steps_ >= 4) phase_ = Phase::kCarry;
        break;
      }
      case Phase::kCarry: {  // move the held block onto the goal
        // Aim the gripper so the block (offset from the grip point) lands on the goal.
        const double target[3] = {goal[0] + grip[0] - obj[0], goal[1] + grip[1] - obj[1], goal[2] + grip[2] - obj[2]};
        move_toward(grip, target, a);
        a[3] = -1.0;
        if (norm2(obj[0] - grip[0], obj[1] - grip[1]) > 0.03 || std::abs(obj[2] - grip[2]) > 0.03) {
          phase_ = Phase::kApproach;  // dropped: start over
          close_steps_ = 0;
        }
        break;
      }
    }
    return a;
  }

 private:
  enum class Phase { kApproach, kDescend, kClose, kCarry };
  Phase phase_ = Phase::kApproach;
  int close_steps_ = 0;
};

class PushExpert final : public ScriptedExpert {
 public:
  void reset() override {}
  std::vector<double> act(const GoalObs& o) override {
    const double* grip = &o.observation[0];
    const double* obj = &o.observation[3];
    const double* goal = o.desired_goal.data();
    std::vector<double> a(4, 0.0);
    double ux = goal[0] - obj[0], uy = goal[1] - obj[1];
    const double dist = norm2(ux, uy);
    if (dist < kDone) return a;  // close enough: hold still rather than overshoot
    ux /= dist;
    uy /= dist;
    // Gripper relative to the block, in the push frame (along the push direction, and across it).
    const double rx = grip[0] - obj[0], ry = grip[1] - obj[1];
    const double along = rx * ux + ry * uy;
    const double across = -rx * uy + ry * ux;
    const double push_z = obj[2] + 0.005;
    const double behind[3] = {obj[0] - kStandoff * ux, obj[1] - kStandoff * uy, push_z};
    const bool in_place = along < -(kStandoff - 0.015) && std::abs(across) < 0.012;
    if (in_place && grip[2] < obj[2] + 0.02) {
      // Push through the block toward the goal while steering back onto the push line.
      const double speed = std::min(kPushSpeed, kGain * dist);
      a[0] = std::clamp(speed * ux + kGain * across * uy, -1.0, 1.0);
      a[1] = std::clamp(speed * uy - kGain * across * ux, -1.0, 1.0);
      a[2] = std::clamp(kGain * (push_z - grip[2]), -1.0, 1.0);
    } else if (norm2(grip[0] - behind[0], grip[1] - behind[1]) < 0.01) {
      move_toward(grip, behind, a);  // right behind the block: descend to pushing height
    } else {
      // Travel above the block (lifting first if low) to the point behind it.
      const double high[3] = {behind[0], behind[1], obj[2] + kClearance};
      if (grip[2] < obj[2] + kClearance - 0.02) {
        const double up[3] = {grip[0], grip[1], high[2]};
        move_toward(grip, up, a);
      } else {
        move_toward(grip, high, a);
      }
    }
    return a;
  }

 private:
  static constexpr double kStandoff = kBlockHalf + 0.025;  // block centre to gripper centre when pushing
  static constexpr double kClearance = 0.08;               // travel height above the block centre
  static constexpr double kDone = 0.02;                    // goal distance at which pushing stops
  static constexpr double kPushSpeed = 1.0;                 // full action along the push line
};

}  // namespace

std::unique_ptr<ScriptedExpert> make_scripted_expert(const std::string& env_name) {
  if (env_name == "FetchReach") return std::make_unique<ReachExpert>();
  if (env_name == "FetchPush") return std::make_unique<PushExpert>();
  if (env_name == "FetchPickAndPlace") return std::make_unique<PickAndPlaceExpert>();
  throw Error("no scripted expert for env '" + env_name + "' (Fetch tasks only)");
}

double run_scripted_episodes(GoalEnv& env, int episodes, std::uint64_t seed) {
  check(episodes >= 1, "episodes must be >= 1");
  auto expert = make_scripted_expert(env.name());
  int successes = 0;
  for (int e = 0; e < episodes; ++e) {
    GoalObs o = env.reset(seed + static_cast<std::uint64_t>(e));
    expert->reset();
    StepResult r;
    for (int t = 0; t < env.max_episode_steps(); ++t) {
      r = env.step(expert->act(o));
      o = r.obs;
    }
    successes += r.success ? 1 : 0;
  }
  return static_cast<double>(successes) / episodes;
}

}  // namespace hindsight::fetch
