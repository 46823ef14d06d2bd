// The gradient all-reduce on its own, under `mpirun -np N allreduce_bench [ENV]`: the two all-reduces of
// one update (critic, then actor) of the default flat agent for ENV (FetchPickAndPlace), sized from the
// real learner. A barrier before each timed pair keeps waiting for a slower rank out of the figure, so it
// is the transfer cost the scaling model needs; a one-float all-reduce gives the latency floor. It prints
// the median and 90th percentile over ranks' slowest, and the bus bandwidth 2(N-1)/N x bytes / time.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "hindsight/io/config.hpp"
#include "hindsight/train/comm.hpp"
#include "hindsight/agents/make_agent.hpp"

namespace {

using Clock = std::chrono::steady_clock;

// Times fn `reps` times after a barrier each; returns every rep's slowest rank time, sorted.
template <typename F>
std::vector<double> timed(hindsight::train::Comm& comm, int reps, F&& fn) {
  std::vector<double> mine;
  for (int i = 0; i < reps; ++i) {
    comm.barrier();
    const auto t0 = Clock::now();
    fn();
    mine.push_back(std::chrono::duration<double>(Clock::now() - t0).count());
  }
  const std::vector<double> all = comm.allgather(mine);
  std::vector<double> slowest(mine.size(), 0.0);
  for (std::size_t k = 0; k < all.size(); ++k)
    slowest[k % mine.size()] = std::max(slowest[k % mine.size()], all[k]);
  std::sort(slowest.begin(), slowest.end());
  return slowest;
}

double quantile(const std::vector<double>& sorted, double q) {
  return sorted[static_cast<std::size_t>(q * static_cast<double>(sorted.size() - 1))];
}

}  // namespace

int main(int argc, char** argv) {
  using namespace hindsight;
  auto comm = train::make_comm();
  TrainConfig cfg = default_config();
  if (argc > 1) cfg.env = argv[1];
  const auto setup = agents::make_setup(cfg, comm->rank());
  const auto& learner = setup.agent->levels()[0]->learner();
  std::vector<float> critic(learner.critic_parameters(), 1.0f), actor(learner.actor_parameters(), 1.0f),
      one(1);
  const double bytes = 4.0 * static_cast<double>(critic.size() + actor.size());
  constexpr int kWarmup = 20, kReps = 300;
  timed(*comm, kWarmup, [&] {
    comm->allreduce_mean(critic);
    comm->allreduce_mean(actor);
  });
  const auto update = timed(*comm, kReps, [&] {
    comm->allreduce_mean(critic);
    comm->allreduce_mean(actor);
  });
  const auto latency = timed(*comm, kReps, [&] { comm->allreduce_mean(one); });
  if (!comm->is_root()) return 0;
  const int n = comm->size();
  const double median = quantile(update, 0.5);
  std::string hidden;
  for (const int h : cfg.hidden) hidden += (hidden.empty() ? "" : "x") + std::to_string(h);
  std::printf("allreduce bench: env=%s ranks=%d hidden=%s: critic %zu + actor %zu floats = %.0f bytes\n",
              cfg.env.c_str(), n, hidden.c_str(), critic.size(), actor.size(), bytes);
  std::printf("per update (2 all-reduces): median %.3f ms, p90 %.3f ms; bus bandwidth %.2f GB/s\n",
              1e3 * median, 1e3 * quantile(update, 0.9),
              n > 1 ? 2.0 * (n - 1) / n * bytes / median / 1e9 : 0.0);
  std::printf("one-float all-reduce (latency): median %.1f us, p90 %.1f us\n", 1e6 * quantile(latency, 0.5),
              1e6 * quantile(latency, 0.9));
  return 0;
}
