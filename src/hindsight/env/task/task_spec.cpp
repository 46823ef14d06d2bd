#include "hindsight/env/task/task_spec.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <initializer_list>
#include <sstream>

#include "hindsight/core/error.hpp"
#include "hindsight/io/atomic_file.hpp"
#include "hindsight/io/config.hpp"

namespace hindsight::task {
namespace {

namespace fs = std::filesystem;

// Reads values out of the task file's YAML; every error names the file, the line and the key.
class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}

  // "FILE:LINE: key 'KEY'" for a value at node.
  std::string where(const YAML::Node& node, const std::string& key) const {
    const std::string at = file_ + ":" + std::to_string(node.Mark().line + 1);
    return key.empty() ? at : at + ": key '" + key + "'";
  }
  [[noreturn]] void fail(const YAML::Node& node, const std::string& key, const std::string& what) const {
    throw Error(where(node, key) + ": " + what);
  }

  // Throws for a key of map not in allowed (a typo would otherwise be ignored silently).
  void only_keys(const YAML::Node& map, const std::string& key, std::initializer_list<const char*> allowed) const {
    if (!map.IsMap()) fail(map, key, "expects a mapping of key: value lines, got " + kind(map));
    for (const auto& kv : map) {
      const std::string k = kv.first.Scalar();
      if (std::none_of(allowed.begin(), allowed.end(), [&](const char* a) { return k == a; })) {
        std::string list;
        for (const char* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
        fail(kv.first, key.empty() ? k : key + "." + k, "unknown key (expected one of: " + list + ")");
      }
    }
  }

  static std::string kind(const YAML::Node& n) {
    if (n.IsMap()) return "a mapping";
    if (n.IsSequence()) return "a list";
    if (n.IsNull()) return "nothing";
    return "'" + n.Scalar() + "'";
  }

  double number(const YAML::Node& n, const std::string& key) const {
    if (!n.IsScalar()) fail(n, key, "expects a number, got " + kind(n));
    double v = 0;
    try {
      v = n.as<double>();
    } catch (const YAML::Exception&) {
      fail(n, key, "expects a number, got '" + n.Scalar() + "'");
    }
    if (!std::isfinite(v)) fail(n, key, "expects a finite number, got '" + n.Scalar() + "'");
    return v;
  }

  int integer(const YAML::Node& n, const std::string& key, int lo, int hi) const {
    const double v = number(n, key);
    if (v != std::floor(v) || v < lo || v > hi) {
      fail(n, key, "expects a whole number in [" + std::to_string(lo) + ", " + std::to_string(hi) + "], got '" +
                       n.Scalar() + "'");
    }
    return static_cast<int>(v);
  }

  std::string text(const YAML::Node& n, const std::string& key) const {
    if (!n.IsScalar() || n.Scalar().empty()) fail(n, key, "expects a name, got " + kind(n));
    return n.Scalar();
  }

  bool boolean(const YAML::Node& n, const std::string& key) const {
    if (n.IsScalar()) {
      const std::string& s = n.Scalar();
      if (s == "true") return true;
      if (s == "false") return false;
    }
    fail(n, key, "expects true or false, got " + kind(n));
  }

  // A name or a list of names.
  std::vector<std::string> names(const YAML::Node& n, const std::string& key) const {
    std::vector<std::string> out;
    if (n.IsSequence()) {
      for (std::size_t i = 0; i < n.size(); ++i) out.push_back(text(n[i], key + "[" + std::to_string(i) + "]"));
    } else {
      out.push_back(text(n, key));
    }
    if (out.empty()) fail(n, key, "expects at least one name");
    return out;
  }

  // A number or a list of numbers; want > 0 demands that many.
  std::vector<double> numbers(const YAML::Node& n, const std::string& key, std::size_t want = 0) const {
    std::vector<double> out;
    if (n.IsSequence()) {
      for (std::size_t i = 0; i < n.size(); ++i) out.push_back(number(n[i], key + "[" + std::to_string(i) + "]"));
    } else {
      out.push_back(number(n, key));
    }
    if (want > 0 && out.size() != want) {
      fail(n, key, "expects " + std::to_string(want) + " values, got " + std::to_string(out.size()));
    }
    return out;
  }

  std::vector<int> indices(const YAML::Node& n, const std::string& key) const {
    if (!n.IsSequence() || n.size() == 0) fail(n, key, "expects a non-empty list of indices, got " + kind(n));
    std::vector<int> out;
    for (std::size_t i = 0; i < n.size(); ++i) {
      out.push_back(integer(n[i], key + "[" + std::to_string(i) + "]", 0, 1 << 20));
    }
    return out;
  }

  // A mapping of joint name: value, in file order.
  std::vector<std::pair<std::string, double>> joint_values(const YAML::Node& n, const std::string& key) const {
    if (!n.IsMap()) fail(n, key, "expects a mapping of joint: value, got " + kind(n));
    std::vector<std::pair<std::string, double>> out;
    for (const auto& kv : n) {
      const std::string j = text(kv.first, key);
      out.emplace_back(j, number(kv.second, key + "." + j));
    }
    return out;
  }

  YAML::Node required(const YAML::Node& map, const char* k, const std::string& parent) const {
    const YAML::Node n = map[k];
    if (!n) fail(map, parent.empty() ? k : parent + "." + k, "is missing");
    return n;
  }

  const std::string& file() const { return file_; }

 private:
  std::string file_;
};

// A number as the file would spell it (shortest form, no trailing zeros).
std::string number_text(double v) {
  std::ostringstream o;
  o << v;
  return o.str();
}

std::vector<int> parse_axes(const Reader& r, const YAML::Node& n, const std::string& key) {
  const std::string s = r.text(n, key);
  std::vector<int> axes;
  for (const char c : s) {
    const int a = c == 'x' ? 0 : c == 'y' ? 1 : c == 'z' ? 2 : -1;
    if (a < 0 || std::find(axes.begin(), axes.end(), a) != axes.end()) {
      r.fail(n, key, "expects distinct axes among x, y, z (e.g. xyz or xy), got '" + s + "'");
    }
    axes.push_back(a);
  }
  return axes;
}

ActionPart parse_action(const Reader& r, const YAML::Node& n, const std::string& key) {
  ActionPart a;
  a.where = r.where(n, key);
  if (n.IsMap() && n["mocap"]) {
    r.only_keys(n, key, {"mocap", "follow", "scale", "clamp"});
    a.kind = ActionPart::Kind::mocap;
    a.mocap = r.text(n["mocap"], key + ".mocap");
    a.follow = n["follow"] ? r.text(n["follow"], key + ".follow") : a.mocap;
    a.scale = n["scale"] ? r.number(n["scale"], key + ".scale") : 1.0;
    if (const YAML::Node c = n["clamp"]) {
      r.only_keys(c, key + ".clamp", {"low", "high"});
      const auto lo = r.numbers(r.required(c, "low", key + ".clamp"), key + ".clamp.low", 3);
      const auto hi = r.numbers(r.required(c, "high", key + ".clamp"), key + ".clamp.high", 3);
      for (int k = 0; k < 3; ++k) {
        if (!(lo[k] <= hi[k])) r.fail(c, key + ".clamp", "low must not exceed high (an empty box)");
      }
      a.clamp_low = std::array<double, 3>{lo[0], lo[1], lo[2]};
      a.clamp_high = std::array<double, 3>{hi[0], hi[1], hi[2]};
    }
  } else if (n.IsMap() && n["actuators"]) {
    r.only_keys(n, key, {"actuators", "shared", "mode", "scale"});
    a.kind = ActionPart::Kind::actuators;
    a.actuators = r.names(n["actuators"], key + ".actuators");
    a.shared = n["shared"] ? r.boolean(n["shared"], key + ".shared") : false;
    if (const YAML::Node m = n["mode"]) {
      const std::string mode = r.text(m, key + ".mode");
      if (mode != "relative" && mode != "absolute") {
        r.fail(m, key + ".mode", "expects relative or absolute, got '" + mode + "'");
      }
      a.relative = mode == "relative";
    }
    a.scale = n["scale"] ? r.number(n["scale"], key + ".scale") : 1.0;
  } else {
    r.fail(n, key, "expects a mapping with `mocap: BODY` or `actuators: [NAMES]`, got " + Reader::kind(n));
  }
  if (a.scale < 0) r.fail(n, key + ".scale", "must be >= 0");
  return a;
}

ObsPart parse_obs(const Reader& r, const YAML::Node& n, const std::string& key) {
  static const std::pair<const char*, ObsPart::Kind> kinds[] = {
      {"qpos", ObsPart::Kind::qpos},           {"qvel", ObsPart::Kind::qvel},
      {"site_pos", ObsPart::Kind::site_pos},   {"body_pos", ObsPart::Kind::body_pos},
      {"site_linvel", ObsPart::Kind::site_linvel}, {"body_linvel", ObsPart::Kind::body_linvel}};
  if (!n.IsMap() || n.size() != 1) {
    r.fail(n, key, "expects one `KIND: NAMES` entry (KIND: qpos, qvel, site_pos, body_pos, site_linvel, "
                   "body_linvel), got " + Reader::kind(n));
  }
  const auto kv = *n.begin();
  const std::string k = kv.first.Scalar();
  for (const auto& [name, kind] : kinds) {
    if (k == name) return ObsPart{kind, r.names(kv.second, key + "." + k), r.where(n, key + "." + k)};
  }
  r.fail(kv.first, key + "." + k,
         "unknown observation kind (expected qpos, qvel, site_pos, body_pos, site_linvel or body_linvel)");
}

StartPart parse_start(const Reader& r, const YAML::Node& n, const std::string& key) {
  r.only_keys(n, key, {"joint", "low", "high", "value", "offset"});
  StartPart s;
  s.where = r.where(n, key);
  s.joint = r.text(r.required(n, "joint", key), key + ".joint");
  if (const YAML::Node v = n["value"]) {
    if (n["low"] || n["high"]) r.fail(n, key, "gives `value` and `low`/`high`; use one or the other");
    s.low = s.high = r.numbers(v, key + ".value");
  } else {
    s.low = r.numbers(r.required(n, "low", key), key + ".low");
    s.high = r.numbers(r.required(n, "high", key), key + ".high", s.low.size());
    for (std::size_t i = 0; i < s.low.size(); ++i) {
      if (!(s.low[i] <= s.high[i])) r.fail(n, key, "low must not exceed high (an empty box)");
    }
  }
  s.offset = n["offset"] ? r.boolean(n["offset"], key + ".offset") : false;
  return s;
}

}  // namespace

