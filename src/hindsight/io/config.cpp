#include "hindsight/io/config.hpp"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <stdexcept>
#include <sstream>
#include <string_view>

#include "hindsight/core/error.hpp"
#include "hindsight/io/atomic_file.hpp"

#include "hindsight/io/config_schema.hpp"

namespace hindsight {
namespace {

using config_schema::Field;
using config_schema::FieldError;
using config_schema::Raw;
using config_schema::find_field;
using config_schema::format_double;
using config_schema::schema;
using config_schema::trim;

// ---- per-level values ------------------------------------------------------------------------------

constexpr std::string_view kLevelPrefix = "level";

// "level<N>.<key>" as (N, key); nullopt when name does not have that shape.
std::optional<std::pair<int, std::string>> split_level_key(const std::string& name) {
  if (name.rfind(kLevelPrefix, 0) != 0) return std::nullopt;
  const auto dot = name.find('.');
  if (dot == std::string::npos || dot == kLevelPrefix.size()) return std::nullopt;
  const std::string digits = name.substr(kLevelPrefix.size(), dot - kLevelPrefix.size());
  if (digits.size() > 3 || digits.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  return std::pair{std::stoi(digits), name.substr(dot + 1)};
}

// Sets a level<N>.<key> value: checked by parsing it into a copy of the config; stored as YAML text.
// Returns false when name is not a per-level name; throws FieldError for a bad key or value.
bool set_level_value(TrainConfig& config, const std::string& name, const Raw& raw) {
  const auto split = split_level_key(name);
  if (!split) return false;
  const auto& keys = level_keys();
  if (std::find(keys.begin(), keys.end(), split->second) == keys.end()) {
    std::string list;
    for (const auto& k : keys) list += (list.empty() ? "" : ", ") + k;
    throw FieldError("'" + split->second + "' cannot be set per level (" + name + "); per-level keys: " + list);
  }
  const Field* field = find_field(split->second);
  TrainConfig scratch = config;
  field->set(scratch, raw);
  try {
    field->check(scratch);
  } catch (const FieldError& e) {
    throw FieldError(name + ": " + e.what());
  }
  config.level_values[name] = field->yaml_value(scratch);
  return true;
}

// ---- unknown keys ----------------------------------------------------------------------------------

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      const bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                        std::tolower(static_cast<unsigned char>(b[j - 1]));
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (same ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

// "unknown key 'x'" plus a suggestion: the key's name in baselines / SB3 when it is one, else the
// closest key by edit distance when it is close enough to be a typo.
std::string unknown_key(const std::string& key) {
  struct Hint {
    const char* theirs;
    const char* ours;
    const char* note;
  };
  static const Hint hints[] = {
      {"n_epochs", "epochs", ""},
      {"n_cycles", "cycles", ""},
      {"n_batches", "updates_per_cycle", ""},
      {"gradient_steps", "updates_per_cycle", ""},
      {"rollout_batch_size", "episodes_per_cycle", ""},
      {"n_test_rollouts", "test_episodes", ""},
      {"pi_lr", "actor_lr", ""},
      {"Q_lr", "critic_lr", ""},
      {"learning_rate", "actor_lr", " set critic_lr too"},
      {"layers", "hidden", " it lists the layer widths, e.g. [256, 256, 256]"},
      {"net_arch", "hidden", ""},
      {"tau", "polyak", " polyak = 1 - tau"},
      {"replay_strategy", "her_strategy", ""},
      {"goal_selection_strategy", "her_strategy", ""},
      {"n_sampled_goal", "replay_k", ""},
  };
  std::string msg = "unknown key '" + key + "'";
  for (const Hint& h : hints)
    if (key == h.theirs) return msg + " (did you mean '" + h.ours + "'?" + h.note + ")";
  const Field* best = nullptr;
  std::size_t best_d = std::max<std::size_t>(1, key.size() / 3) + 1;
  for (const Field& f : schema()) {
    const std::size_t d = edit_distance(key, f.name);
    if (d < best_d) best = &f, best_d = d;
  }
  if (best) msg += " (did you mean '" + best->name + "'?)";
  return msg;
}

// ---- YAML input ------------------------------------------------------------------------------------

Raw to_raw(const std::string& key, const YAML::Node& node) {
  Raw raw;
  if (node.IsMap()) {
    raw.kind = Raw::Kind::mapping;
  } else if (node.IsSequence()) {
    raw.kind = Raw::Kind::list;
    for (const auto& item : node) {
      if (!item.IsScalar()) throw FieldError("key '" + key + "': list items must be plain values");
      raw.items.push_back(item.Scalar());
    }
  } else {
    raw.text = node.Scalar();  // a null value ("key:" or "~") reads as empty text
  }
  return raw;
}

// Records where each document starts; the other parsing events are not needed.
class DocumentStarts final : public YAML::EventHandler {
 public:
  std::vector<YAML::Mark> marks;
  void OnDocumentStart(const YAML::Mark& mark) override { marks.push_back(mark); }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

// The number of YAML documents in text. yaml-cpp 0.7's LoadAll never returns on some malformed input: a
// lone ',' is never consumed, so the parser starts empty documents at the same place forever, allocating
// until memory runs out (upstream issue #1040, fixed after 0.8). Documents are therefore counted here, and
// one that starts where the previous one did is reported as the syntax error it is.
std::size_t count_documents(const std::string& text, const std::string& path) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  DocumentStarts starts;
  while (parser.HandleNextDocument(starts)) {
    const std::size_t n = starts.marks.size();
    if (n >= 2 && starts.marks[n - 1].pos <= starts.marks[n - 2].pos) {
      const YAML::Mark& m = starts.marks[n - 1];
      const auto at = static_cast<std::size_t>(m.pos);
      throw Error(path + ":" + std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1) +
                  ": YAML syntax error: unexpected " +
                  (at < text.size() ? "'" + std::string(1, text[at]) + "'" : std::string("end of file")));
    }
  }
  return starts.marks.size();
}

}  // namespace

std::size_t count_yaml_documents(const std::string& text, const std::string& path) {
  return count_documents(text, path);
}

namespace {

std::string kind_name(const YAML::Node& node) {
  if (node.IsSequence()) return "a list";
  if (node.IsScalar()) return "a scalar";
  return "something else";
}

std::string exe_dir() {
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : exe.parent_path().string();
}

bool is_dir(const std::string& path) {
  std::error_code ec;
  return std::filesystem::is_directory(path, ec);
}

}  // namespace

TrainConfig default_config() { return TrainConfig{}; }

TrainConfig load_config_file(const std::string& path) {
  // TOML's "key = value" would otherwise read as one YAML scalar and fail with a puzzling message.
  check(!path.ends_with(".toml"), path + ": TOML is not supported; write the config as YAML (key: value lines)");
  return parse_config_yaml(io::read_file(path), path);
}

TrainConfig parse_config_yaml(const std::string& text, const std::string& path) {
  YAML::Node root;
  try {
    const std::size_t docs = count_documents(text, path);
    check(docs <= 1, path + ": expected one YAML document, found " + std::to_string(docs));
    if (docs == 1) root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    // Every yaml-cpp error carries a mark; a mark without a position (-1) still gives "FILE:0:0".
    throw Error(path + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1) +
                ": YAML syntax error: " + e.msg);
  }
  TrainConfig config = default_config();
  if (root.IsNull()) return config;  // an empty file (or only comments) changes nothing
  check(root.IsMap(), path + ":" + std::to_string(root.Mark().line + 1) +
                          ": expected a mapping of key: value lines, got " + kind_name(root));
  std::map<std::string, int> first_line;
  for (const auto& kv : root) {
    const int line = kv.first.Mark().line + 1;
    const std::string where = path + ":" + std::to_string(line) + ": ";
    check(kv.first.IsScalar(), where + "keys must be plain names");
    const std::string key = kv.first.Scalar();
    const auto [seen, fresh] = first_line.emplace(key, line);
    check(fresh,
          where + "duplicate key '" + key + "' (first set on line " + std::to_string(seen->second) + ")");
    try {
      if (set_level_value(config, key, to_raw(key, kv.second))) continue;
    } catch (const FieldError& e) {
      throw Error(where + e.what());
    }
    const Field* field = find_field(key);
    check(field != nullptr, where + unknown_key(key));
    try {
      field->set(config, to_raw(key, kv.second));
      field->check(config);
    } catch (const FieldError& e) {
      throw Error(where + e.what());
    }
  }
  return config;
}

void apply_override(TrainConfig& config, const std::string& key_eq_value) {
  const std::string where = "override '" + key_eq_value + "': ";
  const auto eq = key_eq_value.find('=');
  check(eq != std::string::npos, where + "expected key=value");
  const std::string key(trim(std::string_view(key_eq_value).substr(0, eq)));
  check(!key.empty(), where + "expected key=value (the key is empty)");
  try {
    if (set_level_value(config, key, Raw{Raw::Kind::scalar, key_eq_value.substr(eq + 1), {}})) return;
  } catch (const FieldError& e) {
    throw Error(where + e.what());
  }
  const Field* field = find_field(key);
  check(field != nullptr, where + unknown_key(key));
  try {
    field->set(config, Raw{Raw::Kind::scalar, key_eq_value.substr(eq + 1), {}});
    field->check(config);
  } catch (const FieldError& e) {
    throw Error(where + e.what());
  }
}

void apply_overrides(TrainConfig& config, const std::vector<std::string>& overrides) {
  for (const auto& o : overrides) apply_override(config, o);
}

void validate(const TrainConfig& config) {
  // The per-key rules again: a config built in code or edited after loading never met them.
  for (const Field& f : schema()) {
    try {
      f.check(config);
    } catch (const FieldError& e) {
      throw Error(e.what());
    }
  }
  check(config.norm_init != NormInit::file || !config.norm_file.empty(),
        "norm_init=file needs norm_file (a normalizer statistics file)");
  // A norm_file that would be silently ignored is almost always a forgotten norm_init=file.
  check(config.norm_file.empty() || config.norm_init == NormInit::file,
        "norm_file is set but norm_init is '" + to_string(config.norm_init) +
            "'; set norm_init=file to use it");
  // Likewise a subgoal space that a flat agent would silently ignore.
  check(config.subgoal == "default" || config.levels > 1,
        "subgoal is '" + config.subgoal + "' but levels=1 has no subgoals; set levels >= 2 or drop it");
  check((!config.subgoal_low && !config.subgoal_high) || config.levels > 1,
        "subgoal_low/subgoal_high are set but levels=1 has no subgoals; set levels >= 2 or drop them");
  check(!config.subgoal_threshold || config.levels > 1,
        "subgoal_threshold is set but levels=1 has no subgoals; set levels >= 2 or drop it");
  check(!config.subgoal_offset || config.levels > 1,
        "subgoal_offset is set but levels=1 has no subgoals; set levels >= 2 or drop it");
  if (config.demos > 0) {
    check(config.env.rfind("Fetch", 0) == 0,
          "demos need a task with a scripted expert (the Fetch tasks), not '" + config.env + "'");
    check(config.demo_batch_size < config.batch_size,
          "demo_batch_size (" + std::to_string(config.demo_batch_size) + ") must be below batch_size (" +
              std::to_string(config.batch_size) + ")");
  }
  const std::size_t n = config.H ? config.H->size() : 0, below_top = static_cast<std::size_t>(config.levels - 1);
  const std::string per_level =
      below_top > 1 ? std::to_string(below_top) + " (one per level below the top) or " : "";
  for (const auto& [name, text] : config.level_values) {
    const auto split = split_level_key(name);
    check(split && split->first < config.levels,
          name + " names level " + std::to_string(split ? split->first : -1) + ", but levels=" +
              std::to_string(config.levels) + " has levels 0 to " + std::to_string(config.levels - 1));
  }
  if (!config.level_values.empty()) {
    for (int i = 0; i < config.levels; ++i) validate(for_level(config, i));
  }
  check(!config.H || n == 1 || n == below_top,
        "H has " + std::to_string(n) + " entries; with levels=" + std::to_string(config.levels) +
            " it needs " + per_level + "1 (used for every level), or auto (env default)");
}

const std::vector<std::string>& level_keys() {
  static const std::vector<std::string> keys = {
      "hidden",    "actor_lr",     "critic_lr", "gamma",          "polyak",          "target_networks",
      "action_l2", "noise_eps",    "noise_std", "random_eps", "her_strategy",  "replay_k",        "batch_size",
      "buffer_size", "clip_obs",   "norm_eps",  "norm_clip",      "bounded_critic",  "demo_batch_size",
      "bc_weight", "q_filter"};
  return keys;
}

TrainConfig for_level(const TrainConfig& cfg, int level) {
  TrainConfig out = cfg;
  out.level_values.clear();
  for (const auto& [name, text] : cfg.level_values) {
    const auto split = split_level_key(name);
    if (split && split->first == level) find_field(split->second)->set(out, Raw{Raw::Kind::scalar, text, {}});
  }
  return out;
}

RankShare rank_share(const TrainConfig& config, int ranks) {
  check(ranks >= 1, "rank count must be >= 1");
  if (config.workers == 0) {
    return {config.episodes_per_cycle, config.batch_size, config.demo_batch_size, config.buffer_size};
  }
  check(config.workers % ranks == 0, "workers=" + std::to_string(config.workers) + " cannot be shared among " +
                                         std::to_string(ranks) + " ranks; use a rank count that divides it");
  const int per = config.workers / ranks;
  return {config.episodes_per_cycle * per, config.batch_size * per, config.demo_batch_size * per,
          config.buffer_size * per};
}

int rank_test_episodes(const TrainConfig& config, int rank, int ranks) {
  if (config.workers == 0) return config.test_episodes;
  const int n = config.test_episodes;
  return n / ranks + (rank < n % ranks ? 1 : 0);
}

std::string to_yaml(const TrainConfig& config) {
  std::string y =
      "# hindsight training config, resolved: every key with its value for this run.\n"
      "# Reuse it with `hindsight train --config FILE`; `hindsight train --help` lists the keys.\n";
  for (const Field& f : schema()) y += "\n# " + f.doc + "\n" + f.name + ": " + f.yaml_value(config) + "\n";
  for (const auto& [name, text] : config.level_values) {
    const auto split = split_level_key(name);
    y += "\n# level " + std::to_string(split->first) + " only: " + find_field(split->second)->doc + "\n" + name +
         ": " + text + "\n";
  }
  return y;
}

std::string config_help() {
  const TrainConfig defaults = default_config();
  std::size_t wn = 0, wt = 0, wd = 0;
  for (const Field& f : schema()) {
    wn = std::max(wn, f.name.size());
    wt = std::max(wt, f.type.size());
    wd = std::max(wd, f.yaml_value(defaults).size());
  }
  const auto pad = [](std::string s, std::size_t w) { return s.append(w - s.size() + 2, ' '); };
  std::string help;
  for (const Field& f : schema())
    help += "  " + pad(f.name, wn) + pad(f.type, wt) + pad(f.yaml_value(defaults), wd) + f.doc + "\n";
  return help;
}

std::string configs_dir() {
  if (const char* env = std::getenv("HINDSIGHT_CONFIGS"); env != nullptr && *env != '\0') {
    check(is_dir(env), std::string("HINDSIGHT_CONFIGS=") + env + " is not a directory");
    return env;
  }
  std::vector<std::string> candidates;
  if (const std::string exe = exe_dir(); !exe.empty()) {
    candidates.push_back(exe + "/../configs");
    candidates.push_back(exe + "/../../configs");
  }
  candidates.push_back("./configs");
  for (const auto& c : candidates) {
    if (is_dir(c)) return std::filesystem::path(c).lexically_normal().string();
  }
  return "";
}

std::string find_preset(const std::string& env, const std::string& configs_dir) {
  if (configs_dir.empty() || env.empty()) return "";
  const std::string path = configs_dir + "/" + env + ".yaml";
  return io::file_exists(path) ? path : "";
}

}  // namespace hindsight
