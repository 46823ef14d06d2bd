#include "hindsight/env/mujoco_handles.hpp"

#include <array>
#include <mutex>
#include <vector>

#include "hindsight/core/error.hpp"

namespace hindsight {
namespace {

struct VfsDeleter {
  void operator()(mjVFS* v) const {
    mj_deleteVFS(v);
    delete v;
  }
};

void quiet_warning(const char*) {}

}  // namespace

void install_mujoco_handlers() {
  static std::once_flag once;
  std::call_once(once, [] { mju_user_warning = quiet_warning; });
}

MjModelPtr load_mjcf_string(const std::string& xml, const std::string& name) {
  install_mujoco_handlers();
  std::unique_ptr<mjVFS, VfsDeleter> vfs(new mjVFS);
  mj_defaultVFS(vfs.get());
  check(mj_makeEmptyFileVFS(vfs.get(), name.c_str(), static_cast<int>(xml.size())) == 0,
        "cannot create MuJoCo virtual file " + name);
  const int idx = mj_findFileVFS(vfs.get(), name.c_str());
  check(idx >= 0, "cannot find MuJoCo virtual file " + name);
  std::copy(xml.begin(), xml.end(), static_cast<char*>(vfs->filedata[idx]));
  std::array<char, 1024> err{};
  mjModel* m = mj_loadXML(name.c_str(), vfs.get(), err.data(), static_cast<int>(err.size()));
  if (!m) throw Error("MuJoCo could not compile " + name + ": " + err.data());
  return MjModelPtr(m);
}

MjModelPtr load_mjcf_file(const std::string& path) {
  install_mujoco_handlers();
  std::array<char, 1024> err{};
  mjModel* m = mj_loadXML(path.c_str(), nullptr, err.data(), static_cast<int>(err.size()));
  if (!m) throw Error("MuJoCo could not compile " + path + ": " + err.data());
  return MjModelPtr(m);
}

MjDataPtr make_data(const mjModel* m) {
  mjData* d = mj_makeData(m);
  check(d != nullptr, "MuJoCo could not allocate mjData");
  return MjDataPtr(d);
}

int mj_warning_total(const mjData* d) {
  int n = 0;
  for (int i = 0; i < mjNWARNING; ++i) n += d->warning[i].number;
  return n;
}

std::string mj_first_warning(const mjData* d) {
  static const char* names[mjNWARNING] = {"near-singular inertia", "contact list full", "constraint list full",
                                          "visual geom list full", "bad number in qpos", "bad number in qvel",
                                          "bad number in qacc", "bad number in ctrl"};
  for (int i = 0; i < mjNWARNING; ++i) {
    if (d->warning[i].number > 0) return names[i];
  }
  return "";
}

int mj_require_id(const mjModel* m, mjtObj t, const char* name) {
  const int id = mj_name2id(m, t, name);
  if (id < 0) throw Error(std::string("MuJoCo model has no object named ") + name);
  return id;
}

void throw_on_new_warning(const mjData* d, int& seen, const std::string& env, int step) {
  const int w = mj_warning_total(d);
  if (w <= seen) return;
  seen = w;
  throw Error(env + ": MuJoCo warning during step " + std::to_string(step) + ": " + mj_first_warning(d));
}

}  // namespace hindsight
