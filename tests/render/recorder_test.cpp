#include "hindsight/render/recorder.hpp"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <optional>

#include <nlohmann/json.hpp>

#include "hindsight/core/error.hpp"
#include "hindsight/env/registry.hpp"
#include "hindsight/io/config.hpp"
#include "hindsight/agents/make_agent.hpp"
#include "support/acting_agent.hpp"

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
    setup = agents::make_setup(cfg);
    // Non-trivial normalizer statistics, as a trained checkpoint would carry.
    GoalEnv& env = *setup.env;
    Rng rng(3);
    learn::Trajectory t;
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
    for (learn::Level* l : setup.agent->levels()) {
      s.push_back(l->obs_norm().to_json().dump());
      s.push_back(l->goal_norm().to_json().dump());
    }
    return s;
  }
  TrainConfig cfg;
  agents::Setup setup;
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

// A stand-in for a two-level hierarchy: holds the gripper still and reports fixed subgoals, level 1's
// switching from A to B halfway through the episode, so the test knows where each marker must be drawn.
// Its subgoal space is `space`.
class ScriptedHierarchy final : public testing::ActingOnlyAgent {
 public:
  static constexpr std::array<double, 3> A{1.20, 0.52, 0.46}, B{1.30, 0.95, 0.62}, C{1.25, 0.70, 0.60};
  explicit ScriptedHierarchy(std::optional<SubgoalSpec> space) : space_(std::move(space)) {}
  std::optional<SubgoalSpec> subgoal_spec() const override { return space_; }
  learn::EpisodeOutcome run_episode(GoalEnv& env, std::uint64_t seed, bool,
                                    const learn::StepObserver& obs) override {
    env.reset(seed);
    const std::vector<double> still(env.action_space().size(), 0.0);
    learn::EpisodeOutcome out;
    for (int t = 1; t <= env.max_episode_steps(); ++t) {
      const StepResult r = env.step(still);
      const auto& l1 = t <= env.max_episode_steps() / 2 ? A : B;
      const std::vector<std::vector<double>> subgoals{{l1[0], l1[1], l1[2], l1[0], l1[1], l1[2]},
                                                      {C[0], C[1], C[2], C[0], C[1], C[2]}};
      out.steps = t;
      out.success = r.success;
      if (obs) obs(env, learn::StepInfo{t, &r.obs, r.success, subgoals});
    }
    return out;
  }

 private:
  std::optional<SubgoalSpec> space_;
};

// ScriptedHierarchy's episode on FetchPickAndPlace, recorded small without the overlay; colour_at reads
// a frame's pixel where a world point projects (the same camera and size give the same projection).
struct ScriptedRecording {
  std::unique_ptr<GoalEnv> env = make_env("FetchPickAndPlace");
  RecordOptions opts;
  std::vector<Frame> frames;
  std::optional<Renderer> camera;  // made once, after the recording

  // The hierarchy's subgoal space is the env's default one.
  ScriptedRecording() { record(env->default_subgoal_spec()); }
  // The hierarchy reports `space` (nullopt: it has none).
  explicit ScriptedRecording(std::optional<SubgoalSpec> space) { record(std::move(space)); }
  std::array<std::uint8_t, 3> colour_at(int frame, const std::array<double, 3>& p) const {
    const auto px = *camera->project(p);
    return frames.at(static_cast<std::size_t>(frame)).pixel(static_cast<int>(px[0]), static_cast<int>(px[1]));
  }

 private:
  void record(std::optional<SubgoalSpec> space) {
    ScriptedHierarchy agent(std::move(space));
    opts.render = RenderOptions{.width = 320, .height = 240, .shadows = false};
    opts.overlay = false;
    record_episodes(agent, *env, opts, [&](const Frame& f) { frames.push_back(f); });
    camera.emplace(env->mj_model(), opts.render);
    camera->render(env->mj_data());
  }
};

bool blue(const std::array<std::uint8_t, 3>& c) { return c[2] > 150 && c[2] > c[1] + 40 && c[0] < 110; }
bool green(const std::array<std::uint8_t, 3>& c) { return c[1] > 150 && c[1] > c[2] + 60 && c[0] < 110; }


TEST(RenderRecorderMarkers, SubgoalMarkersFollowWhatTheLevelsPropose) {
  const ScriptedRecording r;
  ASSERT_EQ(r.frames.size(), 51u);
  using H = ScriptedHierarchy;
  EXPECT_FALSE(blue(r.colour_at(0, H::A))) << "no subgoal exists at reset";
  EXPECT_TRUE(blue(r.colour_at(10, H::A)));  // level 1 (blue) pursues A first
  EXPECT_FALSE(blue(r.colour_at(10, H::B)));
  EXPECT_TRUE(blue(r.colour_at(40, H::B)));  // then B
  EXPECT_FALSE(blue(r.colour_at(40, H::A)));
  EXPECT_TRUE(green(r.colour_at(10, H::C)));  // level 2 (green) throughout
  EXPECT_TRUE(green(r.colour_at(40, H::C)));
}

TEST(RenderRecorderMarkers, SubgoalMarkersFollowTheAgentsSubgoalSpace) {
  // A space with no world-frame (x, y, z) in it (the fingers' openings): nothing of the levels is drawn.
  SubgoalSpec fingers;
  fingers.obs_indices = {9, 10};
  fingers.bounds.low = {0.0, 0.0};
  fingers.bounds.high = {0.05, 0.05};
  fingers.thresholds = {0.01, 0.01};
  const ScriptedRecording r(fingers);
  ASSERT_EQ(r.frames.size(), 51u);
  EXPECT_FALSE(blue(r.colour_at(10, ScriptedHierarchy::A))) << "level 1's marker drawn from the env's default space";
  EXPECT_FALSE(green(r.colour_at(10, ScriptedHierarchy::C)));
  // An agent without a subgoal space gets none of the env's: its subgoals are not drawn.
  const ScriptedRecording none(std::nullopt);
  EXPECT_FALSE(blue(none.colour_at(10, ScriptedHierarchy::A)));
  EXPECT_FALSE(green(none.colour_at(10, ScriptedHierarchy::C)));
}

TEST(RenderRecorderErrors, NeedsAMuJoCoTask) {
  TrainConfig cfg = default_config();
  cfg.env = "MountainCarContinuous";
  cfg.hidden = {8};
  auto setup = agents::make_setup(cfg);
  try {
    record_episodes(*setup.agent, *setup.env, RecordOptions{}, [](const Frame&) {});
    FAIL() << "no Error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("record needs a MuJoCo task"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace hindsight::render
