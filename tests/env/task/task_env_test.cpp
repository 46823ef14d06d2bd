#include "hindsight/env/task/task_env.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "hindsight/core/rng.hpp"
#include "hindsight/env/fetch/fetch_env.hpp"
#include "hindsight/env/fetch/fetch_scene.hpp"
#include "hindsight/hac/subgoal_space.hpp"
#include "hindsight/io/atomic_file.hpp"
#include "support/test_support.hpp"

namespace hindsight::task {
namespace {

using hindsight::testing::error_of;
using hindsight::testing::test_dir;

const std::string kTasks = std::string(HINDSIGHT_CONFIGS_DIR) + "/tasks";

// A small planar arm for the error cases.
const char* kScene = R"(<mujoco>
  <worldbody>
    <body name="b1">
      <joint name="j1" type="hinge" axis="0 0 1"/>
      <geom type="capsule" fromto="0 0 0 0.1 0 0" size="0.01"/>
      <site name="tip" pos="0.1 0 0"/>
    </body>
  </worldbody>
  <actuator><position name="a1" joint="j1" kp="5"/></actuator>
</mujoco>
)";

const char* kTask = R"(scene: scene.xml
action:
  - actuators: [a1]
    mode: relative
observation:
  - qpos: [j1]
  - site_pos: tip
achieved_goal: {site: tip}
goal:
  low: [-0.1, -0.1, 0]
  high: [0.1, 0.1, 0]
)";

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

std::string write_task(const std::string& dir, const std::string& yaml, const std::string& scene = kScene) {
  io::write_file_atomic(dir + "/scene.xml", scene);
  io::write_file_atomic(dir + "/task.yaml", yaml);
  return dir + "/task.yaml";
}

TEST(TaskEnv, TheFetchReachFileUsesTheSceneTheCompiledEnvBuilds) {
  EXPECT_EQ(io::read_file(kTasks + "/FetchReach.xml"), fetch::fetch_scene_xml(false));
}

// The file-defined FetchReach against the compiled one: the same seed and actions give bit-identical
// observations, goals, rewards and success at every step, over several episodes (each reset reseeded or
// continuing the stream).
TEST(TaskEnv, FetchReachFromItsFileMatchesTheCompiledEnvStepForStep) {
  fetch::FetchEnv compiled(fetch::reach_config());
  const auto file = load_task_env(kTasks + "/FetchReach.yaml");
  ASSERT_EQ(file->action_space().size(), compiled.action_space().size());
  ASSERT_EQ(file->observation_space().size(), compiled.observation_space().size());
  EXPECT_EQ(file->max_episode_steps(), compiled.max_episode_steps());
  EXPECT_DOUBLE_EQ(file->control_dt(), compiled.control_dt());
  const SubgoalSpec a = file->default_subgoal_spec(), b = compiled.default_subgoal_spec();
  EXPECT_EQ(a.obs_indices, b.obs_indices);
  EXPECT_EQ(a.thresholds, b.thresholds);
  EXPECT_EQ(a.marker_offsets, b.marker_offsets);
  ASSERT_EQ(a.bounds.size(), b.bounds.size());
  for (std::size_t i = 0; i < a.bounds.size(); ++i) {
    EXPECT_NEAR(a.bounds.low[i], b.bounds.low[i], 1e-12);
    EXPECT_NEAR(a.bounds.high[i], b.bounds.high[i], 1e-12);
  }

  Rng actions(11);
  int successes = 0;
  for (int episode = 0; episode < 3; ++episode) {
    const std::optional<std::uint64_t> seed = episode == 1 ? std::nullopt : std::optional<std::uint64_t>(5 + episode);
    const GoalObs oc = compiled.reset(seed), of = file->reset(seed);
    ASSERT_EQ(of.observation, oc.observation) << "episode " << episode;
    ASSERT_EQ(of.achieved_goal, oc.achieved_goal);
    ASSERT_EQ(of.desired_goal, oc.desired_goal);
    for (int t = 0; t < compiled.max_episode_steps(); ++t) {
      // Actions beyond [-1, 1] too, so clipping and the workspace clamp are compared as well.
      std::vector<double> act(4);
      for (double& x : act) x = actions.uniform(-1.3, 1.3);
      const StepResult rc = compiled.step(act), rf = file->step(act);
      ASSERT_EQ(rf.obs.observation, rc.obs.observation) << "episode " << episode << " step " << t;
      ASSERT_EQ(rf.obs.achieved_goal, rc.obs.achieved_goal);
      ASSERT_EQ(rf.reward, rc.reward);
      ASSERT_EQ(rf.success, rc.success);
      ASSERT_EQ(rf.truncated, rc.truncated);
      successes += rc.success;
    }
  }
  // Relabelled goals: the batched reward agrees row by row, on both sides of the threshold.
  Rng g(3);
  const int n = 64;
  std::vector<double> achieved(3 * n), desired(3 * n), rc(n), rf(n);
  for (int i = 0; i < 3 * n; ++i) {
    achieved[i] = g.uniform(1.2, 1.4);
    desired[i] = achieved[i] + g.uniform(-0.06, 0.06);
  }
  compiled.compute_reward(achieved, desired, rc);
  file->compute_reward(achieved, desired, rf);
  EXPECT_EQ(rf, rc);
  EXPECT_GT(std::count(rc.begin(), rc.end(), 0.0), 0);
  EXPECT_GT(std::count(rc.begin(), rc.end(), -1.0), 0);
}

