#pragma once
// FetchReach, FetchPush and FetchPickAndPlace: MuJoCo tasks that match the published Fetch
// specification (observation layout, goals, reward, action scaling, 20 x 0.002 s substeps,
// 50-step episodes, reset and goal distributions, world frame).
#include <array>
#include <memory>

#include "hindsight/core/rng.hpp"
#include "hindsight/env/goal_env.hpp"
#include "hindsight/env/mujoco_handles.hpp"

namespace hindsight::fetch {

// What distinguishes the three tasks (values from the published Fetch task definitions).
struct FetchTaskConfig {
  std::string name;                  // registry name
  bool has_object = true;            // a block is in the scene and is the achieved goal
  bool block_gripper = false;        // fingers held closed (Reach, Push)
  bool target_in_the_air = true;     // with probability 0.5 the goal is lifted by U(0, 0.45)
  double obj_range = 0.15;           // object xy = gripper xy + U(-obj_range, obj_range)
  double target_range = 0.15;        // goal = gripper + U(-target_range, target_range) per axis
  double distance_threshold = 0.05;  // success when the goal distance is below this (m)
  int n_substeps = 20;               // physics steps per control step
  int max_episode_steps = 50;        // control steps per episode
  double action_scale = 0.05;        // metres of end-effector displacement per unit action
  double gripper_start_x = 1.342;    // grip point x after reset (m)
  double gripper_start_z = 0.535;    // grip point height after reset (m); Push starts on the table
};

// The published configuration of each task.
FetchTaskConfig reach_config();
FetchTaskConfig push_config();
FetchTaskConfig pick_and_place_config();

// Workspace the mocap target is kept inside (the reach of the arm the gripper stands for). Its floor lies
// below the table top, as in the published model where nothing clamps the target: the table stops the
// fingers, and pushing with the fingertips on the table is possible.
struct Workspace {
  std::array<double, 3> low{1.0, 0.35, 0.35};
  std::array<double, 3> high{1.6, 1.15, 0.90};
};

class FetchEnv final : public GoalEnv {
 public:
  // Builds the scene for the task and settles it into the initial state.
  explicit FetchEnv(FetchTaskConfig cfg);

  std::string name() const override { return cfg_.name; }
  const Box& action_space() const override { return action_space_; }
  const Box& observation_space() const override { return obs_space_; }
  const Box& goal_space() const override { return goal_space_; }
  int max_episode_steps() const override { return cfg_.max_episode_steps; }
  double control_dt() const override { return cfg_.n_substeps * model_->opt.timestep; }
  GoalObs reset(std::optional<std::uint64_t> seed = std::nullopt) override;
  StepResult step(std::span<const double> action) override;
  void compute_reward(std::span<const double> achieved, std::span<const double> desired,
                      std::span<double> out) const override;
  bool is_success(std::span<const double> achieved, std::span<const double> desired) const override;
  SubgoalSpec default_subgoal_spec() const override;
  // The default (gripper, and block when there is one) plus, when the fingers move (PickAndPlace), each
  // finger's opening (0 to 0.05 m, reached within 0.01 m), so a subgoal can ask for an open or closed gripper.
  SubgoalSpec subgoal_candidates() const override;
  const mjModel* mj_model() const override { return model_.get(); }
  mjData* mj_data() const override { return data_.get(); }

  // The task's configuration.
  const FetchTaskConfig& config() const { return cfg_; }
  // Where the gripper rests after reset (world frame), the centre of the goal distribution.
  const std::array<double, 3>& initial_gripper_pos() const { return initial_grip_; }
  // Height of the block's centre when it rests on the table (the goal z of table goals).
  double height_offset() const { return height_offset_; }
  // The workspace the gripper target is kept inside.
  const Workspace& workspace() const { return workspace_; }
  // Steps taken in the current episode.
  int elapsed_steps() const { return steps_; }
  // Puts the block at a world position with zero velocity (tests and scripted scenes).
  void set_object_position(const std::array<double, 3>& pos);

 private:
  GoalObs observe();
  void forward_kinematics();

  FetchTaskConfig cfg_;
  Workspace workspace_;
  MjModelPtr model_;
  MjDataPtr data_;
  MjDataPtr initial_state_;
  Rng rng_;
  Box action_space_, obs_space_, goal_space_;
  std::array<double, 3> initial_grip_{};
  std::array<double, 3> goal_{};
  double height_offset_ = 0.0;
  int steps_ = 0;
  int warnings_seen_ = 0;
  // Cached ids.
  int grip_site_ = -1, object_site_ = -1, object_joint_qpos_ = -1, object_joint_qvel_ = -1;
  int gripper_body_ = -1, mocap_id_ = -1;
  int finger_qpos_[2] = {-1, -1}, finger_qvel_[2] = {-1, -1};
  int finger_act_[2] = {-1, -1};
};

// Gymnasium-Robotics' rotation-matrix to Euler-angle convention (row-major 3x3 input).
std::array<double, 3> mat2euler(const double* mat);

}  // namespace hindsight::fetch
