#pragma once
// A GoalEnv built from a task file (task_spec.hpp): the MJCF scene compiled by MuJoCo, every name of the
// file resolved against it (an unknown body, site, joint or actuator, or a wrong dimension, is one error
// line naming the file and the key), then episodes as the file describes. The sparse reward is batched and
// pure, as HER relabelling needs: -1 where the goal distance exceeds distance_threshold, else 0.
#include <array>
#include <memory>
#include <string>
#include <vector>

#include "hindsight/core/rng.hpp"
#include "hindsight/env/goal_env.hpp"
#include "hindsight/env/mujoco_handles.hpp"
#include "hindsight/env/task/task_spec.hpp"

namespace hindsight::task {

class TaskEnv final : public GoalEnv {
 public:
  // Compiles the scene of files, resolves spec against it, settles the initial state; throws Error.
  TaskEnv(TaskSpec spec, const TaskFiles& files);

  std::string name() const override { return spec_.name; }
  const Box& action_space() const override { return action_space_; }
  const Box& observation_space() const override { return obs_space_; }
  const Box& goal_space() const override { return goal_space_; }
  int max_episode_steps() const override { return spec_.max_episode_steps; }
  double control_dt() const override { return spec_.n_substeps * model_->opt.timestep; }
  GoalObs reset(std::optional<std::uint64_t> seed = std::nullopt) override;
  StepResult step(std::span<const double> action) override;
  void compute_reward(std::span<const double> achieved, std::span<const double> desired,
                      std::span<double> out) const override;
  bool is_success(std::span<const double> achieved, std::span<const double> desired) const override;
  SubgoalSpec default_subgoal_spec() const override { return subgoal_; }
  const mjModel* mj_model() const override { return model_.get(); }
  mjData* mj_data() const override { return data_.get(); }

  // The task file's contents.
  const TaskSpec& spec() const { return spec_; }

 private:
  // A resolved action part: ids instead of names.
  struct Act {
    bool mocap = false;
    int mocap_id = -1, follow_body = -1;
    std::vector<int> actuators, joint_qpos;  // joint_qpos: the actuator's joint position (relative mode)
    int entries = 0;
  };
  // A resolved observation part: one address range (qpos, qvel) or object id per name.
  struct Obs {
    ObsPart::Kind kind;
    std::vector<int> ids, sizes;
  };
  struct Start {
    int qpos = -1;
    std::vector<double> low, high;
    bool offset = false;
  };

  GoalObs observe();
  void forward_kinematics();

  TaskSpec spec_;
  MjModelPtr model_;
  MjDataPtr data_;
  MjDataPtr initial_state_;
  Rng rng_;
  Box action_space_, obs_space_, goal_space_;
  std::vector<Act> acts_;
  std::vector<Obs> obs_;
  std::vector<Start> start_;
  std::vector<std::pair<int, int>> locks_;  // (qpos address, dof address)
  std::vector<double> lock_values_;
  int goal_id_ = -1;
  std::vector<double> goal_;
  SubgoalSpec subgoal_;
  int steps_ = 0;
  int warnings_seen_ = 0;
};

// The env of a task file (scene_dir: see read_task_files); every error names the file and the key.
std::unique_ptr<GoalEnv> load_task_env(const std::string& path, const std::string& scene_dir = "");

}  // namespace hindsight::task
