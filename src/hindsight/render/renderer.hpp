#pragma once
// Headless rendering of a MuJoCo scene into RGB frames, with extra marker spheres (goals, subgoals)
// that exist only in the picture, never in the physics. Uses MuJoCo's own renderer (mjv/mjr) in an
// offscreen framebuffer of an OSMesa context, so no display or GPU is needed.
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <mujoco/mujoco.h>

#include "hindsight/render/gl_context.hpp"

namespace hindsight::render {

// An RGB image, 3 bytes per pixel, rows from top to bottom.
struct Frame {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> rgb;

  // The (r, g, b) of pixel (x, y), x from the left and y from the top.
  std::array<std::uint8_t, 3> pixel(int x, int y) const;
};

// A sphere drawn into the picture at a world position.
struct Marker {
  std::array<double, 3> pos{};                    // world frame (m)
  std::array<float, 4> rgba{1.f, 0.f, 0.f, 1.f};  // colour; alpha 1 = opaque
  double radius = 0.02;                           // m
};

// Text drawn over the frame, each string in its own corner box (lines separated by '\n'; "" = no box).
struct Overlay {
  std::string top_left;
  std::string bottom_left;
};

struct RenderOptions {
  int width = 960;               // frame width in pixels (4:3, the shape the front camera frames)
  int height = 720;              // frame height in pixels (720 and above: the larger overlay font)
  bool shadows = true;           // shadow mapping (costs about half the frame rate in software GL)
  std::string camera = "front";  // a camera of the model; "" = MuJoCo's default free camera
  int max_markers = 64;          // scene room reserved for markers
};

class Renderer {
 public:
  // Prepares rendering of model (which must outlive the renderer); throws Error for an unknown camera.
  Renderer(const mjModel* model, RenderOptions options);
  Renderer(const Renderer&) = delete;
  Renderer& operator=(const Renderer&) = delete;

  // Renders data's state from the camera, with markers and an optional overlay; the frame stays valid
  // until the next call. Throws Error when the markers do not fit the scene.
  const Frame& render(mjData* data, std::span<const Marker> markers = {}, const Overlay* overlay = nullptr);
  // Pixel coordinates (x from the left, y from the top; may lie outside the frame) of a world point as
  // seen by the camera of the last render(); nullopt when the point is behind the camera.
  std::optional<std::array<double, 2>> project(const std::array<double, 3>& world) const;
  // The options in use.
  const RenderOptions& options() const { return options_; }

 private:
  // Owns the mjvScene (geoms, lights) built for a model.
  struct Scene {
    mjvScene scn;
    Scene(const mjModel* m, int maxgeom);
    ~Scene();
    Scene(const Scene&) = delete;
    Scene& operator=(const Scene&) = delete;
  };
  // Owns the mjrContext (GL textures, buffers, fonts); frees it with its GL context current.
  struct GpuContext {
    mjrContext con;
    GlContext& gl;
    GpuContext(const mjModel* m, int width, int height, GlContext& gl);
    ~GpuContext();
    GpuContext(const GpuContext&) = delete;
    GpuContext& operator=(const GpuContext&) = delete;
  };

  const mjModel* model_;
  RenderOptions options_;
  GlContext gl_;  // declared first: destroyed after everything that lives in it
  GpuContext gpu_;
  Scene scene_;
  mjvOption vopt_;
  mjvCamera camera_;
  Frame frame_;
  std::vector<std::uint8_t> raw_;  // bottom-up rows as GL returns them
  bool rendered_ = false;
};

// The colour of a level's subgoal markers: level 1 blue, 2 green, 3 yellow, then magenta, cyan, orange.
std::array<float, 4> level_colour(int level);
// The colour of the final goal marker (red).
std::array<float, 4> goal_colour();

}  // namespace hindsight::render
