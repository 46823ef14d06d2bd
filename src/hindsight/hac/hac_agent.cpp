#include "hindsight/hac/hac_agent.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "hindsight/core/error.hpp"
#include "hindsight/hac/subgoal_space.hpp"

namespace hindsight::hac {

// What one episode shares between the levels' recursive calls.
struct HacAgent::Run {
  Run(GoalEnv& e, bool t, bool train_to_limit, const learn::StepObserver& o)
      : env(e), train(t), to_limit(!t || train_to_limit), observer(o) {}
  GoalEnv& env;
  bool train;
  // Deterministic episodes run to where the env ends them (the one scoring rule, learn/agent.hpp): the
  // top keeps proposing after the goal is reached unless the task ends there. Training episodes end at
  // the goal, as in HAC, unless train_to_limit.
  bool to_limit;
  const learn::StepObserver& observer;
  GoalObs obs;                              // the current observation
  int steps = 0;                            // env steps so far
  int max_steps = 0;                        // the env's time limit
  std::vector<std::vector<double>> goals;   // goals[i]: level i's current goal (top: the desired goal)
  std::vector<char> reached;                // reached[i]: the last env step reached goals[i]
  int highest = -1;                         // highest level whose goal the last env step reached, or -1
  learn::EpisodeOutcome out;
};

namespace {

// "l<i>/": the metric column prefix of level i.
std::string prefix(int i) {
  std::string p = "l";
  p += std::to_string(i);
  p += '/';
  return p;
}

void append(std::vector<float>& dst, std::span<const double> row) { dst.insert(dst.end(), row.begin(), row.end()); }

std::vector<float> to_float(std::span<const double> v) { return {v.begin(), v.end()}; }

}  // namespace

std::vector<int> resolve_horizons(const std::optional<std::vector<int>>& given, int levels, int max_episode_steps) {
  check(levels >= 2, "HAC needs levels >= 2, got " + std::to_string(levels));
  const auto below_top = static_cast<std::size_t>(levels - 1);
  if (given) {
    if (given->size() == below_top) return *given;
    if (given->size() == 1) return std::vector<int>(below_top, given->front());
    throw Error("H has " + std::to_string(given->size()) + " entries; with levels=" + std::to_string(levels) +
                " it needs " + std::to_string(below_top) + " (one per level below the top), 1 or auto");
  }
  // The smallest H with H^k >= T: HAC's episode is exactly H^k steps long.
  int h = 1;
  while (std::pow(static_cast<double>(h), levels) < static_cast<double>(max_episode_steps)) ++h;
  return std::vector<int>(below_top, h);
}

void validate(const HacConfig& cfg) {
  check(cfg.levels >= 2, "HAC needs levels >= 2, got " + std::to_string(cfg.levels));
  check(cfg.H.size() == static_cast<std::size_t>(cfg.levels - 1),
        "H has " + std::to_string(cfg.H.size()) + " entries; levels=" + std::to_string(cfg.levels) + " needs " +
            std::to_string(cfg.levels - 1) + " (one per level below the top)");
  for (int h : cfg.H) check(h >= 1, "H entries must be >= 1, got " + std::to_string(h));
  check(cfg.subgoal_test_prob >= 0 && cfg.subgoal_test_prob <= 1,
        "subgoal_test_prob must be in [0, 1], got " + std::to_string(cfg.subgoal_test_prob));
  check(!cfg.gamma || (*cfg.gamma >= 0 && *cfg.gamma <= 1),
        "gamma must be in [0, 1] or auto, got " + std::to_string(cfg.gamma.value_or(0)));
  check(cfg.per_level.empty() || cfg.per_level.size() == static_cast<std::size_t>(cfg.levels),
        "per-level settings: " + std::to_string(cfg.per_level.size()) + " given for " +
            std::to_string(cfg.levels) + " levels");
  check(cfg.per_level_gamma.empty() || cfg.per_level_gamma.size() == static_cast<std::size_t>(cfg.levels),
        "per-level gamma: " + std::to_string(cfg.per_level_gamma.size()) + " given for " +
            std::to_string(cfg.levels) + " levels");
}

HacAgent::HacAgent(const GoalEnv& env, HacConfig cfg, SubgoalSpec subgoals, std::uint64_t seed)
    : cfg_(std::move(cfg)), spec_(std::move(subgoals)), top_(cfg_.levels - 1), rng_(derive_seed(seed, "agent")) {
  validate(cfg_);
  validate_subgoal_spec(spec_, env);
  if (!cfg_.subgoal_offset.empty()) {
    cfg_.subgoal_offset = per_dimension(spec_, env, cfg_.subgoal_offset, "subgoal_offset");
  }
  for (double d : cfg_.subgoal_offset) check(d > 0, "subgoal_offset values must be > 0, got " + std::to_string(d));
  relative_ = !cfg_.subgoal_offset.empty();
  Box offsets;
  for (double d : cfg_.subgoal_offset) {
    offsets.low.push_back(-d);
    offsets.high.push_back(d);
  }
  const int T = env.max_episode_steps();
  long below = 1;
  for (int h : cfg_.H) {
    horizons_.push_back(h);
    below = std::min<long>(below * h, T);
  }
  horizons_.push_back(static_cast<int>((T + below - 1) / below));

  const auto sg = static_cast<int>(spec_.obs_indices.size());
  const std::vector<double> thresholds = spec_.thresholds;
  const learn::RewardFn subgoal_reward = [thresholds](std::span<const double> a, std::span<const double> d,
                                                      std::span<double> out) {
    const std::size_t w = thresholds.size();
    for (std::size_t k = 0; k < out.size(); ++k) {
      out[k] = within_thresholds(a.subspan(k * w, w), d.subspan(k * w, w), thresholds) ? 0.0 : -1.0;
    }
  };
  for (int i = 0; i <= top_; ++i) {
    learn::LevelSpec ls;
    ls.obs_dim = static_cast<int>(env.observation_space().size());
    ls.action_space = i == 0 ? env.action_space() : relative_ ? offsets : spec_.bounds;
    ls.max_steps = i == top_ ? T : cfg_.H[static_cast<std::size_t>(i)];
    if (i == top_) {
      ls.goal_dim = static_cast<int>(env.goal_space().size());
      ls.reward = [&env](std::span<const double> a, std::span<const double> d, std::span<double> out) {
        env.compute_reward(a, d, out);
      };
    } else {
      ls.goal_dim = sg;
      ls.reward = subgoal_reward;
    }
    learn::LevelConfig lc = cfg_.per_level.empty() ? cfg_.level : cfg_.per_level[static_cast<std::size_t>(i)];
    const std::optional<double> gamma =
        cfg_.per_level_gamma.empty() ? cfg_.gamma : cfg_.per_level_gamma[static_cast<std::size_t>(i)];
    const double h = horizon(i);
    lc.ddpg.gamma = gamma.value_or(1.0 - 1.0 / h);
    lc.ddpg.q_min = -h;
    lc.ddpg.q_max = 0.0;
    // Reaching its goal ends a level's sequence, so its reward 0 is terminal; the top's sequence goes on
    // after the goal when training episodes run to the time limit, a lower level's when it holds its subgoals.
    lc.terminal_on_success =
        i == top_ ? !(cfg_.train_to_limit && !env.terminates_on_success()) : !cfg_.hold_subgoals;
    check(lc.noise_std.empty() || lc.noise_std.size() == ls.action_space.size(),
          "noise_std for level " + std::to_string(i) + " has " + std::to_string(lc.noise_std.size()) +
              " values but its actions (" + (i == 0 ? "the env's" : "subgoals") + ") have " +
              std::to_string(ls.action_space.size()) + " dimensions; give each level its own: level" +
              std::to_string(i) + ".noise_std=[...]");
    if (lc.demo_capacity > 0) {
      // demo_capacity holds demo_capacity / T expert episodes of T steps; each gives level i
      // ceil(actions / sequence length) attempt sequences, each one slot of max_steps transitions.
      const long episodes = (static_cast<long>(lc.demo_capacity) + T - 1) / T;
      const DemoShape d = demo_shape(i, T);
      lc.demo_capacity = static_cast<std::size_t>(episodes * ((d.actions + d.per_sequence - 1) / d.per_sequence) *
                                                  static_cast<long>(ls.max_steps));
    }
    levels_.push_back(std::make_unique<learn::Level>(std::move(ls), std::move(lc),
                                                     derive_seed(seed, "level" + std::to_string(i))));
  }
  counters_.resize(levels_.size());
}

long HacAgent::steps_per_action(int level) const {
  long per = 1;
  for (int j = 0; j < level; ++j) per *= cfg_.H[static_cast<std::size_t>(j)];
  return per;
}

HacAgent::DemoShape HacAgent::demo_shape(int level, int T) const {
  const long per = steps_per_action(level);
  const long actions = (T + per - 1) / per;
  return {per, actions, level == top_ ? actions : cfg_.H[static_cast<std::size_t>(level)]};
}

std::vector<learn::Level*> HacAgent::levels() {
  std::vector<learn::Level*> out;
  for (auto& l : levels_) out.push_back(l.get());
  return out;
}

std::vector<double> HacAgent::achieved(int i, const GoalObs& obs) const {
  return i == top_ ? obs.achieved_goal : project(spec_, obs.observation);
}

std::vector<double> HacAgent::subgoal_of(std::span<const double> from, std::span<const double> action) const {
  std::vector<double> g(action.begin(), action.end());
  if (!relative_) return g;
  for (std::size_t k = 0; k < g.size(); ++k) g[k] = std::clamp(from[k] + action[k], spec_.bounds.low[k], spec_.bounds.high[k]);
  return g;
}

std::vector<double> HacAgent::action_of(std::span<const double> from, std::span<const double> to) const {
  std::vector<double> a(to.begin(), to.end());
  if (relative_) {
    for (std::size_t k = 0; k < a.size(); ++k) a[k] -= from[k];
  }
  return a;
}

void HacAgent::update_reached(Run& run, bool env_success) const {
  const std::vector<double> state = project(spec_, run.obs.observation);
  run.highest = -1;
  for (int i = 0; i <= top_; ++i) {
    const auto u = static_cast<std::size_t>(i);
    run.reached[u] = i == top_ ? env_success : within_thresholds(state, run.goals[u], spec_.thresholds);
    if (run.reached[u]) run.highest = i;
  }
}

learn::EpisodeOutcome HacAgent::run_episode(GoalEnv& env, std::uint64_t seed, bool train,
                                            const learn::StepObserver& observer) {
  Run run(env, train, cfg_.train_to_limit, observer);
  run.obs = env.reset(seed);
  run.max_steps = env.max_episode_steps();
  run.goals.assign(levels_.size(), {});
  run.goals.back() = run.obs.desired_goal;
  run.reached.assign(levels_.size(), 0);
  const std::vector<double> start = run.obs.achieved_goal;
  run_level(run, top_, false);
  run.out.moved = !env.is_success(run.obs.achieved_goal, start);
  return run.out;
}

bool HacAgent::run_level(Run& run, int i, bool testing) {
  const auto u = static_cast<std::size_t>(i);
  learn::Level& level = *levels_[u];
  Counters& c = counters_[u];
  const bool top = i == top_;
  const int limit = top ? std::numeric_limits<int>::max() : cfg_.H[u];
  const std::vector<double> goal = run.goals[u];
  const bool explore = run.train && !testing;
  const std::size_t na = level.spec().action_space.size();

  // The attempt sequence as one episode of level i (training only).
  learn::EpisodeData seq;
  std::vector<learn::FixedTransition> penalties;
  if (run.train) {
    append(seq.obs, run.obs.observation);
    append(seq.ag, achieved(i, run.obs));
  }
  int actions = 0;
  for (;;) {
    const std::vector<double> before = run.obs.observation;
    std::vector<double> action = level.act(before, goal, explore, rng_);
    std::vector<double> hindsight_action;  // the action stored: for i > 0, what level i-1 achieved if not the goal
    bool tested = false, missed = false;
    if (i == 0) {
      hindsight_action = action;
      const StepResult r = run.env.step(action);
      run.obs = r.obs;
      ++run.steps;
      run.out.steps = run.steps;
      run.out.success = r.success;
      run.out.reached = run.out.reached || r.success;
      run.out.reward_sum += r.reward;
      update_reached(run, r.success);
      if (run.observer) {
        learn::StepInfo info{run.steps, &run.obs, r.success, {}};
        info.subgoals.assign(run.goals.begin(), run.goals.end() - 1);
        run.observer(run.env, info);
      }
    } else {
      // A test is drawn only while exploring; under a test every lower proposal is tested too (nesting).
      tested = run.train && (testing || rng_.uniform01() < cfg_.subgoal_test_prob);
      const std::vector<double> from = project(spec_, before);
      run.goals[u - 1] = subgoal_of(from, action);
      action = action_of(from, run.goals[u - 1]);  // the offset after clipping (relative subgoals)
      const bool maxed_out = run_level(run, i - 1, tested);
      // Hindsight action: what level i-1 actually achieved, unless it reached the proposal.
      hindsight_action = run.reached[u - 1] ? action : action_of(from, project(spec_, run.obs.observation));
      missed = tested && maxed_out;
    }
    ++actions;

    if (run.train) {
      const std::vector<double> ag = achieved(i, run.obs);
      append(seq.obs, run.obs.observation);
      append(seq.ag, ag);
      append(seq.g, goal);
      std::vector<float> unit(na);
      level.to_unit_action(hindsight_action, unit);
      seq.actions.insert(seq.actions.end(), unit.begin(), unit.end());
      double r = 0.0;
      level.spec().reward(ag, goal, std::span<double>(&r, 1));
      c.reward_sum += r;
      if (tested) ++c.tests;
      if (missed) {
        ++c.penalties;
        learn::FixedTransition p{to_float(before), to_float(run.obs.observation), to_float(goal), {}, 0.0f, 0.0f};
        p.u.resize(na);
        level.to_unit_action(action, p.u);
        p.reward = static_cast<float>(-horizon(i));
        penalties.push_back(std::move(p));
      }
    }
    // The top's goal ends the episode unless it runs to the time limit; any other reached goal at or above
    // level i ends level i's sequence, unless the lower levels hold their subgoals for all H attempts.
    const bool ends_episode = run.highest == top_ && !(run.to_limit && !run.env.terminates_on_success());
    const bool goal_ends_level = ends_episode || (!top && !cfg_.hold_subgoals && run.highest >= i);
    if (goal_ends_level || run.steps >= run.max_steps || actions >= limit) break;
  }

  const bool maxed_out = actions >= limit && !run.reached[u];
  if (run.train) {
    seq.T = actions;
    level.store_episode(seq, rng_, penalties);
    ++c.sequences;
    c.reached += run.reached[u] ? 1 : 0;
    c.actions += actions;
  }
  return maxed_out;
}

void HacAgent::train_step() {
  for (std::size_t i = 0; i < levels_.size(); ++i) counters_[i].stats.add(levels_[i]->train_step(rng_));
}

void HacAgent::update_targets() {
  for (auto& l : levels_) l->update_targets();
}

void HacAgent::observe_warmup(const learn::Trajectory& t) {
  // Below the top, a goal is a subgoal-space state: the walk's own next states stand in for proposals.
  for (int i = 0; i <= top_; ++i) {
    learn::EpisodeData ep;
    ep.T = t.T;
    ep.obs.assign(t.obs.begin(), t.obs.end());
    if (i == top_) {
      ep.ag.assign(t.ag.begin(), t.ag.end());
      ep.g.assign(t.g.begin(), t.g.end());
    } else {
      const std::size_t od = t.obs.size() / static_cast<std::size_t>(t.T + 1);
      for (int s = 0; s <= t.T; ++s) {
        append(ep.ag, project(spec_, std::span<const double>(&t.obs[static_cast<std::size_t>(s) * od], od)));
      }
      const std::size_t w = spec_.obs_indices.size();
      ep.g.assign(ep.ag.begin() + static_cast<std::ptrdiff_t>(w), ep.ag.end());
    }
    levels_[static_cast<std::size_t>(i)]->observe_for_normalizer(ep, rng_);
  }
}

void HacAgent::store_demo(const learn::Trajectory& t, bool feed_normalizers) {
  const std::size_t od = static_cast<std::size_t>(levels_.front()->spec().obs_dim);
  const std::size_t gd = static_cast<std::size_t>(levels_.back()->spec().goal_dim);
  const std::size_t ea = levels_.front()->spec().action_space.size();
  const auto T = static_cast<std::size_t>(t.T);
  check(t.T >= 1 && t.obs.size() == (T + 1) * od && t.ag.size() == (T + 1) * gd && t.g.size() == T * gd &&
            t.actions.size() == T * ea,
        "a demonstration needs T >= 1 steps with (T+1) observations and achieved goals, T goals and T actions");
  const auto row = [](const std::vector<double>& v, std::size_t width, long s) {
    return std::span<const double>(&v[static_cast<std::size_t>(s) * width], width);
  };
  for (int i = 0; i <= top_; ++i) {
    learn::Level& level = *levels_[static_cast<std::size_t>(i)];
    const std::size_t na = level.spec().action_space.size();
    const auto [per, actions, per_sequence] = demo_shape(i, t.T);
    // Env step at which action a of level i starts (the last one may be cut short by the time limit).
    const auto start = [&](long a) { return std::min<long>(a * per, t.T); };
    const auto achieved_at = [&](long s) {
      return i == top_ ? std::vector<double>(row(t.ag, gd, s).begin(), row(t.ag, gd, s).end())
                       : project(spec_, row(t.obs, od, s));
    };
    std::vector<float> unit(na);
    for (long first = 0; first < actions; first += per_sequence) {
      const long last = std::min(first + per_sequence, actions);
      learn::EpisodeData ep;
      ep.T = static_cast<int>(last - first);
      const std::vector<double> subgoal = project(spec_, row(t.obs, od, start(last)));
      for (long a = first; a <= last; ++a) {
        append(ep.obs, row(t.obs, od, start(a)));
        append(ep.ag, achieved_at(start(a)));
      }
      for (long a = first; a < last; ++a) {
        if (i == 0) {
          level.to_unit_action(row(t.actions, ea, a), unit);
        } else {
          level.to_unit_action(action_of(project(spec_, row(t.obs, od, start(a))), project(spec_, row(t.obs, od, start(a + 1)))), unit);
        }
        ep.actions.insert(ep.actions.end(), unit.begin(), unit.end());
        if (i == top_) {
          append(ep.g, row(t.g, gd, start(a)));
        } else {
          append(ep.g, subgoal);
        }
      }
      level.store_demo(ep, rng_, feed_normalizers);
    }
  }
}

std::vector<std::string> HacAgent::metric_columns() const {
  std::vector<std::string> cols;
  for (int i = 0; i <= top_; ++i) {
    const std::string p = prefix(i);
    for (const char* m : {"success_rate", "actor_loss", "critic_loss", "q_mean", "reward"}) cols.push_back(p + m);
    if (i > 0) cols.push_back(p + "penalty_rate");
    cols.push_back(p + "attempt_length");
    cols.push_back(p + "skipped_updates");
  }
  return cols;
}

std::map<std::string, double> HacAgent::take_epoch_metrics() {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const auto ratio = [nan](double a, long b) { return b > 0 ? a / static_cast<double>(b) : nan; };
  std::map<std::string, double> m;
  for (int i = 0; i <= top_; ++i) {
    const Counters& c = counters_[static_cast<std::size_t>(i)];
    const std::string p = prefix(i);
    const auto s = c.stats.mean();
    // The top's attempt sequence is the episode: its success rate is the task's.
    m[p + "success_rate"] = ratio(static_cast<double>(c.reached), c.sequences);
    m[p + "actor_loss"] = s.actor_loss;
    m[p + "critic_loss"] = s.critic_loss;
    m[p + "q_mean"] = s.q_mean;
    m[p + "reward"] = ratio(c.reward_sum, c.actions);
    if (i > 0) m[p + "penalty_rate"] = ratio(static_cast<double>(c.penalties), c.tests);
    m[p + "attempt_length"] = ratio(static_cast<double>(c.actions), c.sequences);
    m[p + "skipped_updates"] = static_cast<double>(c.stats.skipped);  // nan_policy=skip
  }
  counters_.assign(counters_.size(), Counters{});
  return m;
}

}  // namespace hindsight::hac
