#pragma once
// RAII owners for MuJoCo models and data, and loading a model from MJCF text held in memory.
#include <memory>
#include <string>

#include <mujoco/mujoco.h>

namespace hindsight {

struct MjModelDeleter {
  void operator()(mjModel* m) const { mj_deleteModel(m); }
};
struct MjDataDeleter {
  void operator()(mjData* d) const { mj_deleteData(d); }
};
using MjModelPtr = std::unique_ptr<mjModel, MjModelDeleter>;
using MjDataPtr = std::unique_ptr<mjData, MjDataDeleter>;

// Compiles MJCF text into a model; throws Error with MuJoCo's message on failure.
MjModelPtr load_mjcf_string(const std::string& xml, const std::string& name = "model.xml");
// Compiles an MJCF file from disk (files it includes or refers to are found relative to it); throws Error
// with MuJoCo's message on failure.
MjModelPtr load_mjcf_file(const std::string& path);
// A new data block for the model, reset to qpos0.
MjDataPtr make_data(const mjModel* m);
// Routes MuJoCo's warning printer away from stdout and MUJOCO_LOG.TXT (warnings are read from
// mjData::warning instead). Idempotent; called by load_mjcf_string.
void install_mujoco_handlers();
// Number of MuJoCo warnings raised on d so far, summed over all warning types.
int mj_warning_total(const mjData* d);
// Name of the first warning type with a non-zero count, or "" when there is none.
std::string mj_first_warning(const mjData* d);
// Throws Error "<env>: MuJoCo warning during step <step>: <warning>" when d holds more warnings than
// `seen`, which it then updates (a step that made MuJoCo warn has produced unreliable physics).
void throw_on_new_warning(const mjData* d, int& seen, const std::string& env, int step);
// Id of a named object of type t; throws Error when it does not exist.
int mj_require_id(const mjModel* m, mjtObj t, const char* name);

}  // namespace hindsight
