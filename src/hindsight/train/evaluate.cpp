#include "hindsight/train/evaluate.hpp"

#include <cmath>
#include <cstdio>
#include <span>
#include <utility>

#include "hindsight/core/error.hpp"
#include "hindsight/core/rng.hpp"
#include "hindsight/hac/subgoal_space.hpp"

namespace hindsight::train {

EvalReport evaluate(learn::Agent& agent, GoalEnv& env, int episodes, std::uint64_t seed) {
  return report_of(evaluate_episodes(agent, env, episodes, seed));
}

std::vector<EpisodeRecord> evaluate_episodes(learn::Agent& agent, GoalEnv& env, int episodes, std::uint64_t seed,
                                             const EvalStepObserver& on_step) {
  check(episodes >= 1, "episodes must be >= 1");
  std::vector<EpisodeRecord> records;
  records.reserve(static_cast<std::size_t>(episodes));
  for (int i = 0; i < episodes; ++i) {
    EpisodeRecord rec;
    rec.seed = derive_seed(seed, static_cast<std::uint64_t>(i));
    const learn::StepObserver watch = [&rec, &on_step, i](const GoalEnv&, const learn::StepInfo& info) {
      if (on_step) on_step(i, info);
      if (info.success) {
        if (rec.first_reached_step < 0) rec.first_reached_step = info.step;
        ++rec.steps_at_goal;
      }
      const auto& a = info.obs->achieved_goal;
      const auto& d = info.obs->desired_goal;
      double s = 0.0;
      for (std::size_t k = 0; k < a.size() && k < d.size(); ++k) s += (a[k] - d[k]) * (a[k] - d[k]);
      rec.final_distance = std::sqrt(s);
    };
    const auto o = agent.run_episode(env, rec.seed, false, watch);
    rec.success = o.success;
    rec.reached = o.reached;
    rec.steps = o.steps;
    rec.reward_sum = o.reward_sum;
    records.push_back(rec);
  }
  return records;
}

EvalReport report_of(const std::vector<EpisodeRecord>& records) {
  check(!records.empty(), "no episode to report");
  EvalReport r;
  r.episodes = static_cast<int>(records.size());
  int successes = 0, reached = 0;
  double rewards = 0;
  for (const auto& e : records) {
    successes += e.success ? 1 : 0;
    reached += e.reached ? 1 : 0;
    rewards += e.reward_sum;
  }
  r.success_rate = static_cast<double>(successes) / r.episodes;
  r.reached_rate = static_cast<double>(reached) / r.episodes;
  r.mean_reward = rewards / r.episodes;
  return r;
}

std::string episodes_csv(const std::vector<EpisodeRecord>& records) {
  std::string out = "episode,seed,success,reached,first_reached_step,steps_at_goal,steps,final_distance,reward_sum\n";
  char row[256];
  for (std::size_t i = 0; i < records.size(); ++i) {
    const auto& e = records[i];
    std::snprintf(row, sizeof row, "%zu,%llu,%d,%d,%d,%d,%d,%.6g,%.6g\n", i, static_cast<unsigned long long>(e.seed),
                  e.success ? 1 : 0, e.reached ? 1 : 0, e.first_reached_step, e.steps_at_goal, e.steps,
                  e.final_distance, e.reward_sum);
    out += row;
  }
  return out;
}

namespace {

// Appends ",<prefix><k>" for k in [0, n) to a CSV header.
void add_columns(std::string& header, const std::string& prefix, std::size_t n) {
  for (std::size_t k = 0; k < n; ++k) {
    header += ',';
    header += prefix;
    header += std::to_string(k);
  }
}

// Appends ",v" for every value, %.6g.
void add_cells(std::string& row, std::span<const double> values) {
  char cell[32];
  for (double v : values) {
    std::snprintf(cell, sizeof cell, ",%.6g", v);
    row += cell;
  }
}

}  // namespace

StepsCsv::StepsCsv(std::size_t goal_dims, std::optional<SubgoalSpec> spec, int upper_levels)
    : goal_dims_(goal_dims), spec_(std::move(spec)), upper_levels_(spec_ ? upper_levels : 0) {
  text_ = "episode,step,success";
  add_columns(text_, "ag_", goal_dims_);
  add_columns(text_, "g_", goal_dims_);
  if (spec_) {
    const std::size_t n = spec_->obs_indices.size();
    add_columns(text_, "s_", n);
    for (int l = 1; l <= upper_levels_; ++l) {
      // Appended piecewise: GCC 12 misreads `"l" + std::to_string(l)` as an overlapping copy (-Wrestrict).
      std::string prefix = "l";
      prefix += std::to_string(l);
      prefix += '_';
      add_columns(text_, prefix, n);
    }
  }
  text_ += '\n';
}

void StepsCsv::add(int episode, const learn::StepInfo& info) {
  check(info.obs != nullptr, "steps CSV: a step without its observation");
  const GoalObs& o = *info.obs;
  check(o.achieved_goal.size() == goal_dims_ && o.desired_goal.size() == goal_dims_,
        "steps CSV: the step's goals have " + std::to_string(o.achieved_goal.size()) + "/" +
            std::to_string(o.desired_goal.size()) + " values, the header " + std::to_string(goal_dims_));
  check(info.subgoals.size() == static_cast<std::size_t>(upper_levels_),
        "steps CSV: the step has " + std::to_string(info.subgoals.size()) + " subgoals, the header " +
            std::to_string(upper_levels_));
  for (const auto& g : info.subgoals) {
    check(g.size() == spec_->obs_indices.size(), "steps CSV: a subgoal has " + std::to_string(g.size()) +
                                                     " values, the subgoal space " +
                                                     std::to_string(spec_->obs_indices.size()));
  }
  char head[64];
  std::snprintf(head, sizeof head, "%d,%d,%d", episode, info.step, info.success ? 1 : 0);
  text_ += head;
  add_cells(text_, o.achieved_goal);
  add_cells(text_, o.desired_goal);
  if (spec_) add_cells(text_, hac::project(*spec_, o.observation));
  for (const auto& g : info.subgoals) add_cells(text_, g);
  text_ += '\n';
}

int rank_share_of(int n, int rank, int ranks) { return n / ranks + (rank < n % ranks ? 1 : 0); }

double evaluate_on_ranks(learn::Agent& agent, GoalEnv& env, int episodes, Comm& comm,
                         const std::function<std::uint64_t(int rank)>& seed_of_rank) {
  check(episodes >= 1, "episodes must be >= 1");
  const int mine = rank_share_of(episodes, comm.rank(), comm.size());
  std::vector<double> successes{0.0};
  if (mine > 0) successes[0] = std::round(evaluate(agent, env, mine, seed_of_rank(comm.rank())).success_rate * mine);
  comm.allreduce_sum(successes);
  return successes[0] / episodes;
}

std::uint64_t episode_seed(const TrainConfig& cfg, const char* purpose, int rank, std::uint64_t index) {
  return derive_seed(derive_seed(derive_seed(cfg.seed, purpose), static_cast<std::uint64_t>(rank)), index);
}

learn::Trajectory record_trajectory(GoalEnv& env, std::uint64_t seed,
                                    const std::function<std::vector<double>(const GoalObs&)>& policy) {
  learn::Trajectory t;
  GoalObs o = env.reset(seed);
  t.T = env.max_episode_steps();
  for (int s = 0; s < t.T; ++s) {
    t.obs.insert(t.obs.end(), o.observation.begin(), o.observation.end());
    t.ag.insert(t.ag.end(), o.achieved_goal.begin(), o.achieved_goal.end());
    t.g.insert(t.g.end(), o.desired_goal.begin(), o.desired_goal.end());
    const std::vector<double> a = policy(o);
    t.actions.insert(t.actions.end(), a.begin(), a.end());
    o = env.step(a).obs;
  }
  t.obs.insert(t.obs.end(), o.observation.begin(), o.observation.end());
  t.ag.insert(t.ag.end(), o.achieved_goal.begin(), o.achieved_goal.end());
  return t;
}

}  // namespace hindsight::train
