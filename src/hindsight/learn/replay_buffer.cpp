#include "hindsight/learn/replay_buffer.hpp"

#include <algorithm>
#include <cstring>

#include "hindsight/core/error.hpp"
#include "hindsight/io/binary.hpp"

namespace hindsight::learn {
namespace {

using io::put;
using io::put_floats;

constexpr char kMagic[8] = {'H', 'S', 'R', 'E', 'P', 'L', 'A', 'Y'};
constexpr std::uint32_t kVersion = 1;

std::string describe(const ReplayDims& d) {
  return "obs " + std::to_string(d.obs) + ", goal " + std::to_string(d.goal) + ", action " +
         std::to_string(d.action) + ", max_steps " + std::to_string(d.max_steps);
}

}  // namespace

ReplayBuffer::ReplayBuffer(ReplayDims dims, std::size_t capacity_transitions) : dims_(dims) {
  check(dims.obs > 0 && dims.goal > 0 && dims.action > 0 && dims.max_steps > 0,
        "replay buffer: every dimension must be > 0 (" + describe(dims) + ")");
  capacity_ = capacity_transitions / static_cast<std::size_t>(dims.max_steps);
  check(capacity_ > 0, "replay buffer: capacity of " + std::to_string(capacity_transitions) +
                           " transitions holds no episode of max_steps " + std::to_string(dims.max_steps));
}

std::size_t ReplayBuffer::slot(std::size_t i) const {
  check(i < count_, "replay buffer: episode " + std::to_string(i) + " out of range (" +
                        std::to_string(count_) + " held)");
  // Before the ring wraps the oldest episode is in slot 0; after, it is the one about to be overwritten.
  return count_ < capacity_ ? i : (next_ + i) % capacity_;
}

void ReplayBuffer::store(const EpisodeData& ep) {
  const auto T = static_cast<std::size_t>(ep.T);
  check(ep.T >= 1 && ep.T <= dims_.max_steps, "replay store: episode length " + std::to_string(ep.T) +
                                                  " outside [1, " + std::to_string(dims_.max_steps) + "]");
  const auto sizes_ok = [&](const std::vector<float>& v, std::size_t rows, int width, const char* name) {
    check(v.size() == rows * static_cast<std::size_t>(width),
          std::string("replay store: '") + name + "' has " + std::to_string(v.size()) + " values, expected " +
              std::to_string(rows) + " x " + std::to_string(width));
  };
  sizes_ok(ep.obs, T + 1, dims_.obs, "obs");
  sizes_ok(ep.ag, T + 1, dims_.goal, "ag");
  sizes_ok(ep.g, T, dims_.goal, "g");
  sizes_ok(ep.actions, T, dims_.action, "actions");

  const std::size_t rows = static_cast<std::size_t>(dims_.max_steps) + 1;
  const std::size_t s = next_;
  if (s == lengths_.size()) {
    // The whole capacity is reserved at the first store: address space only, its pages are touched as
    // episodes arrive, so a large, mostly empty buffer costs little memory, and no store ever copies the
    // episodes already held (growing by reallocation copied the buffer over and over: 2.5x the time of
    // filling it once, measured by bench/replay_bench).
    if (s == allocated_) allocate(capacity_);
    resize_slots(s + 1);
  }
  std::copy(ep.obs.begin(), ep.obs.end(), obs_.begin() + static_cast<std::ptrdiff_t>(s * rows * dims_.obs));
  std::copy(ep.ag.begin(), ep.ag.end(), ag_.begin() + static_cast<std::ptrdiff_t>(s * rows * dims_.goal));
  std::copy(ep.g.begin(), ep.g.end(), g_.begin() + static_cast<std::ptrdiff_t>(s * (rows - 1) * dims_.goal));
  std::copy(ep.actions.begin(), ep.actions.end(),
            actions_.begin() + static_cast<std::ptrdiff_t>(s * (rows - 1) * dims_.action));

  if (count_ == capacity_) {
    transitions_ -= static_cast<std::size_t>(lengths_[s]);  // the evicted episode
  } else {
    ++count_;
  }
  lengths_[s] = ep.T;
  transitions_ += T;
  next_ = (s + 1) % capacity_;
}

void ReplayBuffer::allocate(std::size_t slots) {
  if (slots <= allocated_) return;
  const std::size_t rows = static_cast<std::size_t>(dims_.max_steps) + 1;
  obs_.reserve(slots * rows * static_cast<std::size_t>(dims_.obs));
  ag_.reserve(slots * rows * static_cast<std::size_t>(dims_.goal));
  g_.reserve(slots * (rows - 1) * static_cast<std::size_t>(dims_.goal));
  actions_.reserve(slots * (rows - 1) * static_cast<std::size_t>(dims_.action));
  lengths_.reserve(slots);
  allocated_ = slots;
}

void ReplayBuffer::resize_slots(std::size_t slots) {
  const std::size_t rows = static_cast<std::size_t>(dims_.max_steps) + 1;
  obs_.resize(slots * rows * static_cast<std::size_t>(dims_.obs));
  ag_.resize(slots * rows * static_cast<std::size_t>(dims_.goal));
  g_.resize(slots * (rows - 1) * static_cast<std::size_t>(dims_.goal));
  actions_.resize(slots * (rows - 1) * static_cast<std::size_t>(dims_.action));
  lengths_.resize(slots, 0);
}

void ReplayBuffer::clear() {
  // The allocation stays (allocated_ with it): a cleared buffer refills without copying.
  count_ = next_ = transitions_ = 0;
  lengths_.clear();
  obs_.clear();
  ag_.clear();
  g_.clear();
  actions_.clear();
}

std::span<const float> ReplayBuffer::obs(std::size_t i) const {
  const std::size_t s = slot(i), w = static_cast<std::size_t>(dims_.obs);
  return {obs_.data() + s * (static_cast<std::size_t>(dims_.max_steps) + 1) * w,
          (static_cast<std::size_t>(lengths_[s]) + 1) * w};
}

std::span<const float> ReplayBuffer::ag(std::size_t i) const {
  const std::size_t s = slot(i), w = static_cast<std::size_t>(dims_.goal);
  return {ag_.data() + s * (static_cast<std::size_t>(dims_.max_steps) + 1) * w,
          (static_cast<std::size_t>(lengths_[s]) + 1) * w};
}

std::span<const float> ReplayBuffer::g(std::size_t i) const {
  const std::size_t s = slot(i), w = static_cast<std::size_t>(dims_.goal);
  return {g_.data() + s * static_cast<std::size_t>(dims_.max_steps) * w,
          static_cast<std::size_t>(lengths_[s]) * w};
}

std::span<const float> ReplayBuffer::actions(std::size_t i) const {
  const std::size_t s = slot(i), w = static_cast<std::size_t>(dims_.action);
  return {actions_.data() + s * static_cast<std::size_t>(dims_.max_steps) * w,
          static_cast<std::size_t>(lengths_[s]) * w};
}

std::string ReplayBuffer::save() const {
  // Host byte order (little-endian on every supported platform); the magic would not match otherwise.
  std::string out;
  const std::size_t per_row = static_cast<std::size_t>(dims_.obs + 2 * dims_.goal + dims_.action);
  out.reserve(64 + count_ * (sizeof(std::int32_t) + (static_cast<std::size_t>(dims_.obs + dims_.goal)) * sizeof(float)) +
              transitions_ * per_row * sizeof(float));
  out.append(kMagic, sizeof(kMagic));
  put(out, kVersion);
  put(out, dims_.obs);
  put(out, dims_.goal);
  put(out, dims_.action);
  put(out, dims_.max_steps);
  put(out, static_cast<std::uint64_t>(count_));
  for (std::size_t i = 0; i < count_; ++i) {
    put(out, static_cast<std::int32_t>(length(i)));
    put_floats(out, obs(i));
    put_floats(out, ag(i));
    put_floats(out, g(i));
    put_floats(out, actions(i));
  }
  return out;
}

void ReplayBuffer::load(std::string_view bytes, const std::string& where) {
  io::BinaryReader in(bytes, where + ": replay data");
  char magic[sizeof(kMagic)];
  in.raw(magic, sizeof(magic));
  check(std::memcmp(magic, kMagic, sizeof(kMagic)) == 0,
        where + ": not a hindsight replay buffer (bad magic)");
  const auto version = in.get<std::uint32_t>();
  check(version == kVersion, where + ": unsupported replay version " + std::to_string(version));
  ReplayDims d;
  d.obs = in.get<std::int32_t>();
  d.goal = in.get<std::int32_t>();
  d.action = in.get<std::int32_t>();
  d.max_steps = in.get<std::int32_t>();
  check(d.obs == dims_.obs && d.goal == dims_.goal && d.action == dims_.action &&
            d.max_steps == dims_.max_steps,
        where + ": replay dims (" + describe(d) + ") differ from this buffer's (" + describe(dims_) + ")");
  const auto n = in.get<std::uint64_t>();

  // Fill a fresh buffer so a failure half way leaves this one untouched.
  ReplayBuffer fresh(dims_, capacity_transitions());
  // Room for every episode kept, once: loading is linear in the bytes, whatever the count.
  fresh.allocate(static_cast<std::size_t>(std::min<std::uint64_t>(n, capacity_)));
  EpisodeData ep;
  for (std::uint64_t k = 0; k < n; ++k) {
    ep.T = in.get<std::int32_t>();
    check(ep.T >= 1 && ep.T <= dims_.max_steps, where + ": episode " + std::to_string(k) + " has length " +
                                                    std::to_string(ep.T) + " outside [1, " +
                                                    std::to_string(dims_.max_steps) + "]");
    const auto T = static_cast<std::size_t>(ep.T);
    in.floats(ep.obs, (T + 1) * static_cast<std::size_t>(d.obs));
    in.floats(ep.ag, (T + 1) * static_cast<std::size_t>(d.goal));
    in.floats(ep.g, T * static_cast<std::size_t>(d.goal));
    in.floats(ep.actions, T * static_cast<std::size_t>(d.action));
    fresh.store(ep);
  }
  check(in.done(), where + ": unexpected bytes after the last replay episode");
  *this = std::move(fresh);
}

}  // namespace hindsight::learn
