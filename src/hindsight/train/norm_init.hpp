#pragma once
// Normalizer initialisation before the first epoch (norm_init): off, statistics from a file, or a warm-up
// of random episodes shared among the ranks; then every rank's statistics merged, and frozen on request.
#include "hindsight/env/goal_env.hpp"
#include "hindsight/io/config.hpp"
#include "hindsight/learn/agent.hpp"
#include "hindsight/train/comm.hpp"
#include "hindsight/train/position.hpp"
#include "hindsight/train/rank_sync.hpp"

namespace hindsight::train {

// Initialises the agent's normalizers as cfg says; returns the warm-up's env steps over all ranks (they
// count as the run's env steps, like the demonstrations'). at names the warm-up episode, for NaN/Inf messages.
long init_normalizers(const TrainConfig& cfg, learn::Agent& agent, GoalEnv& env, Comm& comm, RankSync& sync,
                      Position& at);

}  // namespace hindsight::train
