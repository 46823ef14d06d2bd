#include "hindsight/env/fetch/scripted_expert.hpp"

#include <algorithm>
#include <cmath>

#include "hindsight/core/error.hpp"
#include "hindsight/env/fetch/fetch_scene.hpp"

namespace hindsight::fetch {
namespace {

constexpr double kGain = 10.0;  // proportional gain: action per metre of error (0.1 m saturates)

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
    if (dist < 1e-6) return a;
    ux /= dist;
    uy /= dist;
    // Contact point behind the block on the line from goal through block.
    const double standoff = kBlockHalf + 0.022;
    const double behind[2] = {obj[0] - standoff * ux, obj[1] - standoff * uy};
    const double rx = grip[0] - obj[0], ry = grip[1] - obj[1];
    const double along = rx * ux + ry * uy;          // < 0 when the gripper is behind the block
    const double lateral = std::abs(-rx * uy + ry * ux);
    const double push_z = obj[2] + 0.005;
    const bool aligned = along < -0.02 && lateral < 0.012;
    if (aligned && grip[2] < obj[2] + 0.03) {
      // Push: drive through the block toward the goal, correcting the lateral offset.
      const double push = std::min(1.0, kGain * (dist + 0.01));
      const double lat_x = behind[0] + (dist > 0 ? 0 : 0) - grip[0], lat_y = behind[1] - grip[1];
      const double corr = -rx * uy + ry * ux;  // signed lateral offset
      a[0] = std::clamp(push * ux - kGain * corr * (-uy) + 0.0 * lat_x, -1.0, 1.0);
      a[1] = std::clamp(push * uy - kGain * corr * ux + 0.0 * lat_y, -1.0, 1.0);
      a[2] = std::clamp(kGain * (push_z - grip[2]), -1.0, 1.0);
    } else {
      // Go behind the block: above it while far, then down to pushing height.
      const bool near_behind = norm2(grip[0] - behind[0], grip[1] - behind[1]) < 0.012;
      const double safe_z = obj[2] + 0.06;
      double target[3] = {behind[0], behind[1], near_behind ? push_z : safe_z};
      if (!near_behind && grip[2] < obj[2] + 0.04) target[0] = grip[0], target[1] = grip[1];  // lift first
      move_toward(grip, target, a);
    }
    return a;
  }
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
