#include "hindsight/train/rank_sync.hpp"

#include <chrono>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "hindsight/core/error.hpp"
#include "hindsight/core/finite.hpp"

namespace hindsight::train {
namespace {

// FNV-1a over bytes: equal contents give equal hashes on every rank (same float format everywhere), and
// any differing bit almost surely changes it.
std::uint64_t hash_bytes(const void* data, std::size_t size) {
  std::uint64_t h = 14695981039346656037ull;
  const auto* p = static_cast<const unsigned char*>(data);
  for (std::size_t i = 0; i < size; ++i) {
    h ^= p[i];
    h *= 1099511628211ull;
  }
  return h;
}

// A 64-bit hash as two 32-bit halves, which doubles (what allgather carries) hold exactly.
void append_hash(std::uint64_t h, std::vector<double>& out) {
  out.push_back(static_cast<double>(h >> 32));
  out.push_back(static_cast<double>(h & 0xffffffffu));
}

}  // namespace

void RankSync::broadcast_parameters(learn::Agent& agent) {
  for (learn::Level* level : agent.levels()) {
    std::vector<float> params = level->learner().flat_parameters();
    comm_->broadcast(std::span<float>(params));
    level->learner().set_flat_parameters(params);
  }
}

void RankSync::install_gradient_reducers(learn::Agent& agent, bool stop_on_non_finite) {
  stop_on_non_finite_ = stop_on_non_finite;
  for (learn::Level* level : agent.levels()) {
    level->learner().set_gradient_reducer(
        [this, level](std::span<float> gradient) { reduce(*level, gradient); });
  }
}

void RankSync::reduce(const learn::Level& level, std::span<float> gradient) {
  if (poison_) {
    gradient[0] = std::numeric_limits<float>::quiet_NaN();
    poison_ = false;
  }
  // Checked before the exchange: after it, every rank would hold the NaN and none could say whose it was.
  // When the update is to be skipped instead, the NaN is exchanged like any value, so that every rank's
  // learner sees it and skips the same update.
  if (stop_on_non_finite_ && comm_->size() > 1) {
    if (const auto i = first_non_finite(std::span<const float>(gradient))) {
      throw NonFiniteError("gradient[" + std::to_string(*i) + "] is " + non_finite_name(gradient[*i]) +
                               " (this rank's own, before averaging)",
                           &level);
    }
  }
  const auto t0 = std::chrono::steady_clock::now();
  comm_->allreduce_mean(gradient);
  stats_.seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  ++stats_.calls;
  stats_.bytes += static_cast<double>(gradient.size() * sizeof(float));
}

void RankSync::sync_normalizers(learn::Agent& agent) {
  const auto levels = agent.levels();
  std::vector<double> mine;
  std::vector<std::size_t> offset;  // where each level's delta starts inside one rank's share
  for (std::size_t i = 0; i < levels.size(); ++i) {
    // Finite by construction: a level refuses non-finite episodes and a normalizer non-finite statistics.
    const std::vector<double> d = levels[i]->take_normalizer_delta();
    offset.push_back(mine.size());
    mine.insert(mine.end(), d.begin(), d.end());
  }
  const std::vector<double> all = comm_->allgather(mine);
  const std::size_t share = mine.size();
  for (std::size_t i = 0; i < levels.size(); ++i) {
    const std::size_t size = levels[i]->normalizer_delta_size();
    std::vector<double> deltas;
    deltas.reserve(size * static_cast<std::size_t>(comm_->size()));
    for (int r = 0; r < comm_->size(); ++r) {
      const auto from =
          all.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(r) * share + offset[i]);
      deltas.insert(deltas.end(), from, from + static_cast<std::ptrdiff_t>(size));
    }
    levels[i]->merge_normalizer_deltas(deltas);
  }
}

void RankSync::check_parameters_agree(learn::Agent& agent) {
  const auto levels = agent.levels();
  std::vector<double> mine;
  for (learn::Level* level : levels) {
    const std::vector<float> p = level->learner().flat_parameters();
    append_hash(hash_bytes(p.data(), p.size() * sizeof(float)), mine);
  }
  const std::vector<double> all = comm_->allgather(mine);  // rank 0's hashes come first
  for (std::size_t i = 0; i < levels.size(); ++i) {
    check(all[2 * i] == mine[2 * i] && all[2 * i + 1] == mine[2 * i + 1],
          "level " + std::to_string(i) +
              ": parameters differ from rank 0's (the ranks no longer train one model)");
  }
}

void RankSync::check_same_text(const std::string& text, const std::string& what) {
  std::vector<double> mine;
  append_hash(hash_bytes(text.data(), text.size()), mine);
  const std::vector<double> all = comm_->allgather(mine);
  check(all[0] == mine[0] && all[1] == mine[1],
        what + " differs from rank 0's (are the files it comes from the same on every node?)");
}

AllreduceStats RankSync::take_allreduce_stats() {
  const AllreduceStats s = stats_;
  stats_ = {};
  return s;
}

}  // namespace hindsight::train
