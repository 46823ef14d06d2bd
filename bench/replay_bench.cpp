// Replay buffer costs against a memcpy of the same bytes, at the size of a long run: 20k FetchPush
// episodes (50 steps) stored into an empty 1M-transition buffer, then the full buffer saved to a blob and
// loaded back into an empty one (what a checkpoint save and a --resume do with it). Each figure is
// printed beside the time a plain memcpy of the same bytes into fresh memory takes in the same run;
// ratio = op / memcpy. Storing once copied the whole buffer per episode (ratio in the thousands).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

#include "hindsight/learn/replay_buffer.hpp"

namespace {

using hindsight::learn::EpisodeData;
using hindsight::learn::ReplayBuffer;
using hindsight::learn::ReplayDims;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// Best of three memcpy passes of `bytes` bytes into freshly allocated memory, as a buffer filled for the
// first time (or a blob built, or a buffer loaded) must write into pages it has never touched: the page
// faults are part of the floor, and on virtual machines they are most of it.
double memcpy_seconds(std::size_t bytes) {
  std::vector<char> src(bytes, 1);
  double best = 1e30;
  for (int i = 0; i < 3; ++i) {
    const auto t0 = Clock::now();
    std::unique_ptr<char[]> dst(new char[bytes]);
    std::memcpy(dst.get(), src.data(), bytes);
    // Read back one byte so the copy cannot be optimized away.
    volatile char sink = dst[bytes / 2];
    (void)sink;
    best = std::min(best, seconds_since(t0));
  }
  return best;
}

}  // namespace

int main() {
  const ReplayDims dims{.obs = 25, .goal = 3, .action = 4, .max_steps = 50};
  const std::size_t capacity = 1000000, episodes = capacity / dims.max_steps;  // 20k episodes fill it
  EpisodeData ep;
  ep.T = dims.max_steps;
  ep.obs.assign((ep.T + 1) * dims.obs, 0.5f);
  ep.ag.assign((ep.T + 1) * dims.goal, 0.25f);
  ep.g.assign(ep.T * dims.goal, 0.125f);
  ep.actions.assign(ep.T * dims.action, -0.5f);
  const std::size_t episode_bytes = (ep.obs.size() + ep.ag.size() + ep.g.size() + ep.actions.size()) * sizeof(float);

  ReplayBuffer buffer(dims, capacity);
  auto t0 = Clock::now();
  for (std::size_t i = 0; i < episodes; ++i) {
    ep.obs[0] = static_cast<float>(i);
    buffer.store(ep);
  }
  const double store_s = seconds_since(t0);
  const double store_floor = memcpy_seconds(episodes * episode_bytes);

  t0 = Clock::now();
  const std::string blob = buffer.save();
  const double save_s = seconds_since(t0);
  ReplayBuffer resumed(dims, capacity);
  t0 = Clock::now();
  resumed.load(blob, "bench");
  const double load_s = seconds_since(t0);
  const double blob_floor = memcpy_seconds(blob.size());

  std::printf("episodes=%zu transitions=%zu bytes=%.1fMB\n", resumed.episodes(), resumed.transitions(),
              static_cast<double>(blob.size()) / 1e6);
  std::printf("store_all_s=%.3f memcpy_s=%.3f ratio=%.2f\n", store_s, store_floor, store_s / store_floor);
  std::printf("save_full_s=%.3f memcpy_s=%.3f ratio=%.2f\n", save_s, blob_floor, save_s / blob_floor);
  std::printf("load_full_s=%.3f memcpy_s=%.3f ratio=%.2f\n", load_s, blob_floor, load_s / blob_floor);
  return resumed.episodes() == episodes && resumed.obs(episodes - 1)[0] == static_cast<float>(episodes - 1) ? 0 : 1;
}
