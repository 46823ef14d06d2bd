#pragma once
// Episodes toward goals one chooses (hindsight eval --goal, record --goal): a view of an env whose every
// reset keeps the env's own start state but replaces the drawn goal by the next of a list of goals, in
// turn; rewards and success are computed against that goal. It relies on the GoalEnv contract that the
// observation vector does not contain the desired goal (the goal travels in GoalObs::desired_goal).
#include <string>
#include <vector>

#include "hindsight/env/env_wrapper.hpp"

namespace hindsight {

// Parses one goal "x,y,z" (commas and/or spaces) of dims values; throws Error "<what>: ..." otherwise.
std::vector<double> parse_goal(const std::string& text, std::size_t dims, const std::string& what);
// The goals of a file, one per line ('#' starts a comment, blank lines are skipped); errors "FILE:LINE: ...".
std::vector<std::vector<double>> read_goals_file(const std::string& path, std::size_t dims);

class FixedGoalEnv final : public EnvWrapper {
 public:
  // Wraps inner (which must outlive this view); goals must be non-empty, each of inner's goal size.
  FixedGoalEnv(GoalEnv& inner, std::vector<std::vector<double>> goals);

  // The inner env's reset (same start state for the same seed) with the next goal of the list.
  GoalObs reset(std::optional<std::uint64_t> seed = std::nullopt) override;
  StepResult step(std::span<const double> action) override;

  // Index of the goal of the current episode (the one the last reset chose).
  std::size_t goal_index() const { return current_; }

 private:
  std::vector<std::vector<double>> goals_;
  std::size_t next_ = 0, current_ = 0;
};

}  // namespace hindsight
