// Facts of the Fetch family checked against the published specification (shared/DESIGN.md).
#include "hindsight/env/fetch/fetch_env.hpp"

#include <gtest/gtest.h>
#include <mujoco/mujoco.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "hindsight/core/error.hpp"
#include "hindsight/env/fetch/fetch_scene.hpp"

namespace hindsight::fetch {
namespace {

std::vector<double> random_action(Rng& rng) {
  return {rng.uniform(-1, 1), rng.uniform(-1, 1), rng.uniform(-1, 1), rng.uniform(-1, 1)};
}

double dist(const std::vector<double>& a, const std::vector<double>& b) {
  double s = 0;
  for (std::size_t i = 0; i < a.size(); ++i) s += (a[i] - b[i]) * (a[i] - b[i]);
  return std::sqrt(s);
}

TEST(FetchEnv, SpacesAndTiming) {
  FetchEnv pp(pick_and_place_config()), reach(reach_config());
  EXPECT_EQ(pp.observation_space().size(), 25u);
  EXPECT_EQ(reach.observation_space().size(), 10u);
  EXPECT_EQ(pp.action_space().size(), 4u);
  EXPECT_EQ(pp.goal_space().size(), 3u);
  EXPECT_EQ(pp.max_episode_steps(), 50);
  EXPECT_FALSE(pp.terminates_on_success());  // Gymnasium-Robotics: every episode runs its 50 steps
  EXPECT_DOUBLE_EQ(pp.mj_model()->opt.timestep, 0.002);
  EXPECT_NEAR(pp.control_dt(), 0.04, 1e-15);
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(pp.action_space().low[i], -1.0);
    EXPECT_EQ(pp.action_space().high[i], 1.0);
  }
}

TEST(FetchEnv, WorldFrameFacts) {
  FetchEnv env(pick_and_place_config());
  const mjModel* m = env.mj_model();
  const int table = mj_name2id(m, mjOBJ_GEOM, "table_top");
  ASSERT_GE(table, 0);
  mjData* d = env.mj_data();
  env.reset(0);
  EXPECT_NEAR(d->geom_xpos[3 * table + 0], 1.3, 1e-12);
  EXPECT_NEAR(d->geom_xpos[3 * table + 1], 0.75, 1e-12);
  EXPECT_NEAR(d->geom_xpos[3 * table + 2] + m->geom_size[3 * table + 2], kTableTopZ, 1e-12);
  const int block = mj_name2id(m, mjOBJ_GEOM, "object0");
  for (int k = 0; k < 3; ++k) EXPECT_DOUBLE_EQ(m->geom_size[3 * block + k], 0.025);  // a 0.05 m cube
  const auto& g = env.initial_gripper_pos();
  EXPECT_NEAR(g[0], 1.342, 0.005);
  EXPECT_NEAR(g[1], 0.749, 0.005);
  EXPECT_NEAR(g[2], 0.535, 0.005);
  EXPECT_NEAR(env.height_offset(), kTableTopZ + kBlockHalf, 0.002);  // block resting on the table
}

TEST(FetchEnv, ObservationLayout) {
  FetchEnv env(pick_and_place_config());
  env.reset(3);
  Rng rng(1);
  StepResult r;
  for (int t = 0; t < 10; ++t) r = env.step(random_action(rng));
  const auto& o = r.obs.observation;
  ASSERT_EQ(o.size(), 25u);
  const mjModel* m = env.mj_model();
  const mjData* d = env.mj_data();
  const int grip = mj_name2id(m, mjOBJ_SITE, "grip"), obj = mj_name2id(m, mjOBJ_SITE, "object0");
  for (int k = 0; k < 3; ++k) {
    EXPECT_DOUBLE_EQ(o[k], d->site_xpos[3 * grip + k]);     // gripper position
    EXPECT_DOUBLE_EQ(o[3 + k], d->site_xpos[3 * obj + k]);  // object position
    EXPECT_DOUBLE_EQ(o[6 + k], o[3 + k] - o[k]);            // object minus gripper
    EXPECT_DOUBLE_EQ(r.obs.achieved_goal[k], o[3 + k]);     // achieved goal = object position
  }
  // Fingers: positions 9..10, velocities 23..24 scaled by the 0.04 s control period.
  const int fl = m->jnt_qposadr[mj_name2id(m, mjOBJ_JOINT, "finger_l")];
  const int fr = m->jnt_qposadr[mj_name2id(m, mjOBJ_JOINT, "finger_r")];
  const int vl = m->jnt_dofadr[mj_name2id(m, mjOBJ_JOINT, "finger_l")];
  const int vr = m->jnt_dofadr[mj_name2id(m, mjOBJ_JOINT, "finger_r")];
  EXPECT_DOUBLE_EQ(o[9], d->qpos[fl]);
  EXPECT_DOUBLE_EQ(o[10], d->qpos[fr]);
  EXPECT_DOUBLE_EQ(o[23], d->qvel[vl] * 0.04);
  EXPECT_DOUBLE_EQ(o[24], d->qvel[vr] * 0.04);
  // Rotation 11..13; velocities: object linear minus gripper linear (14..16), object angular (17..19),
  // gripper linear (20..22).
  double gv[6], ov[6];
  mj_objectVelocity(m, d, mjOBJ_SITE, grip, gv, 0);
  mj_objectVelocity(m, d, mjOBJ_SITE, obj, ov, 0);
  for (int k = 0; k < 3; ++k) {
    EXPECT_NEAR(o[20 + k], gv[3 + k] * 0.04, 1e-15);
    EXPECT_NEAR(o[14 + k], ov[3 + k] * 0.04 - gv[3 + k] * 0.04, 1e-15);
    EXPECT_NEAR(o[17 + k], ov[k] * 0.04, 1e-15);
  }
  // Moving along +x gives a positive x velocity, a fraction of the 0.05 m commanded per step.
  const auto r2 = env.step(std::vector<double>{1.0, 0.0, 0.0, 0.0});
  EXPECT_GT(r2.obs.observation[20], 0.0);
  EXPECT_LT(r2.obs.observation[20], 0.05);
}

TEST(FetchEnv, EulerAnglesFollowThePublishedConvention) {
  const double identity[9] = {1, 0, 0, 0, 1, 0, 0, 0, 1};
  const auto e0 = mat2euler(identity);
  for (double v : e0) EXPECT_DOUBLE_EQ(v, 0.0);
  // A rotation of 0.3 rad about z: R = [[c,-s,0],[s,c,0],[0,0,1]] gives euler z = 0.3.
  const double c = std::cos(0.3), s = std::sin(0.3);
  const double rz[9] = {c, -s, 0, s, c, 0, 0, 0, 1};
  const auto ez = mat2euler(rz);
  EXPECT_NEAR(ez[0], 0.0, 1e-12);
  EXPECT_NEAR(ez[1], 0.0, 1e-12);
  EXPECT_NEAR(ez[2], 0.3, 1e-12);
}

TEST(FetchEnv, ReachObservationLayout) {
  FetchEnv env(reach_config());
  const GoalObs o = env.reset(1);
  ASSERT_EQ(o.observation.size(), 10u);
  for (int k = 0; k < 3; ++k) EXPECT_DOUBLE_EQ(o.achieved_goal[k], o.observation[k]);  // gripper position
  EXPECT_DOUBLE_EQ(o.observation[3], 0.0);  // fingers held closed
  EXPECT_DOUBLE_EQ(o.observation[4], 0.0);
}

TEST(FetchEnv, RewardAndSuccessAtTheThreshold) {
  FetchEnv env(push_config());
  const std::vector<double> g{1.3, 0.75, 0.425};
  auto at = [&](double d) { return std::vector<double>{g[0] + d, g[1], g[2]}; };
  EXPECT_EQ(env.reward(at(0.0499), g), 0.0);
  EXPECT_TRUE(env.is_success(at(0.0499), g));
  EXPECT_EQ(env.reward(at(0.0501), g), -1.0);
  EXPECT_FALSE(env.is_success(at(0.0501), g));
  // Exactly at 0.05 m the published definitions disagree: reward is -(d > 0.05) = 0, success is d < 0.05.
  const std::vector<double> a{0.0, 0.0, 0.0}, b{0.05, 0.0, 0.0};
  EXPECT_EQ(env.reward(a, b), 0.0);
  EXPECT_FALSE(env.is_success(a, b));
  // Batched and pure: two pairs at once, same answers as one at a time.
  const std::vector<double> ach{0, 0, 0, 0, 0, 0}, des{0.01, 0, 0, 0.2, 0, 0};
  std::vector<double> out(2);
  env.compute_reward(ach, des, out);
  EXPECT_EQ(out[0], 0.0);
  EXPECT_EQ(out[1], -1.0);
  EXPECT_THROW(env.compute_reward(ach, des, std::span<double>(out.data(), 1)), Error);
}

TEST(FetchEnv, StepRewardMatchesComputeReward) {
  FetchEnv env(pick_and_place_config());
  env.reset(5);
  Rng rng(5);
  for (int t = 0; t < 50; ++t) {
    const auto r = env.step(random_action(rng));
    EXPECT_EQ(r.reward, env.reward(r.obs.achieved_goal, r.obs.desired_goal));
    EXPECT_EQ(r.success, dist(r.obs.achieved_goal, r.obs.desired_goal) < 0.05);
    EXPECT_EQ(r.truncated, t == 49);
  }
}

TEST(FetchEnv, ResetDistributions) {
  FetchEnv env(pick_and_place_config());
  const auto g0 = env.initial_gripper_pos();
  const int n = 2000;
  int lifted = 0;
  for (int s = 0; s < n; ++s) {
    const GoalObs o = env.reset(static_cast<std::uint64_t>(s));
    const double ox = o.observation[3], oy = o.observation[4], oz = o.observation[5];
    const double gx = o.observation[0], gy = o.observation[1];
    EXPECT_GT(std::hypot(ox - gx, oy - gy), 0.1);
    EXPECT_LE(std::abs(ox - g0[0]), 0.15);
    EXPECT_LE(std::abs(oy - g0[1]), 0.15);
    EXPECT_NEAR(oz, env.height_offset(), 1e-9);  // on the table
    const auto& g = o.desired_goal;
    EXPECT_LE(std::abs(g[0] - g0[0]), 0.15);
    EXPECT_LE(std::abs(g[1] - g0[1]), 0.15);
    EXPECT_GE(g[2], env.height_offset());
    EXPECT_LE(g[2], env.height_offset() + 0.45);
    if (g[2] > env.height_offset()) ++lifted;
  }
  // 50% lifted goals: a binomial(2000, 0.5) stays within +-0.05 with overwhelming probability.
  EXPECT_NEAR(static_cast<double>(lifted) / n, 0.5, 0.05);
}

TEST(FetchEnv, PushGoalsStayOnTheTable) {
  FetchEnv env(push_config());
  for (int s = 0; s < 500; ++s) {
    const GoalObs o = env.reset(static_cast<std::uint64_t>(s));
    EXPECT_DOUBLE_EQ(o.desired_goal[2], env.height_offset());
  }
}

TEST(FetchEnv, ReachGoalsAroundTheGripper) {
  FetchEnv env(reach_config());
  const auto g0 = env.initial_gripper_pos();
  double zmin = 1e9, zmax = -1e9;
  for (int s = 0; s < 500; ++s) {
    const GoalObs o = env.reset(static_cast<std::uint64_t>(s));
    for (int k = 0; k < 3; ++k) EXPECT_LE(std::abs(o.desired_goal[k] - g0[k]), 0.15);
    zmin = std::min(zmin, o.desired_goal[2] - g0[2]);
    zmax = std::max(zmax, o.desired_goal[2] - g0[2]);
  }
  EXPECT_LT(zmin, -0.13);  // the whole +-0.15 range is used
  EXPECT_GT(zmax, 0.13);
}

std::vector<std::vector<double>> trajectory(FetchEnv& env, std::uint64_t seed, double action_gain = 1.0) {
  std::vector<std::vector<double>> out;
  out.push_back(env.reset(seed).observation);
  Rng rng(seed + 100);
  for (int t = 0; t < 50; ++t) {
    auto a = random_action(rng);
    for (auto& v : a) v *= action_gain;
    out.push_back(env.step(a).obs.observation);
  }
  return out;
}

TEST(FetchEnv, SameSeedBitIdenticalDifferentSeedDiffers) {
  FetchEnv a(pick_and_place_config()), b(pick_and_place_config());
  const auto ta = trajectory(a, 11), tb = trajectory(b, 11);
  ASSERT_EQ(ta.size(), tb.size());
  for (std::size_t t = 0; t < ta.size(); ++t) {
    for (std::size_t i = 0; i < ta[t].size(); ++i) ASSERT_EQ(ta[t][i], tb[t][i]) << "t=" << t << " i=" << i;
  }
  // Resetting the same env with the same seed reproduces it too.
  const auto ta2 = trajectory(a, 11);
  EXPECT_EQ(ta, ta2);
  const auto tc = trajectory(a, 12);
  EXPECT_NE(ta.front(), tc.front());
}

TEST(FetchEnv, ActionsAreClippedToTheBox) {
  FetchEnv a(pick_and_place_config()), b(pick_and_place_config());
  a.reset(4);
  b.reset(4);
  for (int t = 0; t < 10; ++t) {
    const auto ra = a.step(std::vector<double>{5.0, -7.0, 2.0, -3.0});
    const auto rb = b.step(std::vector<double>{1.0, -1.0, 1.0, -1.0});
    EXPECT_EQ(ra.obs.observation, rb.obs.observation);
  }
  // One unit of action moves the gripper by at most 0.05 m per step.
  FetchEnv c(reach_config());
  const auto o0 = c.reset(0).observation;
  const auto o1 = c.step(std::vector<double>{0.0, 1.0, 0.0, 0.0}).obs.observation;
  EXPECT_LE(o1[1] - o0[1], 0.05 + 1e-6);
  EXPECT_GT(o1[1] - o0[1], 0.03);
}

TEST(FetchEnv, BadActionsAreClearErrors) {
  FetchEnv env(reach_config());
  env.reset(0);
  try {
    env.step(std::vector<double>{0.0, 0.0, 0.0});
    FAIL() << "wrong size accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("expected 4"), std::string::npos) << e.what();
  }
  try {
    env.step(std::vector<double>{0.0, std::nan(""), 0.0, 0.0});
    FAIL() << "NaN accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("action[1]"), std::string::npos) << e.what();
  }
}

TEST(FetchEnv, NoMuJoCoWarningsUnderRandomActions) {
  for (auto cfg : {reach_config(), push_config(), pick_and_place_config()}) {
    FetchEnv env(cfg);
    Rng rng(9);
    for (int e = 0; e < 20; ++e) {
      env.reset(static_cast<std::uint64_t>(e));
      for (int t = 0; t < 50; ++t) ASSERT_NO_THROW(env.step(random_action(rng))) << cfg.name;
      ASSERT_EQ(mj_warning_total(env.mj_data()), 0) << cfg.name;
    }
  }
}

TEST(FetchEnv, MuJoCoWarningStopsTheStep) {
  FetchEnv env(pick_and_place_config());
  env.reset(0);
  env.mj_data()->qvel[0] = std::numeric_limits<double>::quiet_NaN();  // a corrupted state
  try {
    env.step(std::vector<double>{0, 0, 0, 0});
    FAIL() << "a MuJoCo warning went unnoticed";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("MuJoCo warning"), std::string::npos) << e.what();
  }
}