TEST(TaskEnv, ReacherExampleHasItsSpacesAndRandomStarts) {
  const auto env = load_task_env(kTasks + "/reacher2d.yaml");
  EXPECT_EQ(env->name(), "Reacher2D");
  EXPECT_EQ(env->action_space().size(), 2u);
  EXPECT_EQ(env->observation_space().size(), 7u);
  EXPECT_EQ(env->goal_space().size(), 3u);
  EXPECT_NEAR(env->control_dt(), 0.05, 1e-12);
  hac::validate_subgoal_spec(env->default_subgoal_spec(), *env);
  const GoalObs o1 = env->reset(1), o2 = env->reset(2), o1again = env->reset(1);
  EXPECT_NE(o1.observation, o2.observation);
  EXPECT_EQ(o1.observation, o1again.observation);
  EXPECT_EQ(o1.desired_goal, o1again.desired_goal);
  // The goal lies in its box at the fingertip's height; the fingertip is 0.24 m of arm from the shoulder.
  EXPECT_LE(std::abs(o1.desired_goal[0]), 0.16);
  EXPECT_DOUBLE_EQ(o1.desired_goal[2], 0.03);
  EXPECT_LE(std::hypot(o1.achieved_goal[0], o1.achieved_goal[1]), 0.24 + 1e-9);
  // The achieved goal is the fingertip, observation entries 4..6.
  EXPECT_EQ(std::vector<double>(o1.observation.begin() + 4, o1.observation.end()), o1.achieved_goal);
  // Actions move the joints' servo targets from where the joints are: three full steps toward zero turn
  // each joint by well over one step's 0.2 rad.
  const std::vector<double> q0(o1again.observation.begin(), o1again.observation.begin() + 2);
  const std::vector<double> toward_zero{q0[0] > 0 ? -1.0 : 1.0, q0[1] > 0 ? -1.0 : 1.0};
  StepResult r;
  for (int t = 0; t < 3; ++t) r = env->step(toward_zero);
  for (int j = 0; j < 2; ++j) EXPECT_GT((r.obs.observation[j] - q0[j]) * toward_zero[j], 0.3) << "joint " << j;
  EXPECT_FALSE(r.truncated);
}

