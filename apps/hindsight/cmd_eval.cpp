// hindsight eval: the deterministic policy of a run, over N seeded episodes; per-level success, then the
// overall success_rate last (scripts read the last line).
#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli_parse.hpp"
#include "commands.hpp"
#include "hindsight/core/error.hpp"
#include "hindsight/core/stats.hpp"
#include "hindsight/env/fixed_goal_env.hpp"
#include "hindsight/io/atomic_file.hpp"
#include "hindsight/io/config.hpp"
#include "hindsight/io/run_dir.hpp"
#include "hindsight/agents/make_agent.hpp"
#include "hindsight/train/evaluate.hpp"
#include "hindsight/train/run_files.hpp"

namespace hindsight::cli {

std::vector<std::vector<double>> chosen_goals(const std::vector<std::string>& goals,
                                              const std::optional<std::string>& goals_file, const GoalEnv& env) {
  const std::size_t dims = env.goal_space().size();
  std::vector<std::vector<double>> out;
  for (const auto& g : goals) out.push_back(parse_goal(g, dims, "--goal '" + g + "'"));
  if (goals_file) {
    const auto more = read_goals_file(*goals_file, dims);
    out.insert(out.end(), more.begin(), more.end());
  }
  return out;
}

void add_goal_flags(CLI::App& app, std::vector<std::string>& goals, std::optional<std::string>& goals_file,
                    const std::string& episodes_note) {
  // One value per --goal: a repeated flag adds a goal (and never swallows the words after it).
  app.add_option("--goal", goals, "a goal of your choosing, e.g. 1.3,0.7,0.5 or --goal=-0.1,0,0 (repeatable); " +
                                      episodes_note)
      ->type_name("X,Y,Z")
      ->allow_extra_args(false);
  add_value_flag(app, "--goals", goals_file, "FILE", "goals from a file, one per line ('#' comments)");
}

std::string checkpoint_path(const std::string& run_dir, const std::string& which) {
  const auto paths = io::run_paths(run_dir);
  std::string path = which == "best" ? paths.best_checkpoint : which == "latest" ? paths.latest_checkpoint : which;
  if (which == "best" && !io::file_exists(path)) path = paths.latest_checkpoint;
  // A run killed between the two renames of a checkpoint rotation has only previous.ckpt for a moment.
  if ((which == "best" || which == "latest") && !io::file_exists(path)) path = paths.previous_checkpoint;
  check(io::file_exists(path), run_dir + ": no checkpoint (" + path + " is missing)");
  return path;
}

namespace {

// The parsed command line of `hindsight eval`.
struct EvalArgs {
  std::vector<std::string> runs;
  std::optional<std::string> episodes, seed, checkpoint, goals_file, episodes_csv, steps_csv;
  std::vector<std::string> goals;  // --goal x,y,z, in order
};

// Scores the policy on each chosen goal (the same start states for every goal) and prints one line per
// goal, then the overall success_rate last.
int eval_goals(const std::string& run, const std::string& ckpt, const train::Counters& counters,
               agents::Setup& setup, const std::vector<std::vector<double>>& goals, int episodes,
               std::uint64_t seed) {
  std::cout << "run=" << run << " checkpoint=" << ckpt << " epoch=" << counters.epoch << " goals=" << goals.size()
            << " episodes_per_goal=" << episodes << "\n";
  long successes = 0;
  for (std::size_t i = 0; i < goals.size(); ++i) {
    FixedGoalEnv env(*setup.env, {goals[i]});
    const auto r = train::evaluate(*setup.agent, env, episodes, seed);
    successes += std::lround(r.success_rate * episodes);
    std::string g;
    for (double v : goals[i]) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.6g", v);
      if (!g.empty()) g += ',';  // appended piecewise: GCC 12 misreads "," + string as an overlapping copy
      g += buf;
    }
    std::printf("goal[%zu]=%s success_rate=%.4f mean_episode_reward=%.4f\n", i, g.c_str(), r.success_rate,
                r.mean_reward);
  }
  const long total = static_cast<long>(goals.size()) * episodes;
  const auto [lo, hi] = wilson_interval(successes, total);
  std::printf("success_rate_ci95=%.4f,%.4f\n", lo, hi);
  std::printf("success_rate=%.4f\n", static_cast<double>(successes) / static_cast<double>(total));
  return 0;
}

// Evaluates the run's checkpoint and prints per-level success, then success_rate last.
int run_eval(const EvalArgs& a) {
  check(a.runs.size() == 1, "eval expects one run directory: hindsight eval RUN_DIR --episodes N");
  const std::string run = a.runs[0];
  check(io::is_run_dir(run), run + ": not a run directory (no config.yaml)");
  const bool chosen = !a.goals.empty() || a.goals_file;
  check(!(chosen && a.episodes_csv), "--episodes-csv is for the task's own goals; drop --goal/--goals or it");
  check(!(chosen && a.steps_csv), "--steps-csv is for the task's own goals; drop --goal/--goals or it");
  // With chosen goals, --episodes counts per goal.
  const int episodes =
      static_cast<int>(int_value("--episodes", a.episodes, 1, 10000000).value_or(chosen ? 10 : 100));
  const std::uint64_t seed = seed_value("--seed", a.seed).value_or(derive_seed(0, "eval"));
  const TrainConfig cfg = load_config_file(io::run_paths(run).config);
  auto setup = agents::make_setup(cfg, 0, 1, run);
  const std::vector<std::vector<double>> goals = chosen_goals(a.goals, a.goals_file, *setup.env);
  const std::string ckpt = checkpoint_path(run, a.checkpoint.value_or("best"));
  const auto counters = train::load_checkpoint(ckpt, cfg, *setup.agent);
  if (chosen) return eval_goals(run, ckpt, counters, setup, goals, episodes, seed);
  setup.agent->take_epoch_metrics();  // start the per-level counts from zero
  const int levels = static_cast<int>(setup.agent->levels().size());
  std::optional<train::StepsCsv> steps;
  if (a.steps_csv) steps.emplace(setup.env->goal_space().size(), setup.agent->subgoal_spec(), levels - 1);
  const auto records = train::evaluate_episodes(
      *setup.agent, *setup.env, episodes, seed,
      steps ? train::EvalStepObserver([&steps](int e, const learn::StepInfo& info) { steps->add(e, info); })
            : train::EvalStepObserver{});
  const auto r = train::report_of(records);
  const auto metrics = setup.agent->take_epoch_metrics();
  if (a.episodes_csv) io::write_file_atomic(*a.episodes_csv, train::episodes_csv(records));
  if (steps) io::write_file_atomic(*a.steps_csv, steps->text());
  std::cout << "run=" << run << " checkpoint=" << ckpt << " epoch=" << counters.epoch << " episodes=" << episodes
            << "\n";
  std::printf("mean_episode_reward=%.4f\n", r.mean_reward);
  // Beside the score, never instead of it: success at some step of the episode.
  std::printf("reached_at_any_step_rate=%.4f\n", r.reached_rate);
  for (int i = 0; i < levels; ++i) {
    // Appended piecewise: GCC 12 misreads `"l" + std::to_string(i)` as an overlapping copy (-Wrestrict).
    std::string key = "l";
    key += std::to_string(i);
    key += "/success_rate";
    const auto it = metrics.find(key);
    double v = it != metrics.end() ? it->second : std::nan("");
    // An agent that counts level success only while training reports NaN here; the top level pursues the
    // env's own goal, so its success is the env success measured above.
    if (!std::isfinite(v) && i == levels - 1) v = r.success_rate;
    std::printf("%s=%.4f\n", key.c_str(), v);
  }
  // How far the measured rate can be from the policy's true one (Wilson, 95%): 10 episodes cannot tell
  // 0.9 from 1.0, 100 can.
  const long successes = std::lround(r.success_rate * episodes);
  const auto [lo, hi] = wilson_interval(successes, episodes);
  std::printf("success_rate_ci95=%.4f,%.4f\n", lo, hi);
  std::printf("success_rate=%.4f\n", r.success_rate);
  return 0;
}

}  // namespace

