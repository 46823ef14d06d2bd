// Throughput of the training loop's two halves on FetchPickAndPlace with the default (baselines)
// networks: env steps per second while collecting exploring episodes (policy inference included),
// and DDPG+HER updates per second (sampling, relabelling, normalizing, the update itself).
#include <chrono>
#include <cstdio>

#include "hindsight/io/config.hpp"
#include "hindsight/train/trainer.hpp"

using namespace hindsight;
using Clock = std::chrono::steady_clock;

int main(int argc, char** argv) {
  const int episodes = argc > 1 ? std::atoi(argv[1]) : 40;
  const int updates = argc > 2 ? std::atoi(argv[2]) : 400;
  TrainConfig cfg = default_config();
  cfg.env = "FetchPickAndPlace";
  auto setup = train::make_setup(cfg);
  train::Agent& agent = *setup.agent;

  auto t0 = Clock::now();
  long steps = 0;
  for (int e = 0; e < episodes; ++e) steps += agent.run_episode(*setup.env, static_cast<std::uint64_t>(e), true).steps;
  const double rollout_s = std::chrono::duration<double>(Clock::now() - t0).count();

  t0 = Clock::now();
  for (int u = 0; u < updates; ++u) agent.train_step();
  const double update_s = std::chrono::duration<double>(Clock::now() - t0).count();

  const double steps_per_s = steps / rollout_s, updates_per_s = updates / update_s;
  std::printf("train_env_steps_per_s=%.0f (exploring episodes, policy inference included)\n", steps_per_s);
  std::printf("train_updates_per_s=%.1f (batch %d, HER sampling + normalizing + DDPG update)\n", updates_per_s,
              cfg.batch_size);
  // One baselines epoch: 50 cycles x (2 episodes x 50 steps + 40 updates).
  const double epoch_s = 50 * (100 / steps_per_s + 40 / updates_per_s);
  std::printf("projected_epoch_seconds=%.1f (50 cycles x 2 episodes + 40 updates)\n", epoch_s);
  return 0;
}
