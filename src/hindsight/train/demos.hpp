#pragma once
// Demonstrations: the scripted expert's episodes recorded into level 0's demonstration buffer.
#include "hindsight/env/goal_env.hpp"
#include "hindsight/io/config.hpp"
#include "hindsight/learn/agent.hpp"
#include "hindsight/train/comm.hpp"
#include "hindsight/train/position.hpp"

namespace hindsight::train {

// Records this rank's share of cfg.demos scripted-expert episodes (fixed seeds) into the agent's
// demonstration buffers; fresh: a new run (they feed the normalizers, and the env steps of all ranks are
// returned, to be counted as the run's), else a resume recording the same episodes again (returns 0).
// at names the episode being recorded, for NaN/Inf messages.
long record_demos(const TrainConfig& cfg, learn::Agent& agent, GoalEnv& env, Comm& comm, bool fresh, Position& at);

}  // namespace hindsight::train