bool is_task_path(const std::string& name) {
  return name.find('/') != std::string::npos || name.ends_with(".yaml") || name.ends_with(".yml");
}

TaskFiles read_task_files(const std::string& path, const std::string& scene_dir) {
  TaskFiles f;
  f.path = path;
  f.text = io::read_file(path);
  YAML::Node root;
  try {
    const std::size_t docs = count_yaml_documents(f.text, path);
    check(docs == 1, path + ": expected one YAML document (a task file), found " + std::to_string(docs));
    root = YAML::Load(f.text);
  } catch (const YAML::Exception& e) {
    throw Error(path + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1) +
                ": YAML syntax error: " + e.msg);
  }
  const Reader r(path);
  if (!root.IsMap()) r.fail(root, "", "a task file is a mapping of key: value lines, got " + Reader::kind(root));
  const std::string scene = r.text(r.required(root, "scene", ""), "scene");
  const fs::path p = scene_dir.empty() ? fs::path(path).parent_path() / scene
                                       : fs::path(scene_dir) / fs::path(scene).filename();
  f.scene_path = p.lexically_normal().string();
  try {
    f.scene_text = io::read_file(f.scene_path);
  } catch (const Error& e) {
    r.fail(root["scene"], "scene", e.what());
  }
  return f;
}

