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

TEST(HacSubgoalSpace, PickAndPlaceSubgoalsMayAskForTheFingersOpening) {
  const auto env = make_env("FetchPickAndPlace");
  const SubgoalSpec def = env->default_subgoal_spec();
  EXPECT_EQ(def.obs_indices, (std::vector<int>{0, 1, 2, 3, 4, 5})) << "the fingers are not in the default";
  const SubgoalSpec s = subgoal_spec_from_name(*env, "0,1,2,9");
  EXPECT_EQ(s.obs_indices, (std::vector<int>{0, 1, 2, 9}));
  EXPECT_EQ(s.bounds.low, (std::vector<double>{def.bounds.low[0], def.bounds.low[1], def.bounds.low[2], 0.0}));
  EXPECT_EQ(s.bounds.high, (std::vector<double>{def.bounds.high[0], def.bounds.high[1], def.bounds.high[2], 0.05}));
  EXPECT_EQ(s.thresholds, (std::vector<double>{0.05, 0.05, 0.05, 0.01}));
  EXPECT_EQ(s.marker_offsets, (std::vector<int>{0})) << "the gripper is still drawn";
  EXPECT_EQ(subgoal_spec_from_name(*env, "9,10").marker_offsets, std::vector<int>{});
  // The fingers are held closed on Push and Reach: no subgoal can ask for them.
  EXPECT_NE(error_of(*make_env("FetchPush"), "0,1,2,9").find("index 9 is not in the FetchPush subgoal space"),
            std::string::npos);
  EXPECT_NE(error_of(*make_env("FetchReach"), "0,1,2,3").find("index 3 is not in the FetchReach subgoal space"),
            std::string::npos);
}

TEST(HacSubgoalSpace, FetchSubgoalsMayAskForTheGrippersVelocity) {
  const auto env = make_env("FetchPush");
  const SubgoalSpec def = env->default_subgoal_spec();
  const SubgoalSpec s = subgoal_spec_from_name(*env, "0,1,2,20,21,22");
  EXPECT_EQ(s.obs_indices, (std::vector<int>{0, 1, 2, 20, 21, 22}));
  EXPECT_EQ(s.bounds.low, (std::vector<double>{def.bounds.low[0], def.bounds.low[1], def.bounds.low[2], -0.04, -0.04,
                                               -0.04}));
  EXPECT_EQ(s.bounds.high, (std::vector<double>{def.bounds.high[0], def.bounds.high[1], def.bounds.high[2], 0.04,
                                                0.04, 0.04}));
  EXPECT_EQ(s.thresholds, (std::vector<double>{0.05, 0.05, 0.05, 0.01, 0.01, 0.01}));
  EXPECT_EQ(s.marker_offsets, (std::vector<int>{0})) << "a velocity is not a place to draw";
  EXPECT_TRUE(subgoal_spec_from_name(*env, "20,21,22").marker_offsets.empty());
  // FetchReach's observation has no block: its gripper velocity follows the fingers.
  EXPECT_EQ(subgoal_spec_from_name(*make_env("FetchReach"), "0,1,2,5,6,7").thresholds,
            (std::vector<double>{0.05, 0.05, 0.05, 0.01, 0.01, 0.01}));
  // The block's velocity (14-16) is not a candidate.
  EXPECT_NE(error_of(*env, "0,1,2,14").find("index 14 is not in the FetchPush subgoal space"), std::string::npos);
}