TEST(TaskEnv, WithoutASubgoalSectionTheAchievedGoalEntriesAreTheSubgoalSpace) {
  const std::string dir = test_dir();
  const auto env = load_task_env(write_task(dir, kTask));
  const SubgoalSpec s = env->default_subgoal_spec();
  EXPECT_EQ(s.obs_indices, (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(s.marker_offsets, (std::vector<int>{0}));
  hac::validate_subgoal_spec(s, *env);  // the fixed z coordinate still gets an interval
}

TEST(TaskEnv, NamesTheSceneDoesNotHaveAreOneLineNamingTheFileAndKey) {
  struct Bad {
    std::string from, to, expect;
  };
  const std::vector<Bad> cases = {
      {"site_pos: tip", "site_pos: fingertip", "task.yaml:7: key 'observation[1].site_pos': the scene has no site 'fingertip'"},
      {"{site: tip}", "{body: hand}", "key 'achieved_goal': the scene has no body 'hand'"},
      {"actuators: [a1]", "actuators: [a1, a2]", "key 'action[0]' (actuators): the scene has no actuator 'a2'"},
      {"qpos: [j1]", "qpos: [j9]", "key 'observation[0].qpos': the scene has no joint 'j9'"},
      {"  - actuators: [a1]\n    mode: relative", "  - mocap: b1", "body 'b1' is not a mocap body"},
  };
  for (const Bad& b : cases) {
    const std::string dir = test_dir();
    const std::string msg = error_of([&] { load_task_env(write_task(dir, replaced(kTask, b.from, b.to))); });
    EXPECT_NE(msg.find(b.expect), std::string::npos) << msg;
  }
  const std::string dir = test_dir();
  const std::string with_subgoal =
      std::string(kTask) + "subgoal:\n  indices: [0, 9]\n  low: [0, 0]\n  high: [1, 1]\n  threshold: 0.1\n";
  EXPECT_NE(error_of([&] { load_task_env(write_task(dir, with_subgoal)); })
                .find("key 'subgoal': observation index 9 is outside the observation (4 values)"),
            std::string::npos);
}

TEST(TaskEnv, ASceneMuJoCoRejectsIsOneLineNamingTheSceneKey) {
  const std::string dir = test_dir();
  const std::string msg =
      error_of([&] { load_task_env(write_task(dir, kTask, replaced(kScene, "type=\"hinge\"", "type=\"wobbly\""))); });
  EXPECT_NE(msg.find("task.yaml:1: key 'scene': MuJoCo could not compile"), std::string::npos) << msg;
}

TEST(TaskEnv, RewardsAreBatchedAndPure) {
  const std::string dir = test_dir();
  const auto env = load_task_env(write_task(dir, std::string(kTask) + "distance_threshold: 0.05\n"));
  // Rows at distance 0.03 (reached), 0.07 (not) and 0.045 (reached).
  const std::vector<double> achieved{0, 0, 0, 1, 1, 1, 0.5, 0.5, 0.5};
  const std::vector<double> desired{0.03, 0, 0, 1, 1.07, 1, 0.5, 0.5, 0.545};
  std::vector<double> out(3);
  env->compute_reward(achieved, desired, out);
  EXPECT_EQ(out, (std::vector<double>{0.0, -1.0, 0.0}));
  env->reset(4);
  env->step(std::vector<double>{1.0});
  std::vector<double> again(3);
  env->compute_reward(achieved, desired, again);
  EXPECT_EQ(again, out) << "the env's state does not enter the reward";
  for (int i = 0; i < 3; ++i) {
    const std::span<const double> a(achieved.data() + 3 * i, 3), d(desired.data() + 3 * i, 3);
    EXPECT_EQ(env->reward(a, d), out[i]);
  }
  EXPECT_TRUE(env->is_success(std::span<const double>(achieved.data(), 3), std::span<const double>(desired.data(), 3)));
  EXPECT_NE(error_of([&] { env->compute_reward(achieved, desired, std::span<double>(out.data(), 2)); })
                .find("compute_reward expects n x 3 goals"),
            std::string::npos);
}

}  // namespace
}  // namespace hindsight::task
