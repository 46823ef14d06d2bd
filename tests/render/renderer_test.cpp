#include "hindsight/render/renderer.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "hindsight/core/error.hpp"
#include "hindsight/env/fetch/fetch_env.hpp"
#include "hindsight/env/registry.hpp"

namespace hindsight::render {
namespace {

// The pixel at the rounded projection of a world point; fails the test when it is off-frame.
std::array<std::uint8_t, 3> pixel_at(const Renderer& r, const Frame& f, const std::array<double, 3>& world) {
  const auto px = r.project(world);
  EXPECT_TRUE(px.has_value());
  if (!px) return {};
  const int x = static_cast<int>(std::floor((*px)[0])), y = static_cast<int>(std::floor((*px)[1]));
  EXPECT_TRUE(x >= 0 && x < f.width && y >= 0 && y < f.height) << x << "," << y;
  return f.pixel(std::clamp(x, 0, f.width - 1), std::clamp(y, 0, f.height - 1));
}

bool looks_blue(const std::array<std::uint8_t, 3>& p) {
  return p[2] > 150 && p[0] < 110 && p[2] > p[1] + 40;
}
bool looks_green(const std::array<std::uint8_t, 3>& p) {
  return p[1] > 150 && p[0] < 110 && p[1] > p[2] + 60;
}

class RenderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env = make_env("FetchPickAndPlace");
    env->reset(5);
  }
  std::unique_ptr<GoalEnv> env;
};

TEST_F(RenderTest, MarkerLandsAtItsProjectedPixel) {
  // A non-square frame, so a wrong aspect ratio in the projection would move points sideways.
  Renderer r(env->mj_model(), RenderOptions{.width = 320, .height = 240, .shadows = false});
  // Points over the table (clear of the gripper), one right of the centre and high, one left and low.
  const std::array<std::array<double, 3>, 2> points{{{1.30, 0.95, 0.62}, {1.20, 0.52, 0.46}}};
  for (const auto& point : points) {
    const Frame& plain = r.render(env->mj_data());
    const auto before = pixel_at(r, plain, point);
    EXPECT_FALSE(looks_blue(before)) << int(before[0]) << " " << int(before[1]) << " " << int(before[2]);
    const Marker m{point, level_colour(1), 0.02};
    const Frame& marked = r.render(env->mj_data(), std::span<const Marker>(&m, 1));
    const auto after = pixel_at(r, marked, point);
    EXPECT_TRUE(looks_blue(after)) << int(after[0]) << " " << int(after[1]) << " " << int(after[2]);
    // The projection is tight: a few pixels beyond the sphere's image radius the background is back.
    const auto px = *r.project(point);
    const auto edge = r.project({point[0], point[1], point[2] + 0.02});
    const double radius_px = std::abs((*edge)[1] - px[1]);
    const int x_out = static_cast<int>(px[0] + radius_px + 4);
    const auto outside = marked.pixel(x_out, static_cast<int>(px[1]));
    EXPECT_FALSE(looks_blue(outside)) << "radius " << radius_px;
  }
}

TEST_F(RenderTest, EachMarkerHasItsOwnColour) {
  Renderer r(env->mj_model(), RenderOptions{.width = 200, .height = 200, .shadows = true});
  const std::array<double, 3> a{1.25, 0.70, 0.60}, b{1.35, 0.85, 0.60};
  const std::vector<Marker> markers{{a, level_colour(1), 0.02}, {b, level_colour(2), 0.02}};
  const Frame& f = r.render(env->mj_data(), markers);
  EXPECT_TRUE(looks_blue(pixel_at(r, f, a)));
  EXPECT_TRUE(looks_green(pixel_at(r, f, b)));
}

TEST_F(RenderTest, FramesAreTopDown) {
  Renderer r(env->mj_model(), RenderOptions{.width = 64, .height = 64, .shadows = false});
  const Frame& f = r.render(env->mj_data());
  ASSERT_EQ(f.rgb.size(), 64u * 64u * 3u);
  // The front camera looks down at the table: the blue-grey floor at the top, the tan table at the bottom.
  const auto top = f.pixel(32, 1), bottom = f.pixel(32, 56);
  EXPECT_GE(top[2], top[0]) << "floor (blue-grey) expected at the top";
  EXPECT_GT(bottom[0], bottom[2] + 20) << "table (tan) expected at the bottom";
}

