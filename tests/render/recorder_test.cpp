#include "hindsight/render/recorder.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "hindsight/core/error.hpp"
#include "hindsight/env/registry.hpp"
#include "hindsight/io/config.hpp"
#include "hindsight/train/trainer.hpp"

namespace hindsight::render {
namespace {

TEST(RenderMarkers, GoalInRedAndEachLevelsSubgoalsInItsColour) {
  GoalObs obs;
  obs.desired_goal = {1.1, 0.6, 0.5};
  SubgoalSpec spec;
  spec.marker_offsets = {0, 3};  // Fetch: gripper target, then object target
  const std::vector<std::vector<double>> subgoals{{1, 2, 3, 4, 5, 6}, {7, 8, 9, 10, 11, 12}};
  const auto m = frame_markers(obs, subgoals, spec);
  ASSERT_EQ(m.size(), 5u);
  EXPECT_EQ(m[0].pos, (std::array<double, 3>{1.1, 0.6, 0.5}));
  EXPECT_EQ(m[0].rgba, goal_colour());
  EXPECT_EQ(m[1].pos, (std::array<double, 3>{1, 2, 3}));
  EXPECT_EQ(m[2].pos, (std::array<double, 3>{4, 5, 6}));
  EXPECT_EQ(m[1].rgba, level_colour(1));
  EXPECT_EQ(m[2].rgba, level_colour(1));
  EXPECT_EQ(m[3].pos, (std::array<double, 3>{7, 8, 9}));
  EXPECT_EQ(m[4].rgba, level_colour(2));
  // The flat agent reports no subgoals: the goal alone.
  EXPECT_EQ(frame_markers(obs, {}, spec).size(), 1u);
  // A level without a subgoal yet draws nothing.
  EXPECT_EQ(frame_markers(obs, {{}}, spec).size(), 1u);
}

class RenderRecorder : public ::testing::Test {
 protected:
  void SetUp() override {
    cfg = default_config();
    cfg.env = "FetchReach";
    cfg.hidden = {16, 16};
    setup = train::make_setup(cfg);
    // Non-trivial normalizer statistics, as a trained checkpoint would carry.
    GoalEnv& env = *setup.env;
    Rng rng(3);
    train::Trajectory t;
    t.T = env.max_episode_steps();
    GoalObs o = env.reset(11);
    for (int s = 0; s < t.T; ++s) {
      t.obs.insert(t.obs.end(), o.observation.begin(), o.observation.end());
      t.ag.insert(t.ag.end(), o.achieved_goal.begin(), o.achieved_goal.end());
      t.g.insert(t.g.end(), o.desired_goal.begin(), o.desired_goal.end());
      o = env.step(env.action_space().sample(rng)).obs;
    }
    t.obs.insert(t.obs.end(), o.observation.begin(), o.observation.end());
    t.ag.insert(t.ag.end(), o.achieved_goal.begin(), o.achieved_goal.end());
    setup.agent->observe_warmup(t);
  }
  std::vector<std::string> normalizer_state() {
    std::vector<std::string> s;
    for (train::Level* l : setup.agent->levels()) {
      s.push_back(l->obs_norm().to_json().dump());
      s.push_back(l->goal_norm().to_json().dump());
    }
    return s;
  }
  TrainConfig cfg;
  train::Setup setup;
};

TEST_F(RenderRecorder, RecordingLeavesTheNormalizerStatisticsAlone) {
  const auto before = normalizer_state();
  RecordOptions opts;
  opts.episodes = 2;
  opts.render = RenderOptions{.width = 48, .height = 48, .shadows = false};
  long frames = 0, last_progress = 0;
  const auto summary = record_episodes(
      *setup.agent, *setup.env, opts, [&](const Frame& f) { frames += f.width == 48 ? 1 : 0; },
      [&](long n) { last_progress = n; });
  EXPECT_EQ(normalizer_state(), before);
  EXPECT_EQ(summary.frames, expected_frames(*setup.env, 2));
  EXPECT_EQ(frames, 2 * 51);
  EXPECT_EQ(last_progress, frames);
  EXPECT_EQ(summary.episodes, 2);
}

TEST_F(RenderRecorder, TheSameSeedRecordsTheSameFrames) {
  RecordOptions opts;
  opts.render = RenderOptions{.width = 32, .height = 32, .shadows = false};
  opts.seed = 9;
  auto record = [&] {
    std::vector<std::uint8_t> all;
    record_episodes(*setup.agent, *setup.env, opts,
                    [&](const Frame& f) { all.insert(all.end(), f.rgb.begin(), f.rgb.end()); });
    return all;
  };
  EXPECT_EQ(record(), record());
}

TEST(RenderRecorderErrors, NeedsAMuJoCoTask) {
  TrainConfig cfg = default_config();
  cfg.env = "MountainCarContinuous";
  cfg.hidden = {8};
  auto setup = train::make_setup(cfg);
  try {
    record_episodes(*setup.agent, *setup.env, RecordOptions{}, [](const Frame&) {});
    FAIL() << "no Error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("record needs a MuJoCo task"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace hindsight::render
