#include "hindsight/env/fetch/scripted_expert.hpp"

#include <gtest/gtest.h>

#include "hindsight/core/error.hpp"
#include "hindsight/env/fetch/fetch_env.hpp"

namespace hindsight::fetch {
namespace {

TEST(ScriptedExpert, ReachSolvesEveryEpisode) {
  FetchEnv env(reach_config());
  EXPECT_EQ(run_scripted_episodes(env, 200, 0), 1.0);
}

TEST(ScriptedExpert, PushAtLeast95Percent) {
  FetchEnv env(push_config());
  EXPECT_GE(run_scripted_episodes(env, 200, 0), 0.95);
}

TEST(ScriptedExpert, PickAndPlaceAtLeast95Percent) {
  FetchEnv env(pick_and_place_config());
  EXPECT_GE(run_scripted_episodes(env, 200, 0), 0.95);
}

TEST(ScriptedExpert, PickAndPlaceReallyLiftsForAirGoals) {
  FetchEnv env(pick_and_place_config());
  auto expert = make_scripted_expert("FetchPickAndPlace");
  int air = 0;
  for (std::uint64_t s = 0; s < 40 && air < 5; ++s) {
    GoalObs o = env.reset(s);
    if (o.desired_goal[2] < env.height_offset() + 0.1) continue;
    ++air;
    expert->reset();
    StepResult r;
    for (int t = 0; t < 50; ++t) {
      r = env.step(expert->act(o));
      o = r.obs;
    }
    EXPECT_TRUE(r.success);
    EXPECT_GT(o.achieved_goal[2], env.height_offset() + 0.05);
  }
  EXPECT_EQ(air, 5);
}

TEST(ScriptedExpert, UnknownTaskIsAnError) {
  EXPECT_THROW(make_scripted_expert("Pendulum"), Error);
}

}  // namespace
}  // namespace hindsight::fetch