TEST_F(RenderTest, TheWholeWorkspaceIsInTheFrame) {
  // Every corner of the box the gripper is kept in (and so every goal and subgoal) projects inside the
  // default frame with a margin of 5%, so a video never loses the gripper, the block or a marker.
  RenderOptions o;
  o.shadows = false;
  Renderer r(env->mj_model(), o);
  r.render(env->mj_data());
  const fetch::Workspace w;
  for (const double x : {w.low[0], w.high[0]}) {
    for (const double y : {w.low[1], w.high[1]}) {
      for (const double z : {w.low[2], w.high[2]}) {
        const auto px = r.project({x, y, z});
        ASSERT_TRUE(px.has_value());
        EXPECT_GT((*px)[0], 0.05 * o.width) << x << " " << y << " " << z;
        EXPECT_LT((*px)[0], 0.95 * o.width) << x << " " << y << " " << z;
        EXPECT_GT((*px)[1], 0.05 * o.height) << x << " " << y << " " << z;
        EXPECT_LT((*px)[1], 0.95 * o.height) << x << " " << y << " " << z;
      }
    }
  }
}

TEST_F(RenderTest, TheBlockIsLargeInTheDefaultFrame) {
  // The 5 cm block anywhere in the gripper's reach spans at least 25 pixels of the default frame (16 in
  // the 480 x 480 frame of the earlier, farther camera): the block and the markers are plain to see.
  RenderOptions o;
  o.shadows = false;
  Renderer r(env->mj_model(), o);
  r.render(env->mj_data());
  const fetch::Workspace w;
  for (const double x : {w.low[0], w.high[0]}) {
    const auto left = r.project({x, 0.75 - 0.025, 0.425}), right = r.project({x, 0.75 + 0.025, 0.425});
    ASSERT_TRUE(left && right);
    EXPECT_GE((*right)[0] - (*left)[0], 25.0) << "block at x = " << x;
  }
}

TEST_F(RenderTest, ShadowSwitchChangesThePicture) {
  Renderer with(env->mj_model(), RenderOptions{.width = 96, .height = 96, .shadows = true});
  Renderer without(env->mj_model(), RenderOptions{.width = 96, .height = 96, .shadows = false});
  const auto a = with.render(env->mj_data()).rgb;
  const auto b = without.render(env->mj_data()).rgb;
  ASSERT_EQ(a.size(), b.size());
  long darker = 0;
  for (std::size_t i = 0; i < a.size(); ++i) darker += a[i] + 20 < b[i];
  EXPECT_GT(darker, 30) << "shadows should darken part of the table and floor";
}

TEST_F(RenderTest, OverlayDrawsText) {
  Renderer r(env->mj_model(), RenderOptions{.width = 160, .height = 120, .shadows = false});
  const auto plain = r.render(env->mj_data()).rgb;
  const Overlay text{"episode 1/1   step 3/50", "FetchPickAndPlace"};
  const auto with_text = r.render(env->mj_data(), {}, &text).rgb;
  EXPECT_NE(plain, with_text);
}

TEST_F(RenderTest, UnknownCameraAndMissingRenderAreErrors) {
  EXPECT_THROW(Renderer(env->mj_model(), RenderOptions{.camera = "nosuchcamera"}), Error);
  Renderer r(env->mj_model(), RenderOptions{.width = 32, .height = 32});
  EXPECT_THROW(r.project({1.3, 0.75, 0.5}), Error);
}

TEST_F(RenderTest, TooManyMarkersIsAnError) {
  Renderer r(env->mj_model(), RenderOptions{.width = 32, .height = 32, .max_markers = 2});
  // The scene reserves room beyond the model's geoms; far more markers than that must be refused, not
  // dropped.
  const std::vector<Marker> many(5000);
  EXPECT_THROW(r.render(env->mj_data(), many), Error);
}

TEST(RenderColours, LevelsFollowTheConvention) {
  EXPECT_EQ(goal_colour()[0], 1.f);
  EXPECT_GT(level_colour(1)[2], 0.9f);  // level 1 blue
  EXPECT_GT(level_colour(2)[1], 0.8f);  // level 2 green
  EXPECT_GT(level_colour(3)[0], 0.9f);  // level 3 yellow
  EXPECT_GT(level_colour(3)[1], 0.8f);
  EXPECT_EQ(level_colour(7), level_colour(1));
  EXPECT_THROW(level_colour(0), Error);
}

}  // namespace
}  // namespace hindsight::render
