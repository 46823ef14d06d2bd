#pragma once
// The space in which HAC levels above the bottom propose subgoals: which observation entries make up
// a subgoal, where subgoals may lie, and when one counts as reached (per-dimension thresholds).
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "hindsight/env/goal_env.hpp"

namespace hindsight::hac {

// The subgoal space `name` of env: "default" is env.default_subgoal_spec(); a comma-separated list of
// observation indices ("3,4,5") keeps those dimensions of env.subgoal_candidates(), in that order, with their
// bounds and thresholds (e.g. only the block position on the Fetch tasks, or the gripper and one finger's
// opening: "0,1,2,9"). Throws Error naming the problem.
SubgoalSpec subgoal_spec_from_name(const GoalEnv& env, const std::string& name);
// spec with its bounds replaced where given (low and/or high, one value per subgoal dimension), as HAC
// users bound proposals to the reachable space; throws Error on a wrong count or low >= high.
SubgoalSpec with_bounds(SubgoalSpec spec, const GoalEnv& env, const std::optional<std::vector<double>>& low,
                        const std::optional<std::vector<double>>& high);
// spec with its reached-thresholds replaced when given: one value for every dimension or one per
// dimension (HAC's per-dimension subgoal thresholds); throws Error on another count or a value <= 0.
SubgoalSpec with_thresholds(SubgoalSpec spec, const GoalEnv& env, const std::optional<std::vector<double>>& thresholds);
// values with one entry per dimension of spec: one value repeated for every dimension, or exactly one per
// dimension as given; throws Error naming `key` on another count (the per-dimension subgoal settings).
std::vector<double> per_dimension(const SubgoalSpec& spec, const GoalEnv& env, const std::vector<double>& values,
                                  const std::string& key);
// Throws Error unless spec fits env: at least one index, every index inside the observation, one bound
// pair and one threshold per index, finite bounds with low < high, thresholds > 0, markers inside.
void validate_subgoal_spec(const SubgoalSpec& spec, const GoalEnv& env);
// The subgoal-space state of an observation: observation[obs_indices[i]] for every i.
std::vector<double> project(const SubgoalSpec& spec, std::span<const double> observation);

}  // namespace hindsight::hac