TEST(HacSubgoalSpace, RefusesSpacesThatDoNotFitTheEnv) {
  const auto env = make_env("FetchPickAndPlace");
  EXPECT_NE(error_of(*env, "0,1,30").find("observation index 30 is beyond the FetchPickAndPlace observation (25 values)"),
            std::string::npos);
  EXPECT_NE(error_of(*env, "0,6").find("index 6 is not in the FetchPickAndPlace subgoal space"), std::string::npos);
  EXPECT_NE(error_of(*env, "0,11").find("index 11 is not in the FetchPickAndPlace subgoal space"), std::string::npos);
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

TEST(HacSubgoalSpace, GivenBoundsReplaceTheEnvsAndKeepEverythingElse) {
  const auto env = make_env("FetchPush");
  const SubgoalSpec block = subgoal_spec_from_name(*env, "3,4,5");
  // The block of FetchPush stays on the table: its height bounded to a band around where it rests.
  const std::vector<double> low{1.05, 0.4, 0.4}, high{1.55, 1.1, 0.45};
  const SubgoalSpec both = with_bounds(block, *env, low, high);
  EXPECT_EQ(both.bounds.low, low);
  EXPECT_EQ(both.bounds.high, high);
  EXPECT_EQ(both.obs_indices, block.obs_indices);
  EXPECT_EQ(both.thresholds, block.thresholds);
  EXPECT_EQ(both.marker_offsets, block.marker_offsets);
  // One side given: the other stays the env's; none given: the spec is unchanged.
  const SubgoalSpec high_only = with_bounds(block, *env, std::nullopt, std::vector<double>{1.55, 1.1, 0.45});
  EXPECT_EQ(high_only.bounds.low, block.bounds.low);
  EXPECT_EQ(high_only.bounds.high[2], 0.45);
  EXPECT_EQ(with_bounds(block, *env, std::nullopt, std::nullopt).bounds.high, block.bounds.high);
}

TEST(HacSubgoalSpace, GivenThresholdsReplaceTheEnvsOneValueForAllOrOnePerDimension) {
  const auto env = make_env("FetchPush");
  const SubgoalSpec grip = subgoal_spec_from_name(*env, "0,1,2");
  ASSERT_EQ(grip.thresholds, (std::vector<double>{0.05, 0.05, 0.05}));  // the Fetch success distance
  EXPECT_EQ(with_thresholds(grip, *env, std::vector<double>{0.02}).thresholds,
            (std::vector<double>{0.02, 0.02, 0.02}));
  const SubgoalSpec each = with_thresholds(grip, *env, std::vector<double>{0.02, 0.03, 0.01});
  EXPECT_EQ(each.thresholds, (std::vector<double>{0.02, 0.03, 0.01}));
  EXPECT_EQ(each.bounds.low, grip.bounds.low);
  EXPECT_EQ(each.obs_indices, grip.obs_indices);
  EXPECT_EQ(with_thresholds(grip, *env, std::nullopt).thresholds, grip.thresholds);
  // Reached is judged per dimension: 0.03 off in x is inside 0.05 and outside 0.02.
  const std::vector<double> at{1.30, 0.75, 0.45}, off{1.33, 0.75, 0.45};
  EXPECT_TRUE(within_thresholds(off, at, grip.thresholds));
  EXPECT_FALSE(within_thresholds(off, at, with_thresholds(grip, *env, std::vector<double>{0.02}).thresholds));
  const auto error = [&](std::vector<double> t) {
    try {
      with_thresholds(grip, *env, t);
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_NE(error({0.02, 0.02}).find("subgoal_threshold has 2 values but the FetchPush subgoal space has 3 dimensions"),
            std::string::npos);
  EXPECT_NE(error({0.02, 0.0, 0.02}).find("threshold 1 must be a positive number"), std::string::npos);
}

TEST(HacSubgoalSpace, RefusesBoundsOfTheWrongSizeOrOrder) {
  const auto env = make_env("FetchPush");
  const SubgoalSpec block = subgoal_spec_from_name(*env, "3,4,5");
  const auto error = [&](std::optional<std::vector<double>> low, std::optional<std::vector<double>> high) {
    try {
      with_bounds(block, *env, low, high);
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_NE(error(std::vector<double>{1.0, 0.4}, std::nullopt)
                .find("subgoal_low has 2 values but the FetchPush subgoal space has 3 dimensions"),
            std::string::npos);
  EXPECT_NE(error(std::nullopt, std::vector<double>(6, 2.0)).find("subgoal_high has 6 values"), std::string::npos);
  // A high below the env's low (block height 0.3 < the table) leaves nothing to propose.
  EXPECT_NE(error(std::nullopt, std::vector<double>{1.55, 1.1, 0.3}).find("dimension 2 has low"), std::string::npos);
  EXPECT_NE(error(std::vector<double>{1.0, 0.4, 0.5}, std::vector<double>{1.5, 1.1, 0.5}).find("dimension 2"),
            std::string::npos);
}

TEST(HacSubgoalSpace, ProjectPicksTheIndexedEntries) {
  SubgoalSpec s{{2, 0}, Box{{0, 0}, {1, 1}}, {0.1, 0.1}, {}};
  const std::vector<double> obs{10, 11, 12};
  EXPECT_EQ(project(s, obs), (std::vector<double>{12, 10}));
}

}  // namespace
}  // namespace hindsight::hac