std::vector<std::pair<std::string, std::string>> run_copy(const TaskFiles& files) {
  const std::string task = fs::path(files.path).filename().string();
  const std::string scene = fs::path(files.scene_path).filename().string();
  check(task != scene, files.path + ": the task file and its scene have the same file name (" + task + ")");
  return {{"task/" + task, files.text}, {"task/" + scene, files.scene_text}};
}

std::string run_task_path(const std::string& run_dir, const std::string& name) {
  const std::string p = (fs::path(run_dir) / "task" / fs::path(name).filename()).string();
  return io::file_exists(p) ? p : "";
}

TaskSpec parse_task(const TaskFiles& files) {
  const YAML::Node root = YAML::Load(files.text);  // read_task_files parsed it already
  const Reader r(files.path);
  r.only_keys(root, "",
              {"name", "scene", "max_episode_steps", "n_substeps", "settle_steps", "velocities", "init", "action",
               "lock_joints", "observation", "achieved_goal", "goal", "start", "distance_threshold", "subgoal"});
  TaskSpec s;
  s.file = files.path;
  s.scene_where = r.where(root["scene"], "scene");
  s.name = root["name"] ? r.text(root["name"], "name") : fs::path(files.path).stem().string();
  // The name starts run directory names: letters, digits and . _ - only.
  if (s.name.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") !=
          std::string::npos || s.name.front() == '.') {
    r.fail(root["name"] ? root["name"] : root, "name", "'" + s.name + "' must be letters, digits, '.', '_' or '-'");
  }
  if (const YAML::Node n = root["max_episode_steps"]) s.max_episode_steps = r.integer(n, "max_episode_steps", 1, 1000000);
  if (const YAML::Node n = root["n_substeps"]) s.n_substeps = r.integer(n, "n_substeps", 1, 100000);
  if (const YAML::Node n = root["settle_steps"]) s.settle_steps = r.integer(n, "settle_steps", 0, 1000000);
  if (const YAML::Node n = root["velocities"]) {
    const std::string v = r.text(n, "velocities");
    if (v != "per_step" && v != "per_second") r.fail(n, "velocities", "expects per_step or per_second, got '" + v + "'");
    s.velocities_per_step = v == "per_step";
  }
  if (const YAML::Node n = root["init"]) {
    r.only_keys(n, "init", {"qpos", "carry_weight"});
    s.init_where = r.where(n, "init");
    if (n["qpos"]) s.init_qpos = r.joint_values(n["qpos"], "init.qpos");
    if (n["carry_weight"]) s.carry_weight = r.names(n["carry_weight"], "init.carry_weight");
  }

  const YAML::Node action = r.required(root, "action", "");
  if (!action.IsSequence() || action.size() == 0) r.fail(action, "action", "expects a non-empty list of parts");
  for (std::size_t i = 0; i < action.size(); ++i) s.action.push_back(parse_action(r, action[i], "action[" + std::to_string(i) + "]"));
  if (const YAML::Node n = root["lock_joints"]) {
    s.lock_where = r.where(n, "lock_joints");
    s.lock_joints = r.joint_values(n, "lock_joints");
  }

  const YAML::Node obs = r.required(root, "observation", "");
  if (!obs.IsSequence() || obs.size() == 0) r.fail(obs, "observation", "expects a non-empty list of parts");
  for (std::size_t i = 0; i < obs.size(); ++i) s.observation.push_back(parse_obs(r, obs[i], "observation[" + std::to_string(i) + "]"));

  const YAML::Node ag = r.required(root, "achieved_goal", "");
  r.only_keys(ag, "achieved_goal", {"site", "body", "axes"});
  s.achieved_where = r.where(ag, "achieved_goal");
  if (ag["site"] && ag["body"]) r.fail(ag, "achieved_goal", "gives both `site` and `body`; the goal is one of them");
  if (ag["site"]) {
    s.goal_object = r.text(ag["site"], "achieved_goal.site");
  } else if (ag["body"]) {
    s.goal_is_site = false;
    s.goal_object = r.text(ag["body"], "achieved_goal.body");
  } else {
    r.fail(ag, "achieved_goal", "needs `site: NAME` or `body: NAME`");
  }
  s.goal_axes = ag["axes"] ? parse_axes(r, ag["axes"], "achieved_goal.axes") : std::vector<int>{0, 1, 2};
  const std::size_t gdim = s.goal_axes.size();

  const YAML::Node goal = r.required(root, "goal", "");
  r.only_keys(goal, "goal", {"around", "low", "high", "lift"});
  GoalDistribution& g = s.goal;
  g.where = r.where(goal, "goal");
  if (const YAML::Node a = goal["around"]) {
    const std::string v = r.text(a, "goal.around");
    if (v != "world" && v != "achieved") r.fail(a, "goal.around", "expects world or achieved, got '" + v + "'");
    g.around_achieved = v == "achieved";
  }
  g.low = r.numbers(r.required(goal, "low", "goal"), "goal.low", gdim);
  g.high = r.numbers(r.required(goal, "high", "goal"), "goal.high", gdim);
  for (std::size_t i = 0; i < gdim; ++i) {
    if (!(g.low[i] <= g.high[i])) {
      r.fail(goal, "goal", "empty goal box: low[" + std::to_string(i) + "] = " + number_text(g.low[i]) +
                               " exceeds high[" + std::to_string(i) + "] = " + number_text(g.high[i]));
    }
  }
  if (const YAML::Node l = goal["lift"]) {
    r.only_keys(l, "goal.lift", {"probability", "low", "high", "axis"});
    g.lift_probability = r.number(r.required(l, "probability", "goal.lift"), "goal.lift.probability");
    if (g.lift_probability < 0 || g.lift_probability > 1) r.fail(l["probability"], "goal.lift.probability", "must be in [0, 1]");
    g.lift_low = r.number(r.required(l, "low", "goal.lift"), "goal.lift.low");
    g.lift_high = r.number(r.required(l, "high", "goal.lift"), "goal.lift.high");
    if (!(g.lift_low <= g.lift_high)) r.fail(l, "goal.lift", "low must not exceed high");
    if (l["axis"]) g.lift_axis = r.integer(l["axis"], "goal.lift.axis", 0, static_cast<int>(gdim) - 1);
  }

  if (const YAML::Node st = root["start"]) {
    if (!st.IsSequence()) r.fail(st, "start", "expects a list of `joint:` entries, got " + Reader::kind(st));
    for (std::size_t i = 0; i < st.size(); ++i) s.start.push_back(parse_start(r, st[i], "start[" + std::to_string(i) + "]"));
  }
  if (const YAML::Node n = root["distance_threshold"]) {
    s.distance_threshold = r.number(n, "distance_threshold");
    if (s.distance_threshold <= 0) r.fail(n, "distance_threshold", "must be > 0");
  }

  if (const YAML::Node sg = root["subgoal"]) {
    r.only_keys(sg, "subgoal", {"indices", "low", "high", "threshold", "markers"});
    SubgoalPart p;
    p.where = r.where(sg, "subgoal");
    p.indices = r.indices(r.required(sg, "indices", "subgoal"), "subgoal.indices");
    const std::size_t n = p.indices.size();
    p.low = r.numbers(r.required(sg, "low", "subgoal"), "subgoal.low", n);
    p.high = r.numbers(r.required(sg, "high", "subgoal"), "subgoal.high", n);
    for (std::size_t i = 0; i < n; ++i) {
      if (!(p.low[i] < p.high[i])) r.fail(sg, "subgoal", "low[" + std::to_string(i) + "] must be below high[" + std::to_string(i) + "]");
    }
    const YAML::Node t = r.required(sg, "threshold", "subgoal");
    p.thresholds = r.numbers(t, "subgoal.threshold");
    if (p.thresholds.size() == 1) p.thresholds.assign(n, p.thresholds[0]);
    if (p.thresholds.size() != n) {
      r.fail(t, "subgoal.threshold", "expects one value or " + std::to_string(n) + " (one per index)");
    }
    for (double v : p.thresholds) {
      if (v <= 0) r.fail(t, "subgoal.threshold", "must be > 0");
    }
    if (sg["markers"]) p.markers = r.indices(sg["markers"], "subgoal.markers");
    for (int m : p.markers) {
      if (static_cast<std::size_t>(m) + 3 > n) r.fail(sg["markers"], "subgoal.markers", "a marker needs 3 entries from its offset");
    }
    s.subgoal = std::move(p);
  }
  return s;
}

}  // namespace hindsight::task
