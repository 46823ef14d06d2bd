#include "hindsight/env/fetch/fetch_env.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "hindsight/core/error.hpp"
#include "hindsight/env/fetch/fetch_scene.hpp"

namespace hindsight::fetch {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr int kSettleSteps = 10;  // physics steps that settle the scene before the initial state is saved

double dist3(const double* a, const double* b) {
  const double dx = a[0] - b[0], dy = a[1] - b[1], dz = a[2] - b[2];
  return std::sqrt(dx * dx + dy * dy + dz * dz);
}

}  // namespace

FetchTaskConfig reach_config() {
  FetchTaskConfig c;
  c.name = "FetchReach";
  c.has_object = false;
  c.block_gripper = true;
  c.target_in_the_air = true;
  return c;
}

FetchTaskConfig push_config() {
  FetchTaskConfig c;
  c.name = "FetchPush";
  c.has_object = true;
  c.block_gripper = true;
  c.target_in_the_air = false;
  // The published Push drops the 0.2 m extra height the other tasks start with: the arm lowers the
  // gripper until the fingertips rest on the table, at about (1.348, 0.749, 0.414).
  c.gripper_start_x = 1.348;
  c.gripper_start_z = 0.414;
  return c;
}

FetchTaskConfig pick_and_place_config() {
  FetchTaskConfig c;
  c.name = "FetchPickAndPlace";
  c.has_object = true;
  c.block_gripper = false;
  c.target_in_the_air = true;
  return c;
}

std::array<double, 3> mat2euler(const double* m) {
  // m is row-major: m[3*r + c].
  const double eps4 = std::numeric_limits<double>::epsilon() * 4.0;
  const double cy = std::sqrt(m[8] * m[8] + m[5] * m[5]);
  std::array<double, 3> e{};
  if (cy > eps4) {
    e[2] = -std::atan2(m[1], m[0]);
    e[1] = -std::atan2(-m[2], cy);
    e[0] = -std::atan2(m[5], m[8]);
  } else {
    e[2] = -std::atan2(-m[3], m[4]);
    e[1] = -std::atan2(-m[2], cy);
    e[0] = 0.0;
  }
  return e;
}

FetchEnv::FetchEnv(FetchTaskConfig cfg) : cfg_(std::move(cfg)) {
  check(cfg_.n_substeps >= 1, cfg_.name + ": n_substeps must be >= 1");
  check(cfg_.max_episode_steps >= 1, cfg_.name + ": max_episode_steps must be >= 1");
  model_ = load_mjcf_string(fetch_scene_xml(cfg_.has_object), cfg_.name + ".xml");
  data_ = make_data(model_.get());
  const mjModel* m = model_.get();

  grip_site_ = mj_require_id(m, mjOBJ_SITE, "grip");
  gripper_body_ = mj_require_id(m, mjOBJ_BODY, "gripper");
  mocap_id_ = m->body_mocapid[mj_require_id(m, mjOBJ_BODY, "mocap")];
  const char* fingers[2] = {"finger_l", "finger_r"};
  for (int i = 0; i < 2; ++i) {
    const int j = mj_require_id(m, mjOBJ_JOINT, fingers[i]);
    finger_qpos_[i] = m->jnt_qposadr[j];
    finger_qvel_[i] = m->jnt_dofadr[j];
    finger_act_[i] = mj_require_id(m, mjOBJ_ACTUATOR, fingers[i]);
  }
  if (cfg_.has_object) {
    object_site_ = mj_require_id(m, mjOBJ_SITE, "object0");
    const int j = mj_require_id(m, mjOBJ_JOINT, "object0");
    object_joint_qpos_ = m->jnt_qposadr[j];
    object_joint_qvel_ = m->jnt_dofadr[j];
  }

  // Settle the scene once (gripper under its weld, block onto the table) and keep that state.
  mjData* d = data_.get();
  mj_resetData(m, d);
  // The arm's controller carries the gripper's weight: without this the soft weld lets the gripper sag a
  // few tenths of a millimetre per step, and since every action is relative to where the gripper is, a
  // zero action would drift it down 1.2 cm per episode.
  d->xfrc_applied[6 * gripper_body_ + 2] = m->body_subtreemass[gripper_body_] * -m->opt.gravity[2];
  d->qpos[m->jnt_qposadr[mj_require_id(m, mjOBJ_JOINT, "grip_x")]] = cfg_.gripper_start_x - kGripStartX;
  d->qpos[m->jnt_qposadr[mj_require_id(m, mjOBJ_JOINT, "grip_z")]] =
      std::max(cfg_.gripper_start_z, kTableTopZ + kFingertipBelowGrip) - kGripStartZ;
  mj_forward(m, d);
  // The mocap target is where the task puts the gripper; the table may stop it short (Push).
  for (int k = 0; k < 3; ++k) d->mocap_pos[3 * mocap_id_ + k] = d->xpos[3 * gripper_body_ + k];
  d->mocap_pos[3 * mocap_id_ + 2] = cfg_.gripper_start_z;
  for (int s = 0; s < kSettleSteps; ++s) mj_step(m, d);
  forward_kinematics();
  check(mj_warning_total(d) == 0, cfg_.name + ": MuJoCo warning while settling: " + mj_first_warning(d));
  initial_state_ = make_data(m);
  mj_copyData(initial_state_.get(), m, d);
  for (int k = 0; k < 3; ++k) initial_grip_[k] = d->site_xpos[3 * grip_site_ + k];
  height_offset_ = cfg_.has_object ? d->site_xpos[3 * object_site_ + 2] : initial_grip_[2];

  action_space_ = Box::uniform(4, -1.0, 1.0);
  obs_space_ = Box::uniform(cfg_.has_object ? 25 : 10, -kInf, kInf);
  goal_space_ = Box::uniform(3, -kInf, kInf);
  rng_.reseed(0);
}