Command add_eval(CLI::App& app) {
  auto a = std::make_shared<EvalArgs>();
  CLI::App* sub = app.add_subcommand(
      "eval", "Evaluate a run's deterministic policy over seeded episodes; the last line is success_rate=<x>");
  add_words(*sub, "RUN_DIR", a->runs, "RUN_DIR", "the run directory (it holds config.yaml and checkpoints/)");
  add_value_flag(*sub, "--episodes", a->episodes, "N", "episodes to run, in [1, 10000000] (default 100; with --goal/--goals: per goal, default 10)");
  add_value_flag(*sub, "--seed", a->seed, "S", "seed of the episodes (default: the one record uses too)");
  add_value_flag(*sub, "--checkpoint", a->checkpoint, "best|latest|PATH",
                 "which policy: best (the best test epoch, else latest), latest, or a checkpoint file (default best)");
  add_goal_flags(*sub, a->goals, a->goals_file, "prints each goal's success, then the overall rate");
  add_value_flag(*sub, "--episodes-csv", a->episodes_csv, "FILE",
                 "also write one CSV row per episode: success at the last step, reached at some step, first step "
                 "at the goal, steps at the goal, final distance to the goal");
  add_value_flag(*sub, "--steps-csv", a->steps_csv, "FILE",
                 "also write one CSV row per env step: success, achieved and desired goal, and for HAC the state "
                 "in the subgoal space and every upper level's current subgoal");
  return {sub, [a] { return run_eval(*a); }};
}

}  // namespace hindsight::cli
