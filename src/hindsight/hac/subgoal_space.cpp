#include "hindsight/hac/subgoal_space.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "hindsight/core/error.hpp"

namespace hindsight::hac {
namespace {

std::vector<int> parse_indices(const std::string& name) {
  std::vector<int> indices;
  std::stringstream ss(name);
  std::string item;
  while (std::getline(ss, item, ',')) {
    std::size_t used = 0;
    int v = -1;
    try {
      v = std::stoi(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    check(used == item.size() && used > 0 && v >= 0,
          "subgoal '" + name + "': expected 'default' or comma-separated observation indices such as 3,4,5");
    indices.push_back(v);
  }
  check(!indices.empty(), "subgoal '" + name + "': no observation index given");
  return indices;
}

}  // namespace

SubgoalSpec subgoal_spec_from_name(const GoalEnv& env, const std::string& name) {
  const SubgoalSpec def = env.default_subgoal_spec();
  validate_subgoal_spec(def, env);
  if (name == "default") return def;
  const std::vector<int> indices = parse_indices(name);
  const int obs = static_cast<int>(env.observation_space().size());
  const SubgoalSpec all = env.subgoal_candidates();
  validate_subgoal_spec(all, env);
  SubgoalSpec s;
  for (int index : indices) {
    check(index < obs, "subgoal '" + name + "': observation index " + std::to_string(index) + " is beyond the " +
                           env.name() + " observation (" + std::to_string(obs) + " values)");
    const auto it = std::find(all.obs_indices.begin(), all.obs_indices.end(), index);
    check(it != all.obs_indices.end(), "subgoal '" + name + "': observation index " + std::to_string(index) +
                                           " is not in the " + env.name() +
                                           " subgoal space, so it has no bounds or threshold");
    const auto d = static_cast<std::size_t>(it - all.obs_indices.begin());
    s.obs_indices.push_back(index);
    s.bounds.low.push_back(all.bounds.low[d]);
    s.bounds.high.push_back(all.bounds.high[d]);
    s.thresholds.push_back(all.thresholds[d]);
  }
  // A world-frame marker survives when its three dimensions are kept consecutively and in order.
  for (int m : all.marker_offsets) {
    const auto first = std::find(s.obs_indices.begin(), s.obs_indices.end(), all.obs_indices[m]);
    const auto at = first - s.obs_indices.begin();
    if (first == s.obs_indices.end() || at + 3 > static_cast<std::ptrdiff_t>(s.obs_indices.size())) continue;
    if (s.obs_indices[at + 1] == all.obs_indices[m + 1] && s.obs_indices[at + 2] == all.obs_indices[m + 2]) {
      s.marker_offsets.push_back(static_cast<int>(at));
    }
  }
  validate_subgoal_spec(s, env);
  return s;
}

SubgoalSpec with_bounds(SubgoalSpec spec, const GoalEnv& env, const std::optional<std::vector<double>>& low,
                        const std::optional<std::vector<double>>& high) {
  const std::size_t n = spec.obs_indices.size();
  const auto replace = [&](const std::optional<std::vector<double>>& given, const char* key, std::vector<double>& to) {
    if (!given) return;
    check(given->size() == n, std::string(key) + " has " + std::to_string(given->size()) + " values but the " +
                                  env.name() + " subgoal space has " + std::to_string(n) + " dimensions");
    to = *given;
  };
  replace(low, "subgoal_low", spec.bounds.low);
  replace(high, "subgoal_high", spec.bounds.high);
  for (std::size_t i = 0; i < n; ++i) {
    check(spec.bounds.low[i] < spec.bounds.high[i],
          "subgoal bounds: dimension " + std::to_string(i) + " has low " + std::to_string(spec.bounds.low[i]) +
              " >= high " + std::to_string(spec.bounds.high[i]) + " (subgoal_low/subgoal_high or the env's)");
  }
  validate_subgoal_spec(spec, env);
  return spec;
}

SubgoalSpec with_thresholds(SubgoalSpec spec, const GoalEnv& env, const std::optional<std::vector<double>>& thresholds) {
  if (!thresholds) return spec;
  spec.thresholds = per_dimension(spec, env, *thresholds, "subgoal_threshold");
  validate_subgoal_spec(spec, env);
  return spec;
}

std::vector<double> per_dimension(const SubgoalSpec& spec, const GoalEnv& env, const std::vector<double>& values,
                                  const std::string& key) {
  const std::size_t n = spec.obs_indices.size();
  check(values.size() == 1 || values.size() == n,
        key + " has " + std::to_string(values.size()) + " values but the " + env.name() + " subgoal space has " +
            std::to_string(n) + " dimensions (give one value or " + std::to_string(n) + ")");
  return values.size() == 1 ? std::vector<double>(n, values.front()) : values;
}

void validate_subgoal_spec(const SubgoalSpec& spec, const GoalEnv& env) {
  const std::string where = env.name() + " subgoal space: ";
  const std::size_t n = spec.obs_indices.size(), obs = env.observation_space().size();
  check(n > 0, where + "no observation index");
  for (int index : spec.obs_indices) {
    check(index >= 0 && static_cast<std::size_t>(index) < obs,
          where + "observation index " + std::to_string(index) + " is outside the observation (" +
              std::to_string(obs) + " values)");
  }
  check(spec.bounds.low.size() == n && spec.bounds.high.size() == n,
        where + "bounds have " + std::to_string(spec.bounds.low.size()) + "/" +
            std::to_string(spec.bounds.high.size()) + " values (low/high) for " + std::to_string(n) + " indices");
  check(spec.thresholds.size() == n, where + std::to_string(spec.thresholds.size()) + " thresholds for " +
                                         std::to_string(n) + " indices");
  for (std::size_t i = 0; i < n; ++i) {
    check(std::isfinite(spec.bounds.low[i]) && std::isfinite(spec.bounds.high[i]) &&
              spec.bounds.low[i] < spec.bounds.high[i],
          where + "dimension " + std::to_string(i) + " needs finite bounds with low < high");
    check(spec.thresholds[i] > 0 && std::isfinite(spec.thresholds[i]),
          where + "threshold " + std::to_string(i) + " must be a positive number");
  }
  for (int m : spec.marker_offsets) {
    check(m >= 0 && static_cast<std::size_t>(m) + 3 <= n,
          where + "marker offset " + std::to_string(m) + " leaves no (x, y, z) inside the subgoal");
  }
}

std::vector<double> project(const SubgoalSpec& spec, std::span<const double> observation) {
  std::vector<double> out(spec.obs_indices.size());
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = observation[static_cast<std::size_t>(spec.obs_indices[i])];
  return out;
}

}  // namespace hindsight::hac
