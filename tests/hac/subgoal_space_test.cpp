#include "hindsight/hac/subgoal_space.hpp"

#include <gtest/gtest.h>

#include "hindsight/core/error.hpp"
#include "hindsight/env/registry.hpp"

namespace hindsight::hac {
namespace {

std::string error_of(const GoalEnv& env, const std::string& name) {
  try {
    subgoal_spec_from_name(env, name);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(HacSubgoalSpace, DefaultIsTheEnvsAndFitsIt) {
  for (const char* name : {"FetchPickAndPlace", "FetchPush", "FetchReach", "MountainCarContinuous", "Pendulum"}) {
    const auto env = make_env(name);
    const SubgoalSpec s = subgoal_spec_from_name(*env, "default");
    EXPECT_EQ(s.obs_indices, env->default_subgoal_spec().obs_indices) << name;
    EXPECT_NO_THROW(validate_subgoal_spec(s, *env)) << name;
  }
}

TEST(HacSubgoalSpace, IndexListKeepsThoseDimensionsWithTheirBoundsThresholdsAndMarkers) {
  const auto env = make_env("FetchPickAndPlace");
  const SubgoalSpec def = env->default_subgoal_spec();
  const SubgoalSpec block = subgoal_spec_from_name(*env, "3,4,5");
  EXPECT_EQ(block.obs_indices, (std::vector<int>{3, 4, 5}));
  EXPECT_EQ(block.bounds.low, (std::vector<double>(def.bounds.low.begin() + 3, def.bounds.low.end())));
  EXPECT_EQ(block.thresholds, (std::vector<double>(3, 0.05)));
  EXPECT_EQ(block.marker_offsets, (std::vector<int>{0}));
  // Not three consecutive world coordinates: no marker.
  EXPECT_TRUE(subgoal_spec_from_name(*env, "0,1").marker_offsets.empty());
}

TEST(HacSubgoalSpace, RefusesSpacesThatDoNotFitTheEnv) {
  const auto env = make_env("FetchPickAndPlace");
  EXPECT_NE(error_of(*env, "0,1,30").find("observation index 30 is beyond the FetchPickAndPlace observation (25 values)"),
            std::string::npos);
  EXPECT_NE(error_of(*env, "0,6").find("index 6 is not in the FetchPickAndPlace subgoal space"), std::string::npos);
  EXPECT_NE(error_of(*env, "gripper").find("expected 'default' or comma-separated observation indices"),
            std::string::npos);
  EXPECT_NE(error_of(*env, "1,,2").find("expected 'default'"), std::string::npos);

  SubgoalSpec s = env->default_subgoal_spec();
  s.thresholds.pop_back();
  EXPECT_THROW(validate_subgoal_spec(s, *env), Error);
  s = env->default_subgoal_spec();
  s.bounds.high[0] = s.bounds.low[0];
  EXPECT_THROW(validate_subgoal_spec(s, *env), Error);
  s = env->default_subgoal_spec();
  s.marker_offsets = {4};
  EXPECT_THROW(validate_subgoal_spec(s, *env), Error);
}

TEST(HacSubgoalSpace, ProjectPicksTheIndexedEntries) {
  SubgoalSpec s{{2, 0}, Box{{0, 0}, {1, 1}}, {0.1, 0.1}, {}};
  const std::vector<double> obs{10, 11, 12};
  EXPECT_EQ(project(s, obs), (std::vector<double>{12, 10}));
}

}  // namespace
}  // namespace hindsight::hac