TEST(FetchEnv, ClosingTheFingersGraspsAndLiftsTheBlock) {
  FetchEnv env(pick_and_place_config());
  env.reset(0);
  const double z0 = env.height_offset();
  const auto g = env.initial_gripper_pos();
  env.set_object_position({g[0], g[1], z0});
  GoalObs o;
  auto run = [&](double gz, double grip, int steps) {
    for (int t = 0; t < steps; ++t) {
      const auto r = env.step(std::vector<double>{0, 0, std::clamp(20.0 * (gz - o.observation[2]), -1.0, 1.0), grip});
      o = r.obs;
    }
  };
  o = env.step(std::vector<double>{0, 0, 0, 1}).obs;
  run(z0, 1.0, 8);    // open and descend around the block
  run(z0, -1.0, 5);   // close
  run(z0 + 0.2, -1.0, 12);  // lift
  EXPECT_GT(o.observation[5], z0 + 0.15) << "block not lifted";
  EXPECT_NEAR(o.observation[9], kBlockHalf, 0.005);  // fingers stopped by the block's faces
  run(z0 + 0.2, 1.0, 10);  // open: the block falls back to the table
  EXPECT_LT(o.observation[5], z0 + 0.01);
}

TEST(FetchEnv, FingerSubgoalsReadTheFingersOpening) {
  FetchEnv env(pick_and_place_config());
  const SubgoalSpec s = env.subgoal_candidates();
  ASSERT_EQ(s.obs_indices, (std::vector<int>{0, 1, 2, 3, 4, 5, 9, 10, 20, 21, 22}));
  EXPECT_EQ(env.default_subgoal_spec().obs_indices, (std::vector<int>{0, 1, 2, 3, 4, 5}));
  env.reset(0);
  GoalObs o;
  for (int t = 0; t < 10; ++t) o = env.step(std::vector<double>{0, 0, 0, 1}).obs;  // open
  for (int k : {9, 10}) EXPECT_NEAR(o.observation[static_cast<std::size_t>(k)], s.bounds.high[6], s.thresholds[6]) << k;
  for (int t = 0; t < 10; ++t) o = env.step(std::vector<double>{0, 0, 0, -1}).obs;  // close on nothing
  for (int k : {9, 10}) EXPECT_NEAR(o.observation[static_cast<std::size_t>(k)], s.bounds.low[6], s.thresholds[6]) << k;
  // Held closed on Push and Reach: the default and the gripper's velocity.
  EXPECT_EQ(FetchEnv(push_config()).subgoal_candidates().obs_indices,
            (std::vector<int>{0, 1, 2, 3, 4, 5, 20, 21, 22}));
  EXPECT_EQ(FetchEnv(reach_config()).subgoal_candidates().obs_indices, (std::vector<int>{0, 1, 2, 5, 6, 7}));
}

