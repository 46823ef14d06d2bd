#pragma once
// A goal-conditioned task described in files: a YAML task file naming an MJCF scene and saying what the
// agent controls, what it observes, what its achieved goal is, how goals and start states are drawn, when
// it succeeds, and its subgoal space for HAC (docs/tasks.md documents every key). This is the file layer:
// reading and checking the YAML; TaskEnv (task_env.hpp) resolves the names against the compiled scene.
#include <array>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace hindsight::task {

// True when an env name names a task file rather than a registered env: it ends in .yaml or .yml, or
// contains a '/'.
bool is_task_path(const std::string& name);

// The text of a task file and of the scene it names, read once.
struct TaskFiles {
  std::string path;        // the task file as named
  std::string text;        // its YAML
  std::string scene_path;  // the MJCF file, relative to the task file's directory (or scene_dir)
  std::string scene_text;  // its XML
};
// Reads a task file and the scene its `scene` key names. scene_dir, when set, is where the scene is looked
// up by its file name instead (a run directory's copy). Throws Error naming the file (and key).
TaskFiles read_task_files(const std::string& path, const std::string& scene_dir = "");
// The files a run directory keeps of a task, as (path inside the run, content): task/<task file name> and
// task/<scene file name>. Throws Error when both have the same file name.
std::vector<std::pair<std::string, std::string>> run_copy(const TaskFiles& files);
// The task file a run directory's copy holds for env name `name` ("" when the run has no copy of it).
std::string run_task_path(const std::string& run_dir, const std::string& name);

// One part of the action vector (each action entry lies in [-1, 1]).
struct ActionPart {
  enum class Kind { mocap, actuators };
  Kind kind = Kind::actuators;
  std::string where;                 // "FILE:LINE: key 'action[i]'" for messages
  // mocap: 3 entries move the mocap body to follow's current position + scale * action (metres).
  std::string mocap, follow;
  std::optional<std::array<double, 3>> clamp_low, clamp_high;  // the target is kept inside this box
  // actuators: one entry per actuator, or one shared by all when shared.
  std::vector<std::string> actuators;
  bool shared = false;
  // relative: ctrl = the actuator's joint position + scale * action (position servos, Fetch's fingers);
  // absolute: ctrl = the actuator's ctrlrange mapped from [-1, 1] (scale * action when it has none).
  bool relative = false;
  double scale = 1.0;
};

// One part of the observation vector, in the order of the file.
struct ObsPart {
  enum class Kind { qpos, qvel, site_pos, body_pos, site_linvel, body_linvel };
  Kind kind = Kind::qpos;
  std::vector<std::string> names;  // joints, sites or bodies
  std::string where;
};

// A joint's value at reset: uniform in [low, high] per coordinate (low == high: fixed), in the joint's
// position coordinates (hinge/slide: 1, free: its 3 position values); offset: added to the initial value.
struct StartPart {
  std::string joint;
  std::vector<double> low, high;
  bool offset = false;
  std::string where;
};

// The goal distribution: around + U(low, high) per coordinate, then with probability lift_probability the
// lift_axis coordinate is raised by U(lift_low, lift_high) (Fetch's goals in the air).
struct GoalDistribution {
  bool around_achieved = false;  // centre: the achieved goal after reset (else the world origin)
  std::vector<double> low, high;
  double lift_probability = 0.0;
  double lift_low = 0.0, lift_high = 0.0;
  int lift_axis = -1;  // -1: the last coordinate
  std::string where;
};

// The subgoal space for HAC, when the file gives one.
struct SubgoalPart {
  std::vector<int> indices;  // observation entries
  std::vector<double> low, high, thresholds;
  std::vector<int> markers;  // offsets where a world (x, y, z) starts in a subgoal
  std::string where;
};

// Everything a task file says, checked for shape and range (names are checked against the scene later).
struct TaskSpec {
  std::string file;            // the task file, for messages
  std::string scene_where;     // "FILE:LINE: key 'scene'"
  std::string name;            // `name`, default: the file's stem
  int max_episode_steps = 50;  // control steps per episode
  int n_substeps = 1;          // physics steps per control step
  int settle_steps = 0;        // physics steps run once after init, before the initial state is kept
  bool velocities_per_step = false;  // velocities multiplied by the control period (as Fetch)
  std::vector<std::pair<std::string, double>> init_qpos;  // joint positions set before settling
  std::string init_where;
  std::vector<std::string> carry_weight;  // bodies whose subtree weight an external force carries
  std::vector<ActionPart> action;
  std::vector<std::pair<std::string, double>> lock_joints;  // held at a value, zero velocity, every step
  std::string lock_where;
  std::vector<ObsPart> observation;
  bool goal_is_site = true;    // achieved goal: a site's position (else a body's)
  std::string goal_object;     // its name
  std::vector<int> goal_axes;  // world axes kept (0 = x, 1 = y, 2 = z), in order
  std::string achieved_where;
  GoalDistribution goal;
  std::vector<StartPart> start;
  double distance_threshold = 0.05;  // success when the goal distance is below this; reward -1 above it
  std::optional<SubgoalPart> subgoal;
};

// Parses and checks the task file's YAML; errors are one line "FILE:LINE: key 'a.b': what is wrong".
TaskSpec parse_task(const TaskFiles& files);

}  // namespace hindsight::task
