#include "hindsight/learn/fixed_replay.hpp"

#include <algorithm>
#include <cstring>

#include "hindsight/core/error.hpp"
#include "hindsight/io/binary.hpp"

namespace hindsight::learn {
namespace {

using io::put;
using io::put_floats;

constexpr char kMagic[8] = {'H', 'S', 'F', 'I', 'X', 'E', 'D', 'R'};
constexpr std::uint32_t kVersion = 1;

}  // namespace

FixedReplay::FixedReplay(ReplayDims dims) : dims_(dims) {
  check(dims.obs > 0 && dims.goal > 0 && dims.action > 0, "fixed replay: obs, goal and action widths must be > 0");
}

void FixedReplay::check_widths(const FixedTransition& t) const {
  const auto o = static_cast<std::size_t>(dims_.obs), g = static_cast<std::size_t>(dims_.goal),
             a = static_cast<std::size_t>(dims_.action);
  check(t.o.size() == o && t.o2.size() == o && t.g.size() == g && t.u.size() == a,
        "fixed replay: a transition needs obs " + std::to_string(o) + ", goal " + std::to_string(g) +
            " and action " + std::to_string(a) + " values");
}

void FixedReplay::store(std::span<const FixedTransition> transitions, std::size_t held) {
  for (const auto& t : transitions) check_widths(t);
  for (const auto& t : transitions) entries_.push_back({episodes_, t});
  ++episodes_;
  // The buffer now holds episodes [episodes_ - held, episodes_).
  const std::uint64_t oldest = episodes_ - std::min<std::uint64_t>(held, episodes_);
  while (!entries_.empty() && entries_.front().episode < oldest) entries_.pop_front();
}

const FixedTransition& FixedReplay::at(std::size_t i) const {
  check(i < entries_.size(), "fixed replay: transition " + std::to_string(i) + " out of range (" +
                                 std::to_string(entries_.size()) + " held)");
  return entries_[i].t;
}

void FixedReplay::sample_into(std::size_t n, Rng& rng, TransitionBatch& out, std::size_t row) const {
  if (n == 0) return;
  check(!entries_.empty(), "fixed replay: sampling from an empty store");
  const auto wo = static_cast<std::size_t>(dims_.obs), wg = static_cast<std::size_t>(dims_.goal),
             wu = static_cast<std::size_t>(dims_.action);
  check(out.r.size() >= row + n, "fixed replay: the batch has no room for the sampled rows");
  for (std::size_t k = row; k < row + n; ++k) {
    const FixedTransition& t = entries_[rng.below(entries_.size())].t;
    std::copy(t.o.begin(), t.o.end(), &out.o[k * wo]);
    std::copy(t.o2.begin(), t.o2.end(), &out.o2[k * wo]);
    std::copy(t.g.begin(), t.g.end(), &out.g[k * wg]);
    std::copy(t.u.begin(), t.u.end(), &out.u[k * wu]);
    std::fill_n(&out.ag[k * wg], wg, 0.0f);
    std::fill_n(&out.ag2[k * wg], wg, 0.0f);
    out.r[k] = t.reward;
    out.discount[k] = t.discount;
    out.relabelled[k] = 0;
  }
}

void FixedReplay::clear() {
  entries_.clear();
  episodes_ = 0;
}

std::string FixedReplay::save() const {
  std::string out(kMagic, sizeof(kMagic));
  put(out, kVersion);
  put(out, dims_.obs);
  put(out, dims_.goal);
  put(out, dims_.action);
  put(out, episodes_);
  put(out, static_cast<std::uint64_t>(entries_.size()));
  for (const auto& e : entries_) {
    put(out, e.episode);
    put_floats(out, e.t.o);
    put_floats(out, e.t.o2);
    put_floats(out, e.t.g);
    put_floats(out, e.t.u);
    put(out, e.t.reward);
    put(out, e.t.discount);
  }
  return out;
}

void FixedReplay::load(std::string_view bytes, const std::string& where) {
  check(bytes.size() >= sizeof(kMagic) && std::memcmp(bytes.data(), kMagic, sizeof(kMagic)) == 0,
        where + ": not a hindsight fixed-transition store (bad magic)");
  io::BinaryReader in(bytes, where + ": fixed-transition data", sizeof(kMagic));
  const auto version = in.get<std::uint32_t>();
  check(version == kVersion, where + ": unsupported fixed-transition version " + std::to_string(version));
  const auto obs = in.get<std::int32_t>(), goal = in.get<std::int32_t>(), action = in.get<std::int32_t>();
  check(obs == dims_.obs && goal == dims_.goal && action == dims_.action,
        where + ": fixed-transition widths (" + std::to_string(obs) + ", " + std::to_string(goal) + ", " +
            std::to_string(action) + ") differ from this store's (" + std::to_string(dims_.obs) + ", " +
            std::to_string(dims_.goal) + ", " + std::to_string(dims_.action) + ")");
  const auto episodes = in.get<std::uint64_t>();
  const auto n = in.get<std::uint64_t>();
  std::deque<Entry> entries;
  std::uint64_t previous = 0;
  for (std::uint64_t k = 0; k < n; ++k) {
    Entry e;
    e.episode = in.get<std::uint64_t>();
    check(e.episode < episodes && e.episode >= previous,
          where + ": fixed transition " + std::to_string(k) + " has an out-of-order episode tag");
    previous = e.episode;
    in.floats(e.t.o, static_cast<std::size_t>(obs));
    in.floats(e.t.o2, static_cast<std::size_t>(obs));
    in.floats(e.t.g, static_cast<std::size_t>(goal));
    in.floats(e.t.u, static_cast<std::size_t>(action));
    e.t.reward = in.get<float>();
    e.t.discount = in.get<float>();
    entries.push_back(std::move(e));
  }
  check(in.done(), where + ": unexpected bytes after the last fixed transition");
  entries_ = std::move(entries);
  episodes_ = episodes;
}

}  // namespace hindsight::learn
