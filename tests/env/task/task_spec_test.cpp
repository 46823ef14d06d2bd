#include "hindsight/env/task/task_spec.hpp"

#include <gtest/gtest.h>

#include <string>

#include "hindsight/io/atomic_file.hpp"
#include "support/test_support.hpp"

namespace hindsight::task {
namespace {

using hindsight::testing::error_of;
using hindsight::testing::test_dir;

// A valid task file around a scene file that only needs to exist (parse_task does not compile it).
const char* kTask = R"(name: Tiny
scene: scene.xml
max_episode_steps: 20
n_substeps: 5
action:
  - actuators: [a1, a2]
    mode: relative
    scale: 0.1
observation:
  - qpos: [j1, j2]
  - site_pos: tip
achieved_goal: {site: tip, axes: xy}
goal:
  low: [-0.1, -0.2]
  high: [0.1, 0.2]
  lift: {probability: 0.5, low: 0, high: 0.3}
start:
  - joint: j1
    low: -1
    high: 1
  - joint: j2
    value: 0.5
distance_threshold: 0.03
)";

TaskFiles files_with(const std::string& dir, const std::string& yaml) {
  io::write_file_atomic(dir + "/scene.xml", "<mujoco/>");
  io::write_file_atomic(dir + "/task.yaml", yaml);
  return read_task_files(dir + "/task.yaml");
}

// The one-line error parse_task gives for yaml.
std::string error_for(const std::string& yaml) {
  const std::string dir = test_dir();
  return error_of([&] { parse_task(files_with(dir, yaml)); });
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

TEST(TaskSpec, TaskPathsAreFilesOrPathsNotRegistryNames) {
  EXPECT_TRUE(is_task_path("configs/tasks/reacher2d.yaml"));
  EXPECT_TRUE(is_task_path("reacher.yml"));
  EXPECT_TRUE(is_task_path("./reacher"));
  EXPECT_FALSE(is_task_path("FetchReach"));
  EXPECT_FALSE(is_task_path("Pendulum"));
}

TEST(TaskSpec, ParsesEveryPartWithItsDefaults) {
  const std::string dir = test_dir();
  const TaskFiles f = files_with(dir, kTask);
  EXPECT_EQ(f.scene_path, dir + "/scene.xml");
  EXPECT_EQ(f.scene_text, "<mujoco/>");
  const TaskSpec s = parse_task(f);
  EXPECT_EQ(s.name, "Tiny");
  EXPECT_EQ(s.max_episode_steps, 20);
  EXPECT_EQ(s.n_substeps, 5);
  EXPECT_EQ(s.settle_steps, 0);
  EXPECT_FALSE(s.velocities_per_step);
  ASSERT_EQ(s.action.size(), 1u);
  EXPECT_EQ(s.action[0].kind, ActionPart::Kind::actuators);
  EXPECT_TRUE(s.action[0].relative);
  EXPECT_FALSE(s.action[0].shared);
  EXPECT_DOUBLE_EQ(s.action[0].scale, 0.1);
  ASSERT_EQ(s.observation.size(), 2u);
  EXPECT_EQ(s.observation[1].kind, ObsPart::Kind::site_pos);
  EXPECT_EQ(s.goal_object, "tip");
  EXPECT_EQ(s.goal_axes, (std::vector<int>{0, 1}));
  EXPECT_FALSE(s.goal.around_achieved);
  EXPECT_DOUBLE_EQ(s.goal.lift_probability, 0.5);
  ASSERT_EQ(s.start.size(), 2u);
  EXPECT_EQ(s.start[1].low, s.start[1].high);
  EXPECT_DOUBLE_EQ(s.distance_threshold, 0.03);
  EXPECT_FALSE(s.subgoal.has_value());
  // The run's copy: both files under task/, by file name.
  const auto copy = run_copy(f);
  ASSERT_EQ(copy.size(), 2u);
  EXPECT_EQ(copy[0].first, "task/task.yaml");
  EXPECT_EQ(copy[1].first, "task/scene.xml");
  EXPECT_EQ(copy[1].second, "<mujoco/>");
}

TEST(TaskSpec, TheNameDefaultsToTheFileStem) {
  const std::string dir = test_dir();
  EXPECT_EQ(parse_task(files_with(dir, replaced(kTask, "name: Tiny\n", ""))).name, "task");
}

TEST(TaskSpec, ASceneDirLooksTheSceneUpByItsFileName) {
  const std::string dir = test_dir();
  io::write_file_atomic(dir + "/task.yaml", replaced(kTask, "scene: scene.xml", "scene: ../elsewhere/scene.xml"));
  io::write_file_atomic(dir + "/scene.xml", "<mujoco model='copy'/>");
  EXPECT_EQ(read_task_files(dir + "/task.yaml", dir).scene_text, "<mujoco model='copy'/>");
}

TEST(TaskSpec, BadFilesNameTheFileTheLineAndTheKey) {
  struct Bad {
    std::string from, to, expect;
  };
  const std::vector<Bad> cases = {
      {"n_substeps: 5", "n_substeps: 0", ":4: key 'n_substeps': expects a whole number in [1, "},
      {"n_substeps: 5", "n_substep: 5", ":4: key 'n_substep': unknown key"},
      {"high: [0.1, 0.2]", "high: [0.1, -0.3]", ":14: key 'goal': empty goal box: low[1]"},
      {"high: [0.1, 0.2]", "high: [0.1, 0.2, 0.3]", "key 'goal.high': expects 2 values, got 3"},
      {"axes: xy", "axes: xq", "key 'achieved_goal.axes': expects distinct axes"},
      {"{site: tip, axes: xy}", "{axes: xy}", "key 'achieved_goal': needs `site: NAME` or `body: NAME`"},
      {"mode: relative", "mode: sideways", "key 'action[0].mode': expects relative or absolute"},
      {"  - qpos: [j1, j2]", "  - joint_angles: [j1, j2]", "key 'observation[0].joint_angles': unknown observation kind"},
      {"distance_threshold: 0.03", "distance_threshold: -1", "key 'distance_threshold': must be > 0"},
      {"    value: 0.5", "    value: 0.5\n    low: 0", "key 'start[1]': gives `value` and `low`/`high`"},
      {"name: Tiny", "name: my/task", "key 'name': 'my/task' must be letters"},
      {"probability: 0.5", "probability: 2", "key 'goal.lift.probability': must be in [0, 1]"},
  };
  for (const Bad& b : cases) {
    const std::string msg = error_for(replaced(kTask, b.from, b.to));
    EXPECT_NE(msg.find("task.yaml:"), std::string::npos) << msg;
    EXPECT_NE(msg.find(b.expect), std::string::npos) << b.to << " -> " << msg;
  }
}

TEST(TaskSpec, MissingPartsAndFilesAreNamed) {
  EXPECT_NE(error_for(replaced(kTask, "goal:\n", "goals:\n")).find("key 'goals': unknown key"), std::string::npos);
  const std::string dir = test_dir();
  io::write_file_atomic(dir + "/task.yaml", replaced(kTask, "scene: scene.xml", "scene: nowhere.xml"));
  const std::string msg = error_of([&] { read_task_files(dir + "/task.yaml"); });
  EXPECT_NE(msg.find("task.yaml:2: key 'scene': cannot read"), std::string::npos) << msg;
  EXPECT_NE(msg.find("nowhere.xml"), std::string::npos) << msg;
  io::write_file_atomic(dir + "/task.yaml", "scene: [1,\n");
  EXPECT_NE(error_of([&] { read_task_files(dir + "/task.yaml"); }).find("YAML syntax error"), std::string::npos);
  io::write_file_atomic(dir + "/task.yaml", "name: x\n");
  EXPECT_NE(error_of([&] { read_task_files(dir + "/task.yaml"); }).find("key 'scene': is missing"),
            std::string::npos);
}

TEST(TaskSpec, SubgoalListsMatchTheirIndices) {
  const std::string with = std::string(kTask) +
                           "subgoal:\n  indices: [2, 3]\n  low: [-1, -1]\n  high: [1, 1]\n  threshold: 0.05\n";
  const std::string dir = test_dir();
  const TaskSpec s = parse_task(files_with(dir, with));
  ASSERT_TRUE(s.subgoal.has_value());
  EXPECT_EQ(s.subgoal->thresholds, (std::vector<double>{0.05, 0.05}));
  EXPECT_NE(error_for(replaced(with, "high: [1, 1]", "high: [1]")).find("key 'subgoal.high': expects 2 values"),
            std::string::npos);
  EXPECT_NE(error_for(replaced(with, "threshold: 0.05", "threshold: [0.05, 0.05, 0.05]"))
                .find("key 'subgoal.threshold': expects one value or 2"),
            std::string::npos);
}

}  // namespace
}  // namespace hindsight::task
