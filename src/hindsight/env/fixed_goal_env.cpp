#include "hindsight/env/fixed_goal_env.hpp"

#include <charconv>
#include <cmath>
#include <sstream>

#include "hindsight/core/error.hpp"
#include "hindsight/io/atomic_file.hpp"

namespace hindsight {

std::vector<double> parse_goal(const std::string& text, std::size_t dims, const std::string& what) {
  std::string spaced = text;
  for (char& c : spaced) {
    if (c == ',') c = ' ';
  }
  std::istringstream in(spaced);
  std::vector<double> g;
  std::string word;
  while (in >> word) {
    double v = 0;
    const auto [end, ec] = std::from_chars(word.data(), word.data() + word.size(), v);
    check(ec == std::errc() && end == word.data() + word.size() && std::isfinite(v),
          what + ": '" + word + "' is not a finite number");
    g.push_back(v);
  }
  check(g.size() == dims, what + ": " + std::to_string(g.size()) + " values, the task's goals have " +
                              std::to_string(dims) + " (x,y,z for a position)");
  return g;
}

std::vector<std::vector<double>> read_goals_file(const std::string& path, std::size_t dims) {
  const std::string text = io::read_file(path);
  std::istringstream in(text);
  std::vector<std::vector<double>> goals;
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (const auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    goals.push_back(parse_goal(line, dims, path + ":" + std::to_string(n)));
  }
  check(!goals.empty(), path + ": no goal in the file (one goal per line, e.g. 1.3,0.7,0.5)");
  return goals;
}

FixedGoalEnv::FixedGoalEnv(GoalEnv& inner, std::vector<std::vector<double>> goals)
    : EnvWrapper(inner), goals_(std::move(goals)) {
  check(!goals_.empty(), "no goal given");
  for (const auto& g : goals_) {
    check(g.size() == inner.goal_space().size(), inner.name() + ": a goal has " + std::to_string(g.size()) +
                                                     " values, expected " +
                                                     std::to_string(inner.goal_space().size()));
  }
}

GoalObs FixedGoalEnv::reset(std::optional<std::uint64_t> seed) {
  GoalObs o = inner().reset(seed);
  current_ = next_;
  next_ = (next_ + 1) % goals_.size();
  o.desired_goal = goals_[current_];
  return o;
}

StepResult FixedGoalEnv::step(std::span<const double> action) {
  StepResult r = inner().step(action);
  r.obs.desired_goal = goals_[current_];
  r.reward = reward(r.obs.achieved_goal, r.obs.desired_goal);
  r.success = is_success(r.obs.achieved_goal, r.obs.desired_goal);
  return r;
}

}  // namespace hindsight
