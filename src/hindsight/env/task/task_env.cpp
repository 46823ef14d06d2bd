#include "hindsight/env/task/task_env.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "hindsight/core/error.hpp"

namespace hindsight::task {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

const char* type_name(mjtObj t) {
  switch (t) {
    case mjOBJ_BODY: return "body";
    case mjOBJ_SITE: return "site";
    case mjOBJ_JOINT: return "joint";
    case mjOBJ_ACTUATOR: return "actuator";
    default: return "object";
  }
}

// The id of a named object, or an Error "<where>: the scene has no <type> '<name>'".
int require(const mjModel* m, mjtObj t, const std::string& name, const std::string& where) {
  const int id = mj_name2id(m, t, name.c_str());
  if (id < 0) throw Error(where + ": the scene has no " + type_name(t) + " '" + name + "'");
  return id;
}

int qpos_size(int type) { return type == mjJNT_FREE ? 7 : type == mjJNT_BALL ? 4 : 1; }
int dof_size(int type) { return type == mjJNT_FREE ? 6 : type == mjJNT_BALL ? 3 : 1; }

// A hinge or slide joint's qpos address; a free or ball joint has no single value to set.
int scalar_joint_qpos(const mjModel* m, const std::string& name, const std::string& where) {
  const int j = require(m, mjOBJ_JOINT, name, where);
  if (m->jnt_type[j] == mjJNT_FREE || m->jnt_type[j] == mjJNT_BALL) {
    throw Error(where + ": joint '" + name + "' is a free or ball joint; only hinge and slide joints take one value");
  }
  return m->jnt_qposadr[j];
}

std::string one_line(std::string s) {
  for (char& c : s) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

}  // namespace

TaskEnv::TaskEnv(TaskSpec spec, const TaskFiles& files) : spec_(std::move(spec)) {
  try {
    // From disk, so that what the scene includes or refers to (meshes, <include>) is found beside it.
    model_ = load_mjcf_file(files.scene_path);
  } catch (const Error& e) {
    throw Error(spec_.scene_where + ": " + one_line(e.what()));
  }
  data_ = make_data(model_.get());
  const mjModel* m = model_.get();
  mjData* d = data_.get();

  // Actions.
  int n_action = 0;
  for (const ActionPart& p : spec_.action) {
    Act a;
    if (p.kind == ActionPart::Kind::mocap) {
      const int body = require(m, mjOBJ_BODY, p.mocap, p.where + " (mocap)");
      a.mocap = true;
      a.mocap_id = m->body_mocapid[body];
      if (a.mocap_id < 0) throw Error(p.where + ": body '" + p.mocap + "' is not a mocap body (mocap=\"true\")");
      a.follow_body = require(m, mjOBJ_BODY, p.follow, p.where + " (follow)");
      a.entries = 3;
    } else {
      for (const std::string& name : p.actuators) {
        const int id = require(m, mjOBJ_ACTUATOR, name, p.where + " (actuators)");
        a.actuators.push_back(id);
        if (p.relative) {
          if (m->actuator_trntype[id] != mjTRN_JOINT) {
            throw Error(p.where + ": actuator '" + name + "' does not drive a joint, so mode relative has no position");
          }
          a.joint_qpos.push_back(m->jnt_qposadr[m->actuator_trnid[2 * id]]);
        }
      }
      a.entries = p.shared ? 1 : static_cast<int>(a.actuators.size());
    }
    n_action += a.entries;
    acts_.push_back(std::move(a));
  }
  for (const auto& [joint, value] : spec_.lock_joints) {
    const int j = require(m, mjOBJ_JOINT, joint, spec_.lock_where);
    (void)scalar_joint_qpos(m, joint, spec_.lock_where);
    locks_.emplace_back(m->jnt_qposadr[j], m->jnt_dofadr[j]);
    lock_values_.push_back(value);
  }

  // Observations.
  int n_obs = 0;
  for (const ObsPart& p : spec_.observation) {
    Obs o{p.kind, {}, {}};
    for (const std::string& name : p.names) {
      switch (p.kind) {
        case ObsPart::Kind::qpos:
        case ObsPart::Kind::qvel: {
          const int j = require(m, mjOBJ_JOINT, name, p.where);
          const bool pos = p.kind == ObsPart::Kind::qpos;
          o.ids.push_back(pos ? m->jnt_qposadr[j] : m->jnt_dofadr[j]);
          o.sizes.push_back(pos ? qpos_size(m->jnt_type[j]) : dof_size(m->jnt_type[j]));
          break;
        }
        case ObsPart::Kind::site_pos:
        case ObsPart::Kind::site_linvel:
          o.ids.push_back(require(m, mjOBJ_SITE, name, p.where));
          o.sizes.push_back(3);
          break;
        case ObsPart::Kind::body_pos:
        case ObsPart::Kind::body_linvel:
          o.ids.push_back(require(m, mjOBJ_BODY, name, p.where));
          o.sizes.push_back(3);
          break;
      }
      n_obs += o.sizes.back();
    }
    obs_.push_back(std::move(o));
  }
  goal_id_ = require(m, spec_.goal_is_site ? mjOBJ_SITE : mjOBJ_BODY, spec_.goal_object, spec_.achieved_where);

  // Start states.
  for (const StartPart& p : spec_.start) {
    const int j = require(m, mjOBJ_JOINT, p.joint, p.where);
    const int type = m->jnt_type[j];
    check(type != mjJNT_BALL, p.where + ": joint '" + p.joint + "' is a ball joint; start takes hinge, slide or free joints");
    const std::size_t want = type == mjJNT_FREE ? 3 : 1;
    check(p.low.size() == want, p.where + ": joint '" + p.joint + "' takes " + std::to_string(want) +
                                    (want == 1 ? " value" : " values (its position)") + ", got " +
                                    std::to_string(p.low.size()));
    start_.push_back(Start{m->jnt_qposadr[j], p.low, p.high, p.offset});
  }

  // The initial state: init.qpos and the carried weights, the mocap bodies on the bodies they move, settled.
  mj_resetData(m, d);
  for (const std::string& body : spec_.carry_weight) {
    const int b = require(m, mjOBJ_BODY, body, spec_.init_where + " (carry_weight)");
    d->xfrc_applied[6 * b + 2] = m->body_subtreemass[b] * -m->opt.gravity[2];
  }
  for (const auto& [joint, value] : spec_.init_qpos) d->qpos[scalar_joint_qpos(m, joint, spec_.init_where)] = value;
  mj_forward(m, d);
  for (const Act& a : acts_) {
    if (!a.mocap) continue;
    for (int k = 0; k < 3; ++k) d->mocap_pos[3 * a.mocap_id + k] = d->xpos[3 * a.follow_body + k];
  }
  for (int s = 0; s < spec_.settle_steps; ++s) mj_step(m, d);
  if (spec_.settle_steps > 0) forward_kinematics();
  check(mj_warning_total(d) == 0,
        spec_.file + ": MuJoCo warning while settling the initial state: " + mj_first_warning(d));
  initial_state_ = make_data(m);
  mj_copyData(initial_state_.get(), m, d);

  action_space_ = Box::uniform(static_cast<std::size_t>(n_action), -1.0, 1.0);
  obs_space_ = Box::uniform(static_cast<std::size_t>(n_obs), -kInf, kInf);
  goal_space_ = Box::uniform(spec_.goal_axes.size(), -kInf, kInf);
  goal_.assign(spec_.goal_axes.size(), 0.0);

  // The subgoal space: the file's, or the observation entries that hold the achieved goal.
  const double* initial_goal = (spec_.goal_is_site ? d->site_xpos : d->xpos) + 3 * goal_id_;
  if (spec_.subgoal) {
    const SubgoalPart& p = *spec_.subgoal;
    for (int i : p.indices) {
      check(i < n_obs, p.where + ": observation index " + std::to_string(i) + " is outside the observation (" +
                           std::to_string(n_obs) + " values)");
    }
    subgoal_.obs_indices = p.indices;
    subgoal_.bounds.low = p.low;
    subgoal_.bounds.high = p.high;
    subgoal_.thresholds = p.thresholds;
    subgoal_.marker_offsets = p.markers;
  } else {
    const ObsPart::Kind want = spec_.goal_is_site ? ObsPart::Kind::site_pos : ObsPart::Kind::body_pos;
    int offset = 0;
    for (const Obs& o : obs_) {
      for (std::size_t i = 0; i < o.ids.size(); ++i) {
        if (o.kind == want && o.ids[i] == goal_id_ && subgoal_.obs_indices.empty()) {
          const GoalDistribution& g = spec_.goal;
          for (std::size_t k = 0; k < spec_.goal_axes.size(); ++k) {
            const int axis = spec_.goal_axes[k];
            const double centre = g.around_achieved ? initial_goal[axis] : 0.0;
            const std::size_t lift_axis =
                g.lift_axis < 0 ? spec_.goal_axes.size() - 1 : static_cast<std::size_t>(g.lift_axis);
            const bool lifted = g.lift_probability > 0 && lift_axis == k;
            double lo = centre + g.low[k], hi = centre + g.high[k] + (lifted ? g.lift_high : 0.0);
            // A fixed coordinate still needs a non-empty interval for the hierarchy's subgoal actions.
            if (!(lo < hi)) {
              lo -= spec_.distance_threshold;
              hi += spec_.distance_threshold;
            }
            subgoal_.obs_indices.push_back(offset + axis);
            subgoal_.bounds.low.push_back(lo);
            subgoal_.bounds.high.push_back(hi);
            subgoal_.thresholds.push_back(spec_.distance_threshold);
          }
          if (spec_.goal_axes == std::vector<int>{0, 1, 2}) subgoal_.marker_offsets = {0};
        }
        offset += o.sizes[i];
      }
    }
  }
  rng_.reseed(0);
}

void TaskEnv::forward_kinematics() {
  // After mj_step the derived quantities describe the state before the last integration; these three
  // stages bring positions and velocities up to date without the cost of collision detection.
  mj_kinematics(model_.get(), data_.get());
  mj_comPos(model_.get(), data_.get());
  mj_comVel(model_.get(), data_.get());
}

GoalObs TaskEnv::reset(std::optional<std::uint64_t> seed) {
  if (seed) rng_.reseed(*seed);
  const mjModel* m = model_.get();
  mjData* d = data_.get();
  mj_copyData(d, m, initial_state_.get());
  warnings_seen_ = 0;
  steps_ = 0;
  // Draws in file order: the start entries (each coordinate in turn), then the goal coordinates, then the lift.
  for (const Start& s : start_) {
    for (std::size_t i = 0; i < s.low.size(); ++i) {
      const double v = rng_.uniform(s.low[i], s.high[i]);
      const int at = s.qpos + static_cast<int>(i);
      d->qpos[at] = s.offset ? initial_state_->qpos[at] + v : v;
    }
  }
  mj_forward(m, d);
  const double* achieved = (spec_.goal_is_site ? d->site_xpos : d->xpos) + 3 * goal_id_;
  const GoalDistribution& g = spec_.goal;
  for (std::size_t k = 0; k < goal_.size(); ++k) {
    const double centre = g.around_achieved ? achieved[spec_.goal_axes[k]] : 0.0;
    goal_[k] = centre + rng_.uniform(g.low[k], g.high[k]);
  }
  if (g.lift_probability > 0 && rng_.uniform01() < g.lift_probability) {
    const std::size_t axis = g.lift_axis < 0 ? goal_.size() - 1 : static_cast<std::size_t>(g.lift_axis);
    goal_[axis] += rng_.uniform(g.lift_low, g.lift_high);
  }
  return observe();
}

StepResult TaskEnv::step(std::span<const double> action) {
  validate_action(action);
  const mjModel* m = model_.get();
  mjData* d = data_.get();
  std::vector<double> a(action_space_.size());
  action_space_.clip(action, a);

  std::size_t k = 0;
  for (std::size_t p = 0; p < acts_.size(); ++p) {
    const Act& act = acts_[p];
    const ActionPart& part = spec_.action[p];
    if (act.mocap) {
      // The mocap target is the followed body's current position plus the scaled displacement.
      for (int i = 0; i < 3; ++i) {
        double target = d->xpos[3 * act.follow_body + i] + part.scale * a[k + i];
        if (part.clamp_low) target = std::clamp(target, (*part.clamp_low)[i], (*part.clamp_high)[i]);
        d->mocap_pos[3 * act.mocap_id + i] = target;
      }
    } else {
      for (std::size_t j = 0; j < act.actuators.size(); ++j) {
        const double x = a[part.shared ? k : k + j];
        const int id = act.actuators[j];
        if (part.relative) {
          d->ctrl[id] = d->qpos[act.joint_qpos[j]] + part.scale * x;
        } else if (m->actuator_ctrllimited[id]) {
          const double lo = m->actuator_ctrlrange[2 * id], hi = m->actuator_ctrlrange[2 * id + 1];
          d->ctrl[id] = lo + (x + 1.0) * 0.5 * (hi - lo);
        } else {
          d->ctrl[id] = part.scale * x;
        }
      }
    }
    k += static_cast<std::size_t>(act.entries);
  }

  for (int s = 0; s < spec_.n_substeps; ++s) mj_step(m, d);
  for (std::size_t i = 0; i < locks_.size(); ++i) {
    d->qpos[locks_[i].first] = lock_values_[i];
    d->qvel[locks_[i].second] = 0.0;
  }
  forward_kinematics();

  throw_on_new_warning(d, warnings_seen_, spec_.name, steps_ + 1);
  ++steps_;
  StepResult r;
  r.obs = observe();
  r.reward = reward(r.obs.achieved_goal, r.obs.desired_goal);
  r.success = is_success(r.obs.achieved_goal, r.obs.desired_goal);
  r.truncated = steps_ >= spec_.max_episode_steps;
  return r;
}

GoalObs TaskEnv::observe() {
  const mjModel* m = model_.get();
  const mjData* d = data_.get();
  const double vscale = spec_.velocities_per_step ? control_dt() : 1.0;
  GoalObs o;
  auto& ob = o.observation;
  ob.reserve(obs_space_.size());
  for (const Obs& p : obs_) {
    for (std::size_t i = 0; i < p.ids.size(); ++i) {
      const int id = p.ids[i];
      switch (p.kind) {
        case ObsPart::Kind::qpos:
          ob.insert(ob.end(), d->qpos + id, d->qpos + id + p.sizes[i]);
          break;
        case ObsPart::Kind::qvel:
          for (int j = 0; j < p.sizes[i]; ++j) ob.push_back(spec_.velocities_per_step ? d->qvel[id + j] * vscale : d->qvel[id + j]);
          break;
        case ObsPart::Kind::site_pos:
          ob.insert(ob.end(), d->site_xpos + 3 * id, d->site_xpos + 3 * id + 3);
          break;
        case ObsPart::Kind::body_pos:
          ob.insert(ob.end(), d->xpos + 3 * id, d->xpos + 3 * id + 3);
          break;
        case ObsPart::Kind::site_linvel:
        case ObsPart::Kind::body_linvel: {
          // World-frame linear velocity at the site, or at the body's frame origin.
          double v[6];
          mj_objectVelocity(m, d, p.kind == ObsPart::Kind::site_linvel ? mjOBJ_SITE : mjOBJ_XBODY, id, v, 0);
          for (int j = 0; j < 3; ++j) ob.push_back(spec_.velocities_per_step ? v[3 + j] * vscale : v[3 + j]);
          break;
        }
      }
    }
  }
  const double* achieved = (spec_.goal_is_site ? d->site_xpos : d->xpos) + 3 * goal_id_;
  for (int axis : spec_.goal_axes) o.achieved_goal.push_back(achieved[axis]);
  o.desired_goal = goal_;
  return o;
}

void TaskEnv::compute_reward(std::span<const double> achieved, std::span<const double> desired,
                             std::span<double> out) const {
  const std::size_t n = goal_.size();
  check(achieved.size() == desired.size() && achieved.size() == n * out.size(),
        spec_.name + ": compute_reward expects n x " + std::to_string(n) + " goals and n outputs");
  for (std::size_t i = 0; i < out.size(); ++i) {
    double s = 0.0;
    for (std::size_t k = 0; k < n; ++k) {
      const double dk = achieved[n * i + k] - desired[n * i + k];
      s += dk * dk;
    }
    // Sparse, as the Fetch tasks: -1 when the distance exceeds the threshold, else 0.
    out[i] = std::sqrt(s) > spec_.distance_threshold ? -1.0 : 0.0;
  }
}

bool TaskEnv::is_success(std::span<const double> achieved, std::span<const double> desired) const {
  const std::size_t n = goal_.size();
  check(achieved.size() == n && desired.size() == n,
        spec_.name + ": is_success expects " + std::to_string(n) + "-D goals");
  double s = 0.0;
  for (std::size_t k = 0; k < n; ++k) {
    const double dk = achieved[k] - desired[k];
    s += dk * dk;
  }
  return std::sqrt(s) < spec_.distance_threshold;
}

std::unique_ptr<GoalEnv> load_task_env(const std::string& path, const std::string& scene_dir) {
  const TaskFiles files = read_task_files(path, scene_dir);
  return std::make_unique<TaskEnv>(parse_task(files), files);
}

}  // namespace hindsight::task
