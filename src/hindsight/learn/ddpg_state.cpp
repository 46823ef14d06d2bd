#include "hindsight/learn/ddpg_state.hpp"

#include <bit>
#include <cstring>
#include <span>
#include <sstream>

#include "hindsight/core/error.hpp"
#include "hindsight/core/finite.hpp"
#include "hindsight/io/binary.hpp"

namespace hindsight::learn {
namespace {

using io::put;

constexpr char kMagic[] = "hindsight-ddpg-v1\n";
constexpr std::size_t kMagicLength = sizeof(kMagic) - 1;

static_assert(std::endian::native == std::endian::little, "checkpoints are written little-endian");

// FNV-1a over the checkpoint bytes: cheap, and catches corruption that keeps the length intact.
std::uint64_t fnv1a(const char* data, std::size_t n) {
  std::uint64_t h = 1469598103934665603ULL;
  for (std::size_t i = 0; i < n; ++i) h = (h ^ static_cast<unsigned char>(data[i])) * 1099511628211ULL;
  return h;
}

// Parameters of an MLP with these layer sizes (weights and biases).
std::size_t mlp_parameters(std::int64_t in, const std::vector<std::int64_t>& hidden, std::int64_t out) {
  std::size_t total = 0;
  std::int64_t prev = in;
  for (std::size_t l = 0; l <= hidden.size(); ++l) {
    const std::int64_t next = l < hidden.size() ? hidden[l] : out;
    total += static_cast<std::size_t>(next * (prev + 1));
    prev = next;
  }
  return total;
}

}  // namespace

std::size_t DdpgShape::values() const {
  const std::size_t nets = mlp_parameters(input, hidden, action) + mlp_parameters(input + action, hidden, 1);
  return nets * (target_networks ? 2 : 1) + 2 * nets;
}

std::string DdpgShape::describe() const {
  std::ostringstream s;
  s << "input " << input << ", action " << action << ", hidden [";
  for (std::size_t i = 0; i < hidden.size(); ++i) s << (i ? "," : "") << hidden[i];
  s << "], target networks " << (target_networks ? "on" : "off") << ", bounded critic "
    << (bounded_critic ? "on" : "off");
  return s.str();
}

std::string encode_ddpg_state(const DdpgState& state) {
  const DdpgShape& s = state.shape;
  check(state.values.size() == s.values(), "ddpg state: " + std::to_string(state.values.size()) +
                                               " values for a shape of " + std::to_string(s.values()));
  std::string out(kMagic, kMagicLength);
  put<std::int64_t>(out, s.input);
  put<std::int64_t>(out, s.action);
  put<std::int64_t>(out, static_cast<std::int64_t>(s.hidden.size()));
  for (const std::int64_t h : s.hidden) put<std::int64_t>(out, h);
  put<std::uint8_t>(out, s.target_networks ? 1 : 0);
  put<std::uint8_t>(out, s.bounded_critic ? 1 : 0);
  put<std::int64_t>(out, state.actor_step);
  put<std::int64_t>(out, state.critic_step);
  out.append(reinterpret_cast<const char*>(state.values.data()), sizeof(float) * state.values.size());
  put<std::uint64_t>(out, fnv1a(out.data(), out.size()));
  return out;
}

DdpgState decode_ddpg_state(const std::string& bytes, const DdpgShape& expected) {
  check(bytes.compare(0, kMagicLength, kMagic) == 0, "ddpg checkpoint: not a DDPG learner checkpoint");
  io::BinaryReader r(bytes, "ddpg checkpoint", kMagicLength);
  DdpgState state;
  DdpgShape& s = state.shape;
  s.input = r.get<std::int64_t>();
  s.action = r.get<std::int64_t>();
  const auto layers = r.get<std::int64_t>();
  check(layers >= 0 && layers <= 1024, "ddpg checkpoint: corrupt header");
  for (std::int64_t i = 0; i < layers; ++i) s.hidden.push_back(r.get<std::int64_t>());
  s.target_networks = r.get<std::uint8_t>() != 0;
  s.bounded_critic = r.get<std::uint8_t>() != 0;
  // The shape is compared before any size is derived from it, so a corrupt header cannot ask for memory.
  check(s == expected, "ddpg checkpoint: saved networks (" + s.describe() + ") do not match this learner (" +
                           expected.describe() + ")");
  state.actor_step = r.get<std::int64_t>();
  state.critic_step = r.get<std::int64_t>();
  check(state.actor_step >= 0 && state.critic_step >= 0, "ddpg checkpoint: negative Adam step count");
  const std::size_t floats = s.values();
  check(bytes.size() == r.position() + sizeof(float) * floats + sizeof(std::uint64_t),
        "ddpg checkpoint: truncated or oversized (" + std::to_string(bytes.size()) + " bytes)");
  std::uint64_t stored;
  std::memcpy(&stored, bytes.data() + bytes.size() - sizeof(stored), sizeof(stored));
  check(stored == fnv1a(bytes.data(), bytes.size() - sizeof(stored)), "ddpg checkpoint: checksum mismatch");
  state.values.resize(floats);
  std::memcpy(state.values.data(), bytes.data() + r.position(), sizeof(float) * floats);
  // A NaN saved by an older build, or crafted, would otherwise surface only as a NaN loss much later.
  check(all_finite(std::span<const float>(state.values)), "ddpg checkpoint: parameters or Adam state hold NaN or Inf");
  return state;
}

}  // namespace hindsight::learn
