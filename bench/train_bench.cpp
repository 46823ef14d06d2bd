// Throughput of the training loop's two halves on FetchPickAndPlace with the default (baselines)
// networks: env steps per second while collecting exploring episodes (policy inference included),
// and DDPG+HER updates per second (sampling, relabelling, normalizing, the update itself), first with
// a nearly empty replay buffer, then with the buffer full at 1M transitions (a long run's state): a cost
// that grew with the buffer shows as a ratio above 1 (the limit is 1.1).
// Usage: train_bench [EPISODES] [UPDATES] [BATCH]   (defaults 40, 400, 256)
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "hindsight/io/config.hpp"
#include "hindsight/learn/replay_buffer.hpp"
#include "hindsight/agents/make_agent.hpp"

using namespace hindsight;
using Clock = std::chrono::steady_clock;

namespace {

struct Rates {
  double steps_per_s = 0, updates_per_s = 0;
};

Rates measure(learn::Agent& agent, GoalEnv& env, int episodes, int updates, std::uint64_t seed0) {
  auto t0 = Clock::now();
  long steps = 0;
  for (int e = 0; e < episodes; ++e) steps += agent.run_episode(env, seed0 + static_cast<std::uint64_t>(e), true).steps;
  const double rollout_s = std::chrono::duration<double>(Clock::now() - t0).count();
  t0 = Clock::now();
  for (int u = 0; u < updates; ++u) agent.train_step();
  const double update_s = std::chrono::duration<double>(Clock::now() - t0).count();
  return {steps / rollout_s, updates / update_s};
}

// Fills the level's buffer to capacity with copies of the episodes it holds.
void fill(learn::ReplayBuffer& b) {
  const std::size_t held = b.episodes();
  learn::EpisodeData ep;
  for (std::size_t k = 0; b.episodes() < b.capacity_episodes(); ++k) {
    const std::size_t i = k % held;
    ep.T = b.length(i);
    ep.obs.assign(b.obs(i).begin(), b.obs(i).end());
    ep.ag.assign(b.ag(i).begin(), b.ag(i).end());
    ep.g.assign(b.g(i).begin(), b.g(i).end());
    ep.actions.assign(b.actions(i).begin(), b.actions(i).end());
    b.store(ep);
  }
}

}  // namespace

int main(int argc, char** argv) {
  const int episodes = argc > 1 ? std::atoi(argv[1]) : 40;
  const int updates = argc > 2 ? std::atoi(argv[2]) : 400;
  TrainConfig cfg = default_config();
  cfg.env = "FetchPickAndPlace";
  if (argc > 3) cfg.batch_size = std::atoi(argv[3]);
  auto setup = agents::make_setup(cfg);
  learn::Agent& agent = *setup.agent;

  const Rates small = measure(agent, *setup.env, episodes, updates, 0);
  learn::ReplayBuffer& buffer = agent.levels()[0]->buffer();
  const std::size_t before = buffer.transitions();
  fill(buffer);
  const Rates full = measure(agent, *setup.env, episodes, updates, 1000);

  std::printf("train_env_steps_per_s=%.0f (exploring episodes, policy inference included; %zu transitions held)\n",
              small.steps_per_s, before);
  std::printf("train_updates_per_s=%.1f (batch %d, HER sampling + normalizing + DDPG update)\n",
              small.updates_per_s, cfg.batch_size);
  // One baselines epoch: 50 cycles x (2 episodes x 50 steps + 40 updates).
  const auto epoch_s = [](const Rates& r) { return 50 * (100 / r.steps_per_s + 40 / r.updates_per_s); };
  std::printf("projected_epoch_seconds=%.1f (50 cycles x 2 episodes + 40 updates)\n", epoch_s(small));
  std::printf("full_buffer_transitions=%zu\n", buffer.transitions());
  std::printf("full_buffer_env_steps_per_s=%.0f ratio=%.3f (small / full)\n", full.steps_per_s,
              small.steps_per_s / full.steps_per_s);
  std::printf("full_buffer_updates_per_s=%.1f ratio=%.3f (small / full)\n", full.updates_per_s,
              small.updates_per_s / full.updates_per_s);
  std::printf("full_buffer_epoch_ratio=%.3f (limit 1.1)\n", epoch_s(full) / epoch_s(small));
  return 0;
}
