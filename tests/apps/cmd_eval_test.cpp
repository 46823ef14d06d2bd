// `hindsight eval` as a user runs it: per-level success, then success_rate last.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "support/media.hpp"
#include "support/run_cli.hpp"

namespace hindsight::testing {
namespace {

// The cells of one CSV line.
std::vector<std::string> cells_of(const std::string& line) {
  std::vector<std::string> cells;
  std::stringstream ss(line);
  for (std::string c; std::getline(ss, c, ',');) cells.push_back(c);
  return cells;
}

TEST(CliEval, PrintsPerLevelSuccessAndSuccessRateLast) {
  const std::string dir = fresh_dir("eval_cli");
  const std::string run = train_tiny_run(dir + "/runs");
  const auto r = run_cli("eval '" + run + "' --episodes 3 --seed 4");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\nl0/success_rate="), std::string::npos) << r.out;
  const std::string last = last_line(r.out);
  ASSERT_EQ(last.rfind("success_rate=", 0), 0u) << r.out;
  // One level: its success is the env success.
  EXPECT_NE(r.out.find("l0/" + last + "\n"), std::string::npos) << r.out;
  EXPECT_EQ(run_cli("eval '" + run + "' --episodes 3 --seed 4").out, r.out) << "deterministic";
}

TEST(CliEval, ScoresChosenGoalsOneLineEachThenTheOverallRate) {
  const std::string dir = fresh_dir("eval_cli_goals");
  const std::string run = train_tiny_run(dir + "/runs");
  const std::string goals = dir + "/goals.txt";
  {
    std::ofstream f(goals);
    f << "# two more\n1.30,0.70,0.45\n1.4 0.8 0.6\n";
  }
  const auto r = run_cli("eval '" + run + "' --goal 1.342,0.749,0.535 --goal=1.2,0.6,0.5 --goals '" + goals +
                         "' --episodes 3");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("goals=4 episodes_per_goal=3"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\ngoal[0]=1.342,0.749,0.535 success_rate="), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\ngoal[3]=1.4,0.8,0.6 success_rate="), std::string::npos) << r.out;
  EXPECT_EQ(last_line(r.out).rfind("success_rate=", 0), 0u) << r.out;
  const auto bad = run_cli("eval '" + run + "' --goal 1,2");
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_EQ(line_count(bad.err), 1) << bad.err;
  EXPECT_NE(bad.err.find("--goal '1,2': 2 values, the task's goals have 3"), std::string::npos) << bad.err;
}

TEST(CliEval, EpisodesCsvHoldsOneRowPerEpisodeThatAddsUpToTheRate) {
  const std::string dir = fresh_dir("eval_cli_csv");
  const std::string run = train_tiny_run(dir + "/runs");
  const std::string csv = dir + "/episodes.csv";
  const auto r = run_cli("eval '" + run + "' --episodes 5 --seed 4 --episodes-csv '" + csv + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::ifstream f(csv);
  std::string line;
  std::getline(f, line);
  EXPECT_EQ(line, "episode,seed,success,reached,first_reached_step,steps_at_goal,steps,final_distance,reward_sum");
  int rows = 0, successes = 0;
  while (std::getline(f, line)) {
    const auto cells = cells_of(line);
    ASSERT_EQ(cells.size(), 9u) << line;
    EXPECT_EQ(cells[0], std::to_string(rows));
    successes += cells[2] == "1" ? 1 : 0;
    EXPECT_LE(cells[2], cells[3]) << "at the goal at the end implies reached: " << line;
    ++rows;
  }
  EXPECT_EQ(rows, 5);
  char rate[32];
  std::snprintf(rate, sizeof rate, "success_rate=%.4f", successes / 5.0);
  EXPECT_EQ(last_line(r.out), rate);
  EXPECT_EQ(run_cli("eval '" + run + "' --episodes 5 --seed 4").out, r.out) << "the file changes nothing printed";

  const auto bad = run_cli("eval '" + run + "' --goal 1.3,0.7,0.5 --episodes-csv '" + dir + "/x.csv'");
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_EQ(line_count(bad.err), 1) << bad.err;
  EXPECT_NE(bad.err.find("--episodes-csv is for the task's own goals"), std::string::npos) << bad.err;
  EXPECT_FALSE(std::ifstream(dir + "/x.csv").good()) << "nothing written on bad input";
}

TEST(CliEval, StepsCsvHoldsEveryStepWithEachLevelsSubgoal) {
  const std::string dir = fresh_dir("eval_cli_steps");
  const std::string run = train_tiny_run(dir + "/runs", "FetchReach", 1, "levels=2 H=[5]");
  const std::string episodes = dir + "/episodes.csv", steps = dir + "/steps.csv";
  const auto r = run_cli("eval '" + run + "' --episodes 3 --seed 4 --episodes-csv '" + episodes +
                         "' --steps-csv '" + steps + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(run_cli("eval '" + run + "' --episodes 3 --seed 4").out, r.out) << "the file changes nothing printed";

  // Per episode: its step count and score, from the episodes file.
  std::ifstream ef(episodes);
  std::string line;
  std::getline(ef, line);
  std::vector<int> episode_steps;
  std::vector<std::string> episode_success;
  while (std::getline(ef, line)) {
    const auto c = cells_of(line);
    ASSERT_EQ(c.size(), 9u) << line;
    episode_success.push_back(c[2]);
    episode_steps.push_back(std::stoi(c[6]));
  }
  ASSERT_EQ(episode_steps.size(), 3u);

  // FetchReach: 3 goal values; its default subgoal space is the gripper (3 values); one upper level.
  std::ifstream sf(steps);
  std::getline(sf, line);
  EXPECT_EQ(line, "episode,step,success,ag_0,ag_1,ag_2,g_0,g_1,g_2,s_0,s_1,s_2,l1_0,l1_1,l1_2");
  std::vector<std::vector<std::string>> rows;
  while (std::getline(sf, line)) rows.push_back(cells_of(line));
  std::size_t k = 0;
  for (std::size_t e = 0; e < episode_steps.size(); ++e) {
    for (int s = 1; s <= episode_steps[e]; ++s, ++k) {
      ASSERT_LT(k, rows.size());
      ASSERT_EQ(rows[k].size(), 15u);
      EXPECT_EQ(rows[k][0], std::to_string(e));
      EXPECT_EQ(rows[k][1], std::to_string(s));
      // On FetchReach the achieved goal is the gripper, the subgoal space's state.
      for (int d = 0; d < 3; ++d) EXPECT_EQ(rows[k][3 + d], rows[k][9 + d]) << "row " << k;
      if (s > 1) EXPECT_EQ(rows[k][6], rows[k - 1][6]) << "one goal per episode";
    }
    EXPECT_EQ(rows[k - 1][2], episode_success[e]) << "the last step is the score";
  }
  EXPECT_EQ(k, rows.size());

  // A flat run: goals only.
  const std::string flat = train_tiny_run(dir + "/flat");
  ASSERT_EQ(run_cli("eval '" + flat + "' --episodes 1 --steps-csv '" + steps + "'").exit_code, 0);
  std::ifstream ff(steps);
  std::getline(ff, line);
  EXPECT_EQ(line, "episode,step,success,ag_0,ag_1,ag_2,g_0,g_1,g_2");

  const auto bad = run_cli("eval '" + run + "' --goal 1.3,0.7,0.5 --steps-csv '" + dir + "/x.csv'");
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_EQ(line_count(bad.err), 1) << bad.err;
  EXPECT_NE(bad.err.find("--steps-csv is for the task's own goals"), std::string::npos) << bad.err;
  EXPECT_FALSE(std::ifstream(dir + "/x.csv").good()) << "nothing written on bad input";
}

}  // namespace
}  // namespace hindsight::testing
