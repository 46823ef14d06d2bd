// Contact and dynamics facts of the Fetch scene against the published model (gym's assets/fetch/*.xml,
// docs/fidelity.md): the compiled model's parameters, how far a full action moves the gripper, and a
// full-speed push that must move the block with the gripper and keep it on the table.
#include <gtest/gtest.h>
#include <mujoco/mujoco.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "hindsight/env/fetch/fetch_env.hpp"
#include "hindsight/env/fetch/fetch_scene.hpp"

namespace hindsight::fetch {
namespace {

int id(const mjModel* m, mjtObj type, const char* name) {
  const int i = mj_name2id(m, type, name);
  EXPECT_GE(i, 0) << name;
  return i;
}

TEST(FetchPhysics, ContactParametersMatchThePublishedModel) {
  FetchEnv env(push_config());
  const mjModel* m = env.mj_model();
  const int block = id(m, mjOBJ_GEOM, "object0"), table = id(m, mjOBJ_GEOM, "table_top");
  for (int g : {block, table}) {
    EXPECT_DOUBLE_EQ(m->geom_friction[3 * g + 0], 1.0);  // MuJoCo's default friction, as published
    EXPECT_DOUBLE_EQ(m->geom_friction[3 * g + 1], 0.005);
    EXPECT_DOUBLE_EQ(m->geom_friction[3 * g + 2], 0.0001);
  }
  EXPECT_EQ(m->geom_condim[block], 3);
  EXPECT_NEAR(m->body_mass[m->geom_bodyid[block]], 2.0, 1e-12);
  const int free = id(m, mjOBJ_JOINT, "object0");
  for (int k = 0; k < 6; ++k) EXPECT_DOUBLE_EQ(m->dof_damping[m->jnt_dofadr[free] + k], 0.01);
  for (const char* f : {"finger_l", "finger_r"}) {
    const int g = id(m, mjOBJ_GEOM, f), j = id(m, mjOBJ_JOINT, f), a = id(m, mjOBJ_ACTUATOR, f);
    EXPECT_EQ(m->geom_condim[g], 4);
    EXPECT_DOUBLE_EQ(m->geom_friction[3 * g + 0], 1.0);
    EXPECT_DOUBLE_EQ(m->geom_friction[3 * g + 1], 0.05);
    EXPECT_DOUBLE_EQ(m->geom_friction[3 * g + 2], 0.01);
    EXPECT_DOUBLE_EQ(m->geom_margin[g], 0.001);
    EXPECT_DOUBLE_EQ(m->geom_solref[mjNREF * g + 0], 0.01);
    EXPECT_DOUBLE_EQ(m->geom_solimp[mjNIMP * g + 0], 0.99);
    EXPECT_DOUBLE_EQ(m->geom_solimp[mjNIMP * g + 2], 0.01);
    EXPECT_DOUBLE_EQ(m->geom_size[3 * g + 0], 0.0135);  // published half-extents 0.0385 x 0.007 x 0.0135
    EXPECT_DOUBLE_EQ(m->geom_size[3 * g + 1], 0.007);
    EXPECT_DOUBLE_EQ(m->geom_size[3 * g + 2], 0.0385);
    EXPECT_DOUBLE_EQ(m->dof_armature[m->jnt_dofadr[j]], 100.0);
    EXPECT_DOUBLE_EQ(m->dof_damping[m->jnt_dofadr[j]], 1000.0);
    EXPECT_DOUBLE_EQ(m->actuator_gainprm[mjNGAIN * a], 30000.0);
    EXPECT_DOUBLE_EQ(m->actuator_ctrlrange[2 * a + 1], 0.2);
  }
  ASSERT_EQ(m->neq, 1);
  EXPECT_DOUBLE_EQ(m->eq_solref[0], 0.02);  // the mocap weld: published solref 0.02 1
  EXPECT_DOUBLE_EQ(m->eq_solref[1], 1.0);
  EXPECT_DOUBLE_EQ(m->eq_solimp[0], 0.9);
  EXPECT_DOUBLE_EQ(m->eq_solimp[1], 0.95);
  EXPECT_DOUBLE_EQ(m->eq_solimp[2], 0.001);
}

TEST(FetchPhysics, ClosedFingersLeaveThePublishedGap) {
  FetchEnv env(push_config());
  env.reset(0);
  const mjModel* m = env.mj_model();
  const mjData* d = env.mj_data();
  const int l = id(m, mjOBJ_GEOM, "finger_l"), r = id(m, mjOBJ_GEOM, "finger_r");
  const double gap = (d->geom_xpos[3 * l + 1] - 0.007) - (d->geom_xpos[3 * r + 1] + 0.007);
  EXPECT_NEAR(gap, 0.0018, 2e-4);
}

TEST(FetchPhysics, AFullActionStepMovesTheGripperAsFarAsThePublishedArm) {
  FetchEnv env(pick_and_place_config());
  GoalObs o = env.reset(0);
  std::vector<double> moved;
  for (int t = 0; t < 5; ++t) {
    const double x = o.observation[0];
    o = env.step(std::vector<double>{1, 0, 0, 0}).obs;
    moved.push_back(o.observation[0] - x);
  }
  // Published: 3.0-3.3 cm per full step once moving (the 5 cm command is never reached within 0.04 s).
  for (std::size_t t = 1; t < moved.size(); ++t) {
    EXPECT_GT(moved[t], 0.029) << "step " << t;
    EXPECT_LT(moved[t], 0.035) << "step " << t;
  }
  const double x = o.observation[0];
  o = env.step(std::vector<double>{0, 0, 0, 0}).obs;
  EXPECT_LT(std::abs(o.observation[0] - x), 0.005) << "a zero action stops the gripper within one step";
}

TEST(FetchPhysics, AZeroActionHoldsTheGripperInPlace) {
  // The arm carries the gripper's weight: with the soft weld and relative actions it would otherwise sink
  // 1.2 cm per episode.
  FetchEnv env(pick_and_place_config());
  GoalObs o = env.reset(0);
  const std::vector<double> start = o.observation;
  for (int t = 0; t < 50; ++t) o = env.step(std::vector<double>{0, 0, 0, 0}).obs;
  for (int k = 0; k < 3; ++k) EXPECT_NEAR(o.observation[k], start[k], 0.002) << "axis " << k;
}

TEST(FetchPhysics, PushStartsWithTheFingertipsOnTheTable) {
  FetchEnv env(push_config());
  env.reset(0);
  const auto& g = env.initial_gripper_pos();
  EXPECT_NEAR(g[0], 1.348, 0.003);
  EXPECT_NEAR(g[1], 0.749, 0.003);
  EXPECT_NEAR(g[2] - kFingertipBelowGrip, kTableTopZ, 0.003);  // published grip height about 0.414
}

// The gripper, 7 cm behind the block's centre, is driven at full action until it has moved 0.15 m, in four
// directions and three lateral offsets, then held still for 30 steps.
TEST(FetchPhysics, AFullSpeedPushMovesTheBlockWithTheGripperAndKeepsItOnTheTable) {
  FetchEnv env(push_config());
  const double dirs[4][2] = {{-1, 0}, {0, 1}, {0, -1}, {-M_SQRT1_2, M_SQRT1_2}};
  double gap_sum = 0;
  int n = 0;
  for (const auto& dir : dirs) {
    for (double off : {-0.01, 0.0, 0.01}) {
      const double ux = dir[0], uy = dir[1];
      env.reset(0);
      const auto& g = env.initial_gripper_pos();
      env.set_object_position({g[0] + 0.07 * ux - off * uy, g[1] + 0.07 * uy + off * ux, env.height_offset()});
      GoalObs o = env.step(std::vector<double>{0, 0, 0, 0}).obs;
      const std::vector<double> start = o.observation;
      auto along = [&](int k) {
        return (o.observation[k] - start[k]) * ux + (o.observation[k + 1] - start[k + 1]) * uy;
      };
      double hop = 0;
      for (int t = 0; t < 20 && along(0) < 0.15; ++t) {
        o = env.step(std::vector<double>{ux, uy, 0, 0}).obs;
        hop = std::max(hop, o.observation[5] - env.height_offset());
      }
      for (int t = 0; t < 30; ++t) {
        o = env.step(std::vector<double>{0, 0, 0, 0}).obs;
        hop = std::max(hop, o.observation[5] - env.height_offset());
      }
      const double gripper = along(0), block = along(3);
      // Gap between the finger's front face and the block's near face; 0.07 - 0.025 - 0.0135 at the start.
      const double gap = 0.0315 + block - gripper;
      SCOPED_TRACE("direction (" + std::to_string(ux) + ", " + std::to_string(uy) + ") offset " + std::to_string(off));
      EXPECT_GT(block, 0.12) << "the block moves with the gripper";
      EXPECT_LT(gap, 0.06) << "the block is not fired away";
      EXPECT_LT(hop, 0.015) << "the block slides, it does not jump";
      EXPECT_NEAR(o.observation[5], env.height_offset(), 0.002) << "the block rests on the table";
      gap_sum += gap;
      ++n;
    }
  }
  // Measured with this scene: mean 2.8 cm (published model: about 1.4 cm); the old scene fired the block 0.73 m.
  EXPECT_LT(gap_sum / n, 0.035);
}

}  // namespace
}  // namespace hindsight::fetch
