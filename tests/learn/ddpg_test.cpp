#include "hindsight/learn/ddpg.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

#include "hindsight/core/error.hpp"
#include "hindsight/core/float_mode.hpp"
#include "hindsight/core/rng.hpp"
#include "support/ddpg_data.hpp"

namespace hindsight::learn {
namespace {

using testing::random_transitions;
using testing::small_config;
using testing::Transitions;
using testing::update;

void expect_error_mentioning(const std::function<void()>& fn, const std::string& text) {
  try {
    fn();
    ADD_FAILURE() << "no Error; expected one mentioning " << text;
  } catch (const Error& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find(text), std::string::npos) << msg;
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
  }
}

TEST(DdpgConfig, RejectsInvalidFieldsNamingThem) {
  auto rejects = [](const std::function<void(DdpgConfig&)>& mutate, const std::string& field) {
    DdpgConfig cfg;
    mutate(cfg);
    expect_error_mentioning([&cfg] { DdpgLearner(3, 1, cfg, 0); }, field);
  };
  rejects([](DdpgConfig& c) { c.actor_lr = -1e-3; }, "actor_lr");
  rejects([](DdpgConfig& c) { c.critic_lr = 0; }, "critic_lr");
  rejects([](DdpgConfig& c) { c.polyak = 1.5; }, "polyak");
  rejects([](DdpgConfig& c) { c.gamma = -0.1; }, "gamma");
  rejects([](DdpgConfig& c) { c.hidden = {}; }, "hidden");
  rejects([](DdpgConfig& c) { c.hidden = {16, 0}; }, "hidden");
  rejects([](DdpgConfig& c) { c.q_min = 0; }, "q_min");
  rejects([](DdpgConfig& c) { c.action_l2 = -1; }, "action_l2");
  rejects([](DdpgConfig& c) { c.torch_threads = 0; }, "torch_threads");
  rejects(
      [](DdpgConfig& c) {
        c.bounded_critic = true;
        c.q_min = 1;
        c.q_max = 2;
      },
      "q_min");
  rejects(
      [](DdpgConfig& c) {
        c.bounded_critic = true;
        c.q_min = -5;
        c.q_init = -6;
      },
      "q_init");
  expect_error_mentioning([] { DdpgLearner(0, 1, DdpgConfig{}, 0); }, "input_dim");
}

TEST(DdpgLearner, SameSeedSameParametersDifferentSeedDiffers) {
  const DdpgLearner a(5, 2, small_config(), 7), b(5, 2, small_config(), 7), c(5, 2, small_config(), 8);
  EXPECT_EQ(a.flat_parameters(), b.flat_parameters());
  EXPECT_NE(a.flat_parameters(), c.flat_parameters());
  EXPECT_EQ(a.num_parameters(), 2 * (a.actor_parameters() + a.critic_parameters()));
  EXPECT_EQ(a.actor_parameters(), std::size_t{16 * 5 + 16 + 16 * 16 + 16 + 2 * 16 + 2});
  EXPECT_EQ(a.critic_parameters(), std::size_t{16 * 7 + 16 + 16 * 16 + 16 + 16 + 1});
}

TEST(DdpgLearner, SameSeedSameUpdatesOnSameData) {
  DdpgLearner a(5, 2, small_config(), 3), b(5, 2, small_config(), 3);
  for (int i = 0; i < 5; ++i) {
    const auto t = random_transitions(5, 2, 32, 100 + i);
    const auto sa = update(a, t), sb = update(b, t);
    EXPECT_EQ(sa.critic_loss, sb.critic_loss);
    EXPECT_EQ(sa.actor_loss, sb.actor_loss);
    EXPECT_EQ(sa.q_mean, sb.q_mean);
    a.update_targets();
    b.update_targets();
  }
  EXPECT_EQ(a.flat_parameters(), b.flat_parameters());
}

TEST(DdpgLearner, FlatParametersRoundTrip) {
  DdpgLearner a(4, 2, small_config(), 1), b(4, 2, small_config(), 2);
  auto params = a.flat_parameters();
  for (std::size_t i = 0; i < params.size(); ++i) params[i] += 0.001F * static_cast<float>(i % 7);
  b.set_flat_parameters(params);
  EXPECT_EQ(b.flat_parameters(), params);
  params.pop_back();
  expect_error_mentioning([&] { b.set_flat_parameters(params); }, "set_flat_parameters");
}

TEST(DdpgLearner, ActIsRowwiseAndBounded) {
  const DdpgLearner learner(3, 2, small_config(), 4);
  std::vector<float> inputs;
  Rng rng(9);
  for (int i = 0; i < 3 * 10; ++i) inputs.push_back(static_cast<float>(rng.uniform(-100, 100)));
  std::vector<float> batched(2 * 10);
  learner.act(inputs, batched);
  for (std::size_t row = 0; row < 10; ++row) {
    std::vector<float> one(2);
    learner.act(std::span<const float>(inputs).subspan(3 * row, 3), one);
    for (std::size_t j = 0; j < 2; ++j) {
      EXPECT_NEAR(one[j], batched[2 * row + j], 1e-5F);
      EXPECT_GE(one[j], -1.0F);
      EXPECT_LE(one[j], 1.0F);
    }
  }
}

TEST(DdpgLearner, FlushesDenormalsOnTheThreadThatMakesIt) {
  if (!flush_denormals()) GTEST_SKIP() << "this CPU has no flush-to-zero mode";
  keep_denormals();
  const DdpgLearner learner(3, 2, small_config(), 4);
  EXPECT_TRUE(denormals_flushed());  // the update would slow many-fold on denormal gradients otherwise
}

TEST(DdpgLearner, RejectsMismatchedSizes) {
  DdpgLearner learner(3, 2, small_config(), 4);
  auto t = random_transitions(3, 2, 8, 1);
  expect_error_mentioning([&] { learner.update(t.s, t.s2, t.a, t.r, t.d, 9); }, "inputs");
  t.a.pop_back();
  expect_error_mentioning([&] { update(learner, t); }, "actions");
  std::vector<float> out(3);
  expect_error_mentioning([&] { learner.act(std::span<const float>(t.s).first(6), out); }, "act");
  expect_error_mentioning([&] { learner.q_value(std::span<const float>(t.s).first(2), t.a); }, "q_value");
}

TEST(DdpgLearner, BehaviourCloningPullsTheActorToTheDemonstratedAction) {
  // Zero rewards leave the critic little to prefer: cloning moves pi(s) to the demonstrated 0.5.
  DdpgConfig cfg = small_config();
  cfg.action_l2 = 0.0;
  cfg.bc_weight = 1.0;
  cfg.q_filter = false;
  auto t = random_transitions(3, 2, 64, 60);
  std::fill(t.r.begin(), t.r.end(), 0.0F);
  std::fill(t.a.begin(), t.a.end(), 0.5F);
  auto error_after = [&](std::size_t demo_rows) {
    DdpgLearner learner(3, 2, cfg, 5);
    for (int i = 0; i < 300; ++i) learner.update(t.s, t.s2, t.a, t.r, t.d, t.n, demo_rows);
    std::vector<float> pi(t.n * 2);
    learner.act(t.s, pi);
    double e = 0;
    for (float v : pi) e += std::abs(v - 0.5F);
    return e / static_cast<double>(pi.size());
  };
  const double cloned = error_after(t.n), plain = error_after(0);
  EXPECT_LT(cloned, 0.1);
  EXPECT_GT(plain, 3 * cloned);
}

TEST(DdpgLearner, AdamStepsMatchHandComputedAdam) {
  DdpgConfig cfg = small_config();
  cfg.actor_lr = 2e-3;
  DdpgLearner learner(4, 2, cfg, 5);
  std::vector<std::vector<float>> grads;
  learner.set_gradient_reducer([&grads](std::span<float> g) { grads.emplace_back(g.begin(), g.end()); });
  const std::size_t na = learner.actor_parameters(), nc = learner.critic_parameters();
  const auto initial = learner.flat_parameters();
  std::vector<double> p(initial.begin(), initial.begin() + static_cast<std::ptrdiff_t>(na + nc));
  std::vector<double> m(p.size(), 0.0), v(p.size(), 0.0);
  for (int step = 1; step <= 3; ++step) {
    grads.clear();
    update(learner, random_transitions(4, 2, 32, 40 + step));
    ASSERT_EQ(grads.size(), 2U);
    // grads[0] is the critic's (flat offset na), grads[1] the actor's (offset 0).
    for (const auto& [g, offset, lr] :
         {std::tuple{grads[1], std::size_t{0}, cfg.actor_lr}, std::tuple{grads[0], na, cfg.critic_lr}}) {
      for (std::size_t i = 0; i < g.size(); ++i) {
        const std::size_t k = offset + i;
        m[k] = 0.9 * m[k] + 0.1 * g[i];
        v[k] = 0.999 * v[k] + 0.001 * double{g[i]} * g[i];
        const double m_hat = m[k] / (1 - std::pow(0.9, step)), v_hat = v[k] / (1 - std::pow(0.999, step));
        p[k] -= lr * m_hat / (std::sqrt(v_hat) + 1e-8);
      }
    }
  }
  const auto got = learner.flat_parameters();
  for (std::size_t k = 0; k < p.size(); ++k) ASSERT_NEAR(got[k], p[k], 2e-6) << "parameter " << k;
}

TEST(DdpgLearner, PolyakAveragesTargetsTowardMain) {
  DdpgConfig cfg;
  cfg.hidden = {3};
  DdpgLearner learner(2, 1, cfg, 1);
  const std::size_t main = learner.actor_parameters() + learner.critic_parameters();
  ASSERT_EQ(main, std::size_t{(3 * 2 + 3) + (3 + 1) + (3 * 3 + 3) + (3 + 1)});
  std::vector<float> params(learner.num_parameters());
  for (std::size_t i = 0; i < main; ++i) {
    params[i] = 0.01F * static_cast<float>(i);                 // main
    params[main + i] = -0.5F + 0.02F * static_cast<float>(i);  // target
  }
  learner.set_flat_parameters(params);
  learner.update_targets();
  const auto after = learner.flat_parameters();
  for (std::size_t i : {std::size_t{0}, std::size_t{5}, std::size_t{12}, main - 1}) {
    EXPECT_NEAR(after[main + i], 0.95F * params[main + i] + 0.05F * params[i], 1e-6F) << i;
    EXPECT_EQ(after[i], params[i]) << "main parameter " << i << " must not move";
  }

  cfg.polyak = 1.0;
  DdpgLearner frozen(2, 1, cfg, 1);
  frozen.set_flat_parameters(params);
  frozen.update_targets();
  EXPECT_EQ(frozen.flat_parameters(), params);
}

TEST(DdpgLearner, WithoutTargetNetworksTargetsFollowMainNets) {
  DdpgConfig with = small_config(), without = small_config();
  with.polyak = 0.0;  // targets copied from the main networks after every update
  without.target_networks = false;
  DdpgLearner a(4, 2, with, 6), b(4, 2, without, 6);
  ASSERT_EQ(b.num_parameters(), b.actor_parameters() + b.critic_parameters());
  for (int i = 0; i < 4; ++i) {
    const auto t = random_transitions(4, 2, 32, 60 + i);
    const auto sa = update(a, t), sb = update(b, t);
    a.update_targets();
    b.update_targets();  // no-op
    EXPECT_EQ(sa.critic_loss, sb.critic_loss);
    EXPECT_EQ(sa.actor_loss, sb.actor_loss);
  }
  const auto pa = a.flat_parameters();
  EXPECT_EQ(std::vector<float>(pa.begin(), pa.begin() + static_cast<std::ptrdiff_t>(b.num_parameters())),
            b.flat_parameters());
}

TEST(DdpgLearner, SaveLoadRestoresNetworksAndAdamState) {
  DdpgLearner a(4, 2, small_config(), 1), b(4, 2, small_config(), 2);
  for (int i = 0; i < 3; ++i) {
    update(a, random_transitions(4, 2, 32, 70 + i));
    a.update_targets();
  }
  b.load(a.save());
  EXPECT_EQ(b.flat_parameters(), a.flat_parameters());
  const auto t = random_transitions(4, 2, 16, 80);
  std::vector<float> act_a(32), act_b(32);
  a.act(t.s, act_a);
  b.act(t.s, act_b);
  EXPECT_EQ(act_a, act_b);
  // The next update only matches if the Adam moments and step counts came back too.
  const auto sa = update(a, t), sb = update(b, t);
  EXPECT_EQ(sa.critic_loss, sb.critic_loss);
  EXPECT_EQ(sa.actor_loss, sb.actor_loss);
  EXPECT_EQ(a.flat_parameters(), b.flat_parameters());
}

TEST(DdpgLearner, LoadRejectsTruncatedCorruptAndMismatchedBytes) {
  DdpgLearner a(4, 2, small_config(), 1);
  const std::string bytes = a.save();
  const auto before = a.flat_parameters();
  expect_error_mentioning([&] { a.load(bytes.substr(0, bytes.size() - 1)); }, "truncated");
  expect_error_mentioning([&] { a.load(bytes.substr(0, 30)); }, "truncated");
  expect_error_mentioning([&] { a.load(""); }, "checkpoint");
  std::string corrupt = bytes;
  corrupt[corrupt.size() / 2] = static_cast<char>(corrupt[corrupt.size() / 2] ^ 0x40);
  expect_error_mentioning([&] { a.load(corrupt); }, "checksum");
  DdpgConfig other = small_config();
  other.hidden = {16, 8};
  DdpgLearner b(4, 2, other, 1);
  expect_error_mentioning([&] { b.load(bytes); }, "do not match");
  EXPECT_EQ(a.flat_parameters(), before);
}

// Trains on one constant reward with discount 1 and returns the mean Q over the training rows.
double train_constant_reward(const DdpgConfig& cfg, float reward, int updates) {
  DdpgLearner learner(3, 1, cfg, 5);
  auto t = random_transitions(3, 1, 64, 9);
  std::fill(t.r.begin(), t.r.end(), reward);
  std::fill(t.d.begin(), t.d.end(), 1.0F);
  for (int i = 0; i < updates; ++i) {
    update(learner, t);
    learner.update_targets();
  }
  double sum = 0.0;
  for (std::size_t i = 0; i < t.n; ++i) {
    sum += learner.q_value(std::span<const float>(t.s).subspan(3 * i, 3),
                           std::span<const float>(t.a).subspan(i, 1));
  }
  return sum / static_cast<double>(t.n);
}

TEST(DdpgLearner, TargetIsClippedToQRange) {
  DdpgConfig cfg = small_config();
  cfg.critic_lr = 3e-3;
  // Unclipped, +10 per step would drive Q toward 10 / (1 - gamma) = 500; the clip holds it at q_max = 0.
  EXPECT_NEAR(train_constant_reward(cfg, 10.0F, 400), 0.0, 0.05);
  cfg.q_min = -1.0;
  EXPECT_NEAR(train_constant_reward(cfg, -10.0F, 400), -1.0, 0.05);
}

TEST(DdpgLearner, BoundedCriticStartsOptimisticNearQInit) {
  // HAC's critic: with zero weights the raw output is 0 and Q = q_min * sigmoid(offset) = q_init.
  DdpgConfig cfg = small_config();
  cfg.bounded_critic = true;
  cfg.q_min = -20.0;
  DdpgLearner learner(3, 1, cfg, 2);
  std::vector<float> zero(learner.num_parameters(), 0.0F);
  learner.set_flat_parameters(zero);
  const std::vector<float> s{0.5F, -1.0F, 2.0F}, a{0.3F};
  EXPECT_NEAR(learner.q_value(s, a), -0.067, 1e-9);
  EXPECT_NEAR(bounded_critic_offset(cfg), -std::log(20.0 / 0.067 - 1.0), 1e-12);
}

TEST(DdpgLearner, BoundedCriticStaysInRange) {
  DdpgConfig cfg = small_config();
  cfg.bounded_critic = true;
  cfg.q_min = -10.0;
  DdpgLearner learner(3, 1, cfg, 2);
  auto t = random_transitions(3, 1, 64, 12);
  for (auto& r : t.r) r *= 100.0F;
  for (int round = 0; round < 2; ++round) {
    Rng rng(round);
    for (int i = 0; i < 200; ++i) {
      std::vector<float> s(3), a(1);
      for (auto& x : s) x = static_cast<float>(rng.uniform(-100, 100));
      a[0] = static_cast<float>(rng.uniform(-1, 1));
      const double q = learner.q_value(s, a);
      ASSERT_GE(q, -10.0);
      ASSERT_LE(q, 0.0);
    }
    for (int i = 0; i < 100; ++i) update(learner, t);
  }
}

TEST(DdpgLearner, TerminalTransitionsLearnRewardExactly) {
  DdpgConfig cfg;
  cfg.hidden = {32, 32};
  auto t = random_transitions(3, 2, 8, 13);
  for (std::size_t i = 0; i < t.n; ++i) t.r[i] = -0.1F * static_cast<float>(i) - 0.05F;
  std::fill(t.d.begin(), t.d.end(), 0.0F);  // y = r whatever s' and the targets say
  DdpgLearner learner(3, 2, cfg, 8);
  for (int i = 0; i < 1500; ++i) {
    update(learner, t);
    learner.update_targets();
  }
  for (std::size_t i = 0; i < t.n; ++i) {
    const double q = learner.q_value(std::span<const float>(t.s).subspan(3 * i, 3),
                                     std::span<const float>(t.a).subspan(2 * i, 2));
    EXPECT_NEAR(q, t.r[i], 0.02) << "row " << i;
  }
}

TEST(DdpgLearner, ActorLearnsBanditOptimum) {
  DdpgConfig cfg;
  cfg.hidden = {64, 64};
  cfg.action_l2 = 0.0;
  DdpgLearner learner(1, 1, cfg, 21);
  Rng rng(22);
  Transitions t;
  t.n = 128;
  t.s.resize(t.n), t.s2.resize(t.n), t.a.resize(t.n), t.r.resize(t.n), t.d.assign(t.n, 0.0F);
  for (int step = 0; step < 800; ++step) {
    for (std::size_t i = 0; i < t.n; ++i) {
      t.s[i] = static_cast<float>(rng.uniform(-1, 1));
      t.a[i] = static_cast<float>(rng.uniform(-1, 1));
      t.r[i] = -(t.a[i] - 0.5F * t.s[i]) * (t.a[i] - 0.5F * t.s[i]);  // best action: 0.5 x
    }
    t.s2 = t.s;
    update(learner, t);
    learner.update_targets();
  }
  for (float x = -0.9F; x <= 0.9F; x += 0.3F) {
    float a = 0.0F;
    learner.act(std::span<const float>(&x, 1), std::span<float>(&a, 1));
    EXPECT_NEAR(a, 0.5F * x, 0.1F) << "x = " << x;
  }
}

TEST(DdpgLearner, ActionL2PullsActionsToZeroWhenRewardIsFlat) {
  DdpgConfig cfg;
  cfg.hidden = {32, 32};
  DdpgLearner learner(2, 2, cfg, 3);
  auto params = learner.flat_parameters();
  const std::size_t last_bias = learner.actor_parameters() - 2;  // actor output bias: last in the actor
  params[last_bias] = params[last_bias + 1] = 1.5F;
  learner.set_flat_parameters(params);
  auto t = random_transitions(2, 2, 64, 31);
  std::fill(t.r.begin(), t.r.end(), 0.0F);
  auto mean_abs_action = [&] {
    std::vector<float> out(2 * t.n);
    learner.act(t.s, out);
    double sum = 0.0;
    for (float a : out) sum += std::abs(a);
    return sum / static_cast<double>(out.size());
  };
  EXPECT_GT(mean_abs_action(), 0.6);
  for (int i = 0; i < 400; ++i) {
    update(learner, t);
    learner.update_targets();
  }
  EXPECT_LT(mean_abs_action(), 0.1);
}

TEST(DdpgLearner, GradientReducerSeesEachNetworkOncePerStep) {
  DdpgConfig cfg;
  cfg.hidden = {8};
  DdpgLearner learner(3, 2, cfg, 1);
  std::vector<std::size_t> sizes;
  learner.set_gradient_reducer([&sizes](std::span<float> g) { sizes.push_back(g.size()); });
  const auto t = random_transitions(3, 2, 16, 2);
  update(learner, t);
  EXPECT_EQ(sizes, (std::vector<std::size_t>{learner.critic_parameters(), learner.actor_parameters()}));
  update(learner, t);
  EXPECT_EQ(sizes.size(), 4U);
  learner.set_gradient_reducer({});
  update(learner, t);
  EXPECT_EQ(sizes.size(), 4U);

  // The optimizer steps on what the reducer leaves: with fresh Adam moments, zeroed gradients move nothing.
  DdpgLearner fresh(3, 2, cfg, 1);
  fresh.set_gradient_reducer([](std::span<float> g) { std::fill(g.begin(), g.end(), 0.0F); });
  const auto before = fresh.flat_parameters();
  update(fresh, t);
  EXPECT_EQ(fresh.flat_parameters(), before);
}

TEST(DdpgLearner, NonFiniteLossOrGradientTakesNoStep) {
  DdpgLearner learner(3, 2, small_config(), 1);
  update(learner, random_transitions(3, 2, 16, 1));
  const std::string state = learner.save();
  auto t = random_transitions(3, 2, 16, 2);
  t.r[5] = std::numeric_limits<float>::quiet_NaN();
  EXPECT_EQ(update(learner, t).fault, "critic loss is NaN");
  EXPECT_TRUE(learner.save() == state);  // parameters, Adam moments and step counts untouched
  t.r[5] = -1.0F;
  EXPECT_EQ(update(learner, t).fault, "");
  EXPECT_FALSE(learner.save() == state);

  // A gradient that only turns bad in the reduction (another MPI rank's NaN) is caught after it.
  DdpgLearner reduced(3, 2, small_config(), 1);
  reduced.set_gradient_reducer([](std::span<float> g) { g[3] = std::numeric_limits<float>::infinity(); });
  const std::string fresh = reduced.save();
  const auto r = update(reduced, random_transitions(3, 2, 16, 3));
  EXPECT_TRUE(std::isfinite(r.critic_loss));
  EXPECT_EQ(r.fault, "critic gradient[3] is +Inf");
  EXPECT_TRUE(reduced.save() == fresh);

  // A non-finite loss reaches every rank: the gradients handed to the reducer carry a NaN.
  DdpgLearner seen(3, 2, small_config(), 1);
  int poisoned = 0;
  seen.set_gradient_reducer([&poisoned](std::span<float> g) { poisoned += std::isnan(g[0]) ? 1 : 0; });
  auto nan_batch = random_transitions(3, 2, 16, 4);
  nan_batch.s[0] = std::numeric_limits<float>::quiet_NaN();
  EXPECT_FALSE(update(seen, nan_batch).fault.empty());
  EXPECT_EQ(poisoned, 2);
}

TEST(DdpgLearner, LoadRefusesNonFiniteParameters) {
  DdpgLearner a(4, 2, small_config(), 1), b(4, 2, small_config(), 2);
  auto params = a.flat_parameters();
  params[7] = std::numeric_limits<float>::quiet_NaN();
  a.set_flat_parameters(params);
  const auto before = b.flat_parameters();
  expect_error_mentioning([&] { b.load(a.save()); }, "hold NaN or Inf");
  EXPECT_EQ(b.flat_parameters(), before);
}
}  // namespace
}  // namespace hindsight::learn
