#pragma once
// An offscreen OpenGL context (Mesa's OSMesa: software rendering into memory), so MuJoCo can render
// on machines without a display or GPU: servers, CI, containers.
#include <cstdint>
#include <vector>

// OSMesa's handle type, declared here so this header does not pull in GL/osmesa.h.
typedef struct osmesa_context* OSMesaContext;

namespace hindsight::render {

class GlContext {
 public:
  // Creates a context with a width x height RGBA default buffer and makes it current; throws Error.
  GlContext(int width, int height);
  // Destroys the context (whatever was rendered with it must have been freed first).
  ~GlContext();
  GlContext(const GlContext&) = delete;
  GlContext& operator=(const GlContext&) = delete;

  // Makes this context current on the calling thread (needed before any GL or mjr_* call).
  void make_current();

 private:
  OSMesaContext ctx_ = nullptr;
  int width_, height_;
  // OSMesa renders its default framebuffer into client memory; MuJoCo draws into its own offscreen
  // framebuffer object, so this buffer only has to exist.
  std::vector<std::uint8_t> buffer_;
};

}  // namespace hindsight::render
