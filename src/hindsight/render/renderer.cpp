#include "hindsight/render/renderer.hpp"

#include <GL/gl.h>
#include <GL/glext.h>

#include <algorithm>
#include <cstring>

#include "hindsight/core/error.hpp"
#include "hindsight/env/mujoco_handles.hpp"

namespace hindsight::render {
namespace {

// Room for the model's own visual geoms (MuJoCo's samples use the same figure).
constexpr int kModelGeoms = 1000;
// Markers glow a little so their colour stays recognisable on the side facing away from the light.
constexpr float kMarkerEmission = 0.5f;

}  // namespace

std::array<std::uint8_t, 3> Frame::pixel(int x, int y) const {
  check(x >= 0 && x < width && y >= 0 && y < height, "pixel outside the frame");
  const std::size_t i = (static_cast<std::size_t>(y) * width + x) * 3;
  return {rgb[i], rgb[i + 1], rgb[i + 2]};
}

Renderer::Scene::Scene(const mjModel* m, int maxgeom) {
  mjv_defaultScene(&scn);
  mjv_makeScene(m, &scn, maxgeom);
}

Renderer::Scene::~Scene() {
  mjv_freeScene(&scn);
}

Renderer::GpuContext::GpuContext(const mjModel* m, int width, int height, GlContext& context) : gl(context) {
  GLint max_size = 0;
  glGetIntegerv(GL_MAX_RENDERBUFFER_SIZE, &max_size);
  // MuJoCo aborts the process when its framebuffer cannot be made; refuse such sizes here instead.
  check(width <= max_size && height <= max_size,
        "frame size " + std::to_string(width) + "x" + std::to_string(height) +
            " exceeds this OpenGL's limit of " + std::to_string(max_size));
  // The offscreen buffer takes its size from the model's visual settings; a private copy carries the
  // frame size so the env's model is left untouched.
  MjModelPtr sized(mj_copyModel(nullptr, m));
  check(sized != nullptr, "MuJoCo could not copy the model for rendering");
  sized->vis.global.offwidth = width;
  sized->vis.global.offheight = height;
  mjr_defaultContext(&con);
  mjr_makeContext(sized.get(), &con, height >= 720 ? mjFONTSCALE_150 : mjFONTSCALE_100);
  mjr_setBuffer(mjFB_OFFSCREEN, &con);
  check(con.currentBuffer == mjFB_OFFSCREEN, "MuJoCo could not select its offscreen framebuffer");
}

Renderer::GpuContext::~GpuContext() {
  gl.make_current();
  mjr_freeContext(&con);
}

Renderer::Renderer(const mjModel* model, RenderOptions options)
    : model_(model),
      options_(std::move(options)),
      gl_(options_.width, options_.height),
      gpu_(model, options_.width, options_.height, gl_),
      scene_(model, kModelGeoms + std::max(0, options_.max_markers)) {
  mjv_defaultOption(&vopt_);
  mjv_defaultCamera(&camera_);
  if (options_.camera.empty()) {
    mjv_defaultFreeCamera(model_, &camera_);
  } else {
    const int id = mj_name2id(model_, mjOBJ_CAMERA, options_.camera.c_str());
    check(id >= 0, "camera '" + options_.camera + "' is not in the model");
    camera_.type = mjCAMERA_FIXED;
    camera_.fixedcamid = id;
  }
  frame_.width = options_.width;
  frame_.height = options_.height;
  frame_.rgb.resize(static_cast<std::size_t>(options_.width) * options_.height * 3);
  raw_.resize(frame_.rgb.size());
}

const Frame& Renderer::render(mjData* data, std::span<const Marker> markers, const Overlay* overlay) {
  gl_.make_current();
  mjvScene& scn = scene_.scn;
  mjv_updateScene(model_, data, &vopt_, nullptr, &camera_, mjCAT_ALL, &scn);
  scn.flags[mjRND_SHADOW] = options_.shadows ? 1 : 0;
  check(scn.ngeom + static_cast<int>(markers.size()) <= scn.maxgeom,
        std::to_string(markers.size()) + " markers do not fit the scene (" + std::to_string(scn.ngeom) +
            " of " + std::to_string(scn.maxgeom) + " geoms used)");
  for (const Marker& mk : markers) {
    mjvGeom* g = scn.geoms + scn.ngeom++;
    const mjtNum size[3] = {mk.radius, mk.radius, mk.radius};
    const mjtNum pos[3] = {mk.pos[0], mk.pos[1], mk.pos[2]};
    mjv_initGeom(g, mjGEOM_SPHERE, size, pos, nullptr, mk.rgba.data());
    g->category = mjCAT_DECOR;
    g->emission = kMarkerEmission;
  }
  const mjrRect viewport{0, 0, options_.width, options_.height};
  mjr_setBuffer(mjFB_OFFSCREEN, &gpu_.con);
  mjr_render(viewport, &scn, &gpu_.con);
  if (overlay && !overlay->top_left.empty()) {
    mjr_overlay(mjFONT_NORMAL, mjGRID_TOPLEFT, viewport, overlay->top_left.c_str(), "", &gpu_.con);
  }
  if (overlay && !overlay->bottom_left.empty()) {
    mjr_overlay(mjFONT_NORMAL, mjGRID_BOTTOMLEFT, viewport, overlay->bottom_left.c_str(), "", &gpu_.con);
  }
  mjr_readPixels(raw_.data(), nullptr, viewport, &gpu_.con);
  // GL returns rows bottom-up; frames (PNG, video) are top-down.
  const std::size_t row = static_cast<std::size_t>(options_.width) * 3;
  for (int y = 0; y < options_.height; ++y) {
    std::memcpy(&frame_.rgb[static_cast<std::size_t>(y) * row],
                &raw_[static_cast<std::size_t>(options_.height - 1 - y) * row], row);
  }
  rendered_ = true;
  return frame_;
}

std::optional<std::array<double, 2>> Renderer::project(const std::array<double, 3>& world) const {
  check(rendered_, "Renderer::project needs a render() first (the camera is set while rendering)");
  // The same camera mjr_render used: the average of the scene's two (stereo) cameras.
  const mjvGLCamera c = mjv_averageCamera(&scene_.scn.camera[0], &scene_.scn.camera[1]);
  const double f[3] = {c.forward[0], c.forward[1], c.forward[2]};
  const double u[3] = {c.up[0], c.up[1], c.up[2]};
  const double r[3] = {f[1] * u[2] - f[2] * u[1], f[2] * u[0] - f[0] * u[2], f[0] * u[1] - f[1] * u[0]};
  const double d[3] = {world[0] - c.pos[0], world[1] - c.pos[1], world[2] - c.pos[2]};
  const double depth = d[0] * f[0] + d[1] * f[1] + d[2] * f[2];
  if (depth <= c.frustum_near) return std::nullopt;
  // Onto the near plane, then to normalized device coordinates. mjr_render sets the frustum's half
  // width from its half height and the viewport's aspect ratio.
  const double x = (d[0] * r[0] + d[1] * r[1] + d[2] * r[2]) * c.frustum_near / depth;
  const double y = (d[0] * u[0] + d[1] * u[1] + d[2] * u[2]) * c.frustum_near / depth;
  const double half_h = 0.5 * (c.frustum_top - c.frustum_bottom);
  const double half_w = half_h * options_.width / options_.height;
  const double ndc_x = (x - c.frustum_center) / half_w;
  const double ndc_y = (y - 0.5 * (c.frustum_top + c.frustum_bottom)) / half_h;
  return std::array<double, 2>{0.5 * (ndc_x + 1.0) * options_.width, 0.5 * (1.0 - ndc_y) * options_.height};
}

std::array<float, 4> level_colour(int level) {
  static constexpr std::array<std::array<float, 4>, 6> kColours{{
      {0.10f, 0.35f, 1.00f, 1.f},  // 1 blue
      {0.10f, 0.85f, 0.20f, 1.f},  // 2 green
      {1.00f, 0.90f, 0.10f, 1.f},  // 3 yellow
      {0.90f, 0.20f, 0.90f, 1.f},  // 4 magenta
      {0.10f, 0.90f, 0.90f, 1.f},  // 5 cyan
      {1.00f, 0.55f, 0.10f, 1.f},  // 6 orange
  }};
  check(level >= 1, "subgoal levels start at 1");
  return kColours[static_cast<std::size_t>(level - 1) % kColours.size()];
}

std::array<float, 4> goal_colour() {
  return {1.f, 0.10f, 0.10f, 1.f};
}

}  // namespace hindsight::render