TEST(FetchEnv, GripperVelocitySubgoalsSpanItsSpeedAndReadZeroAtRest) {
  for (const FetchTaskConfig& cfg : {push_config(), reach_config()}) {
    FetchEnv env(cfg);
    const SubgoalSpec s = env.subgoal_candidates();
    const std::size_t n = s.obs_indices.size();
    ASSERT_GE(n, 3u);
    GoalObs o = env.reset(3);
    for (std::size_t d = n - 3; d < n; ++d) {
      EXPECT_NEAR(o.observation[static_cast<std::size_t>(s.obs_indices[d])], 0.0, s.thresholds[d]) << "at rest";
      EXPECT_EQ(s.bounds.low[d], -s.bounds.high[d]);
    }
    // Full speed along each axis in turn (up, then x and y back and forth over the table): every velocity
    // read lies inside the bounds, and the fastest fills most of them.
    double fastest = 0.0;
    for (int axis = 0; axis < 3; ++axis) {
      for (double sign : {1.0, -1.0}) {
        for (int t = 0; t < 4; ++t) {
          std::vector<double> a(4, 0.0);
          a[static_cast<std::size_t>(axis)] = axis == 2 ? 1.0 : sign;
          o = env.step(a).obs;
          for (std::size_t d = n - 3; d < n; ++d) {
            const double v = o.observation[static_cast<std::size_t>(s.obs_indices[d])];
            EXPECT_GT(v, s.bounds.low[d]);
            EXPECT_LT(v, s.bounds.high[d]);
            fastest = std::max(fastest, std::abs(v));
          }
        }
      }
    }
    EXPECT_GT(fastest, 0.6 * s.bounds.high[n - 1]) << env.name();
    EXPECT_LE(s.thresholds[n - 1], 0.25 * s.bounds.high[n - 1]) << "a subgoal can ask to be nearly still";
  }
}

}  // namespace
}  // namespace hindsight::fetch
