#include "hindsight/render/gl_context.hpp"

#include <GL/osmesa.h>

#include <string>

#include "hindsight/core/error.hpp"

namespace hindsight::render {

GlContext::GlContext(int width, int height)
    : width_(width), height_(height), buffer_(static_cast<std::size_t>(width) * height * 4) {
  check(width > 0 && height > 0, "GL context size must be positive");
  // 24-bit depth and 8-bit stencil as MuJoCo's renderer expects; no accumulation buffer.
  ctx_ = OSMesaCreateContextExt(OSMESA_RGBA, 24, 8, 0, nullptr);
  check(ctx_ != nullptr, "cannot create an OSMesa OpenGL context (is libosmesa6 installed?)");
  make_current();
}

GlContext::~GlContext() {
  if (ctx_) OSMesaDestroyContext(ctx_);
}

void GlContext::make_current() {
  if (!OSMesaMakeCurrent(ctx_, buffer_.data(), GL_UNSIGNED_BYTE, width_, height_)) {
    throw Error("cannot make the OSMesa context current (" + std::to_string(width_) + "x" +
                std::to_string(height_) + ")");
  }
}

}  // namespace hindsight::render