void FetchEnv::forward_kinematics() {
  // After mj_step the derived quantities describe the state before the last integration; these
  // three stages bring positions and velocities up to date without the cost of collision detection.
  mj_kinematics(model_.get(), data_.get());
  mj_comPos(model_.get(), data_.get());
  mj_comVel(model_.get(), data_.get());
}

void FetchEnv::set_object_position(const std::array<double, 3>& pos) {
  check(cfg_.has_object, cfg_.name + " has no object");
  mjData* d = data_.get();
  for (int k = 0; k < 3; ++k) d->qpos[object_joint_qpos_ + k] = pos[k];
  for (int k = 0; k < 6; ++k) d->qvel[object_joint_qvel_ + k] = 0.0;
  mj_forward(model_.get(), d);
}

GoalObs FetchEnv::reset(std::optional<std::uint64_t> seed) {
  if (seed) rng_.reseed(*seed);
  const mjModel* m = model_.get();
  mjData* d = data_.get();
  mj_copyData(d, m, initial_state_.get());
  warnings_seen_ = 0;
  steps_ = 0;

  if (cfg_.has_object) {
    double ox = initial_grip_[0], oy = initial_grip_[1];
    while (std::hypot(ox - initial_grip_[0], oy - initial_grip_[1]) < 0.1) {
      ox = initial_grip_[0] + rng_.uniform(-cfg_.obj_range, cfg_.obj_range);
      oy = initial_grip_[1] + rng_.uniform(-cfg_.obj_range, cfg_.obj_range);
    }
    d->qpos[object_joint_qpos_ + 0] = ox;
    d->qpos[object_joint_qpos_ + 1] = oy;
  }
  mj_forward(m, d);

  if (cfg_.has_object) {
    for (int k = 0; k < 3; ++k) goal_[k] = initial_grip_[k] + rng_.uniform(-cfg_.target_range, cfg_.target_range);
    goal_[2] = height_offset_;
    if (cfg_.target_in_the_air && rng_.uniform01() < 0.5) goal_[2] += rng_.uniform(0.0, 0.45);
  } else {
    for (int k = 0; k < 3; ++k) goal_[k] = initial_grip_[k] + rng_.uniform(-0.15, 0.15);
  }
  return observe();
}

StepResult FetchEnv::step(std::span<const double> action) {
  validate_action(action);
  const mjModel* m = model_.get();
  mjData* d = data_.get();
  double a[4];
  action_space_.clip(action, std::span<double>(a, 4));

  // Gripper: relative position command shared by both fingers (clamped by the actuator's ctrlrange).
  const double g = cfg_.block_gripper ? 0.0 : a[3];
  for (int i = 0; i < 2; ++i) d->ctrl[finger_act_[i]] = d->qpos[finger_qpos_[i]] + g;
  // End effector: the mocap target is the gripper's current position plus the scaled displacement.
  const Workspace& ws = workspace_;
  for (int k = 0; k < 3; ++k) {
    const double target = d->xpos[3 * gripper_body_ + k] + cfg_.action_scale * a[k];
    d->mocap_pos[3 * mocap_id_ + k] = std::clamp(target, ws.low[k], ws.high[k]);
  }

  for (int s = 0; s < cfg_.n_substeps; ++s) mj_step(m, d);
  if (cfg_.block_gripper) {
    for (int i = 0; i < 2; ++i) {
      d->qpos[finger_qpos_[i]] = 0.0;
      d->qvel[finger_qvel_[i]] = 0.0;
    }
  }
  forward_kinematics();

  throw_on_new_warning(d, warnings_seen_, cfg_.name, steps_ + 1);
  ++steps_;
  StepResult r;
  r.obs = observe();
  r.reward = reward(r.obs.achieved_goal, r.obs.desired_goal);
  r.success = is_success(r.obs.achieved_goal, r.obs.desired_goal);
  r.truncated = steps_ >= cfg_.max_episode_steps;
  return r;
}

GoalObs FetchEnv::observe() {
  const mjModel* m = model_.get();
  const mjData* d = data_.get();
  const double dt = control_dt();
  GoalObs o;
  const double* grip = d->site_xpos + 3 * grip_site_;
  double grip_vel6[6];
  mj_objectVelocity(m, d, mjOBJ_SITE, grip_site_, grip_vel6, 0);
  const double grip_velp[3] = {grip_vel6[3] * dt, grip_vel6[4] * dt, grip_vel6[5] * dt};
  const double fingers[2] = {d->qpos[finger_qpos_[0]], d->qpos[finger_qpos_[1]]};
  const double finger_vel[2] = {d->qvel[finger_qvel_[0]] * dt, d->qvel[finger_qvel_[1]] * dt};

  auto& ob = o.observation;
  if (cfg_.has_object) {
    ob.reserve(25);
    const double* obj = d->site_xpos + 3 * object_site_;
    double obj_vel6[6];
    mj_objectVelocity(m, d, mjOBJ_SITE, object_site_, obj_vel6, 0);
    const auto rot = mat2euler(d->site_xmat + 9 * object_site_);
    ob.insert(ob.end(), grip, grip + 3);
    ob.insert(ob.end(), obj, obj + 3);
    for (int k = 0; k < 3; ++k) ob.push_back(obj[k] - grip[k]);
    ob.insert(ob.end(), fingers, fingers + 2);
    ob.insert(ob.end(), rot.begin(), rot.end());
    for (int k = 0; k < 3; ++k) ob.push_back(obj_vel6[3 + k] * dt - grip_velp[k]);
    for (int k = 0; k < 3; ++k) ob.push_back(obj_vel6[k] * dt);
    o.achieved_goal.assign(obj, obj + 3);
  } else {
    ob.reserve(10);
    ob.insert(ob.end(), grip, grip + 3);
    ob.insert(ob.end(), fingers, fingers + 2);
    o.achieved_goal.assign(grip, grip + 3);
  }
  ob.insert(ob.end(), grip_velp, grip_velp + 3);
  ob.insert(ob.end(), finger_vel, finger_vel + 2);
  o.desired_goal.assign(goal_.begin(), goal_.end());
  return o;
}

void FetchEnv::compute_reward(std::span<const double> achieved, std::span<const double> desired,
                              std::span<double> out) const {
  check(achieved.size() == desired.size() && achieved.size() == 3 * out.size(),
        cfg_.name + ": compute_reward expects n x 3 goals and n outputs");
  for (std::size_t i = 0; i < out.size(); ++i) {
    // Sparse reward as published: -1 when the distance exceeds the threshold, else 0.
    out[i] = dist3(&achieved[3 * i], &desired[3 * i]) > cfg_.distance_threshold ? -1.0 : 0.0;
  }
}

bool FetchEnv::is_success(std::span<const double> achieved, std::span<const double> desired) const {
  check(achieved.size() == 3 && desired.size() == 3, cfg_.name + ": is_success expects 3-D goals");
  return dist3(achieved.data(), desired.data()) < cfg_.distance_threshold;
}

SubgoalSpec FetchEnv::default_subgoal_spec() const {
  SubgoalSpec s;
  const Workspace& ws = workspace_;
  if (cfg_.has_object) {
    // Gripper position (obs 0..2) and object position (obs 3..5).
    s.obs_indices = {0, 1, 2, 3, 4, 5};
    s.bounds.low = {ws.low[0], ws.low[1], kTableTopZ + kFingertipBelowGrip, ws.low[0], ws.low[1], kTableTopZ};
    s.bounds.high = {ws.high[0], ws.high[1], ws.high[2], ws.high[0], ws.high[1], ws.high[2]};
    s.thresholds = std::vector<double>(6, 0.05);
    s.marker_offsets = {0, 3};
  } else {
    s.obs_indices = {0, 1, 2};
    s.bounds.low = {ws.low[0], ws.low[1], kTableTopZ + kFingertipBelowGrip};
    s.bounds.high = {ws.high[0], ws.high[1], ws.high[2]};
    s.thresholds = std::vector<double>(3, 0.05);
    s.marker_offsets = {0};
  }
  return s;
}

SubgoalSpec FetchEnv::subgoal_candidates() const {
  SubgoalSpec s = default_subgoal_spec();
  const auto add = [&s](int index, double low, double high, double threshold) {
    s.obs_indices.push_back(index);
    s.bounds.low.push_back(low);
    s.bounds.high.push_back(high);
    s.thresholds.push_back(threshold);
  };
  // The two finger joints follow the gripper's (and the block's) entries in the observation; held closed,
  // there is nothing to ask of them.
  const int first_finger = cfg_.has_object ? 9 : 3;
  if (!cfg_.block_gripper) {
    for (int i = 0; i < 2; ++i) add(first_finger + i, 0.0, kFingerMax, kFingerSubgoalThreshold);
  }
  // The gripper's velocity (grip_velp, metres per control step), as HAC's subgoals hold joint velocities:
  // with it a subgoal can ask to arrive slowly.
  const int first_velocity = cfg_.has_object ? 20 : 5;
  for (int i = 0; i < 3; ++i) add(first_velocity + i, -kGripStepMax, kGripStepMax, kGripVelocitySubgoalThreshold);
  return s;
}

}  // namespace hindsight::fetch
