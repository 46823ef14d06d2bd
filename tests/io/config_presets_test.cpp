#include "hindsight/io/config.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <limits>
#include <optional>
#include <random>
#include <sstream>
#include <tuple>

#include "hindsight/core/error.hpp"
#include "hindsight/env/registry.hpp"
#include "hindsight/io/atomic_file.hpp"
#include "support/test_support.hpp"

namespace hindsight {
namespace {

using hindsight::testing::error_of;
using hindsight::testing::test_dir;

namespace fs = std::filesystem;

// <repo>/configs, found from <repo>/tests/testdata (which need not exist, hence no "..").
std::string source_configs() {
  return (fs::path(HINDSIGHT_TESTDATA_DIR).parent_path().parent_path() / "configs").string();
}

// Keeps an environment variable's value and restores it when the test ends.
class ScopedEnv {
 public:
  explicit ScopedEnv(const char* name) : name_(name) {
    if (const char* v = std::getenv(name)) old_ = v;
  }
  ~ScopedEnv() {
    if (old_) {
      ::setenv(name_, old_->c_str(), 1);
    } else {
      ::unsetenv(name_);
    }
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

TEST(Config, EveryRegisteredEnvHasAPresetThatLoadsAndValidates) {
  for (const std::string& env : env_names()) {
    const std::string path = find_preset(env, source_configs());
    ASSERT_FALSE(path.empty()) << "no preset for " << env;
    TrainConfig c;
    ASSERT_NO_THROW(c = load_config_file(path)) << path;
    EXPECT_NO_THROW(validate(c)) << path;
    EXPECT_EQ(c.env, env) << path;
    // The hierarchy is the default where HAC has a preset; the classic flat tasks stay flat.
    const bool hac = env == "FetchPickAndPlace" || env == "FetchPush" || env.rfind("MountainCarContinuous", 0) == 0;
    EXPECT_EQ(c.levels, hac ? 2 : 1) << path;
  }
}

TEST(Config, PresetsHoldTheirDocumentedValues) {
  const std::string dir = source_configs();
  const TrainConfig reach = load_config_file(find_preset("FetchReach", dir));
  EXPECT_EQ(reach.epochs, 10);
  EXPECT_EQ(reach.cycles, 10);
  EXPECT_EQ(reach.updates_per_cycle, 40);
  // The flat baselines recipes of the envs whose default preset is hierarchical.
  for (const char* env : {"FetchPickAndPlace", "FetchPush", "MountainCarContinuous"}) {
    const TrainConfig c = load_config_file(dir + "/flat/" + env + ".yaml");
    EXPECT_NO_THROW(validate(c)) << env;
    EXPECT_EQ(c.env, env);
    EXPECT_EQ(c.levels, 1) << env;
    EXPECT_TRUE(c.target_networks) << env;
  }
  // The demonstration recipes, flat and with 2 levels (the PickAndPlace preset: H = 25, measured in
  // docs/hierarchy.md).
  for (const std::string path : {dir + "/flat/FetchPickAndPlace-demos.yaml", dir + "/flat/FetchPush-demos.yaml",
                                 find_preset("FetchPickAndPlace", dir), find_preset("FetchPush", dir)}) {
    const TrainConfig c = load_config_file(path);
    EXPECT_NO_THROW(validate(c)) << path;
    EXPECT_EQ(c.demos, 100) << path;
    EXPECT_EQ(c.batch_size, 1024) << path;
    EXPECT_TRUE(c.target_networks) << path;
  }
  // The Fetch block presets: the flat demonstration learner (3x256, target networks, action penalty) at
  // every level of a 2-level hierarchy that keeps HAC's subgoal testing and bounded critic.
  for (const std::string env : {"FetchPickAndPlace", "FetchPush"}) {
    const TrainConfig hac = load_config_file(find_preset(env, dir));
    const TrainConfig flat_demos = load_config_file(dir + "/flat/" + env + "-demos.yaml");
    EXPECT_EQ(hac.env, env);
    EXPECT_EQ(hac.levels, 2) << env;
    EXPECT_EQ(hac.H, std::vector<int>{25}) << env;
    EXPECT_EQ(hac.hidden, flat_demos.hidden) << env;
    EXPECT_EQ(hac.action_l2, flat_demos.action_l2) << env;
    EXPECT_EQ(hac.polyak, flat_demos.polyak) << env;
    EXPECT_EQ(hac.noise_eps, flat_demos.noise_eps) << env;
    EXPECT_EQ(hac.random_eps, flat_demos.random_eps) << env;
    EXPECT_EQ(hac.bc_weight, flat_demos.bc_weight) << env;
    EXPECT_TRUE(hac.bounded_critic) << env;
    EXPECT_EQ(hac.subgoal_test_prob, 0.3) << env;
  }
  // PickAndPlace's training episodes run to the time limit, as the one scoring rule's test episodes.
  EXPECT_TRUE(load_config_file(find_preset("FetchPickAndPlace", dir)).train_to_limit);
  // The from-scratch flat presets: the data of 8 (Push) and 16 (PickAndPlace) baselines workers per cycle,
  // the published multi-worker runs', on one rank per core, tested on 100 episodes per epoch.
  for (const auto& [env, workers, epochs] : {std::tuple{"FetchPush", 8, 20}, std::tuple{"FetchPickAndPlace", 16, 35}}) {
    const TrainConfig c = load_config_file(dir + "/flat/" + env + ".yaml");
    EXPECT_NO_THROW(validate(c)) << env;
    EXPECT_EQ(c.workers, workers) << env;
    EXPECT_EQ(c.epochs, epochs) << env;
    EXPECT_EQ(c.episodes_per_cycle, 2) << env;
    EXPECT_EQ(c.batch_size, 256) << env;
    EXPECT_EQ(c.updates_per_cycle, 40) << env;
    EXPECT_EQ(c.test_episodes, 100) << env;
    EXPECT_EQ(c.demos, 0) << env;
    EXPECT_FALSE(c.ranks.has_value()) << env;  // auto: one per core
    EXPECT_EQ(rank_share(c, 1).episodes_per_cycle, 2 * workers) << env;
    EXPECT_EQ(rank_share(c, 1).batch_size, 256 * workers) << env;
  }
  for (const std::string path : {dir + "/flat/MountainCarContinuous.yaml", find_preset("Pendulum", dir)}) {
    const TrainConfig c = load_config_file(path);
    const std::string env = c.env;
    EXPECT_EQ(c.levels, 1) << env;
    EXPECT_EQ(c.hidden, (std::vector<int>{64, 64})) << env;
    EXPECT_EQ(c.epochs, 20) << env;
    EXPECT_EQ(c.cycles, 10) << env;
    EXPECT_EQ(c.norm_init, NormInit::warmup) << env;
    EXPECT_EQ(c.norm_warmup_episodes, 0) << env;  // online statistics only, as baselines
  }
  EXPECT_EQ(reach.norm_warmup_episodes, 0);
  // The HAC presets: DESIGN.md's HAC values (the Fetch ones in configs/hac/, beside the presets that learn).
  for (const std::string path : {dir + "/hac/FetchPush.yaml", find_preset("MountainCarContinuous", dir),
                                 dir + "/hac/FetchPickAndPlace.yaml"}) {
    const TrainConfig c = load_config_file(path);
    EXPECT_NO_THROW(validate(c)) << path;
    EXPECT_EQ(c.levels, 2) << path;
    EXPECT_EQ(c.hidden, (std::vector<int>{64, 64, 64})) << path;
    EXPECT_EQ(c.batch_size, 1024) << path;
    EXPECT_EQ(c.gamma, 0.98) << path;
    EXPECT_FALSE(c.target_networks) << path;
    EXPECT_TRUE(c.bounded_critic) << path;
    EXPECT_EQ(c.subgoal_test_prob, 0.3) << path;
    EXPECT_EQ(c.random_eps, 0.2) << path;
    EXPECT_EQ(c.replay_k, 3) << path;
    EXPECT_EQ(c.updates_per_cycle, 40 * c.episodes_per_cycle) << path;  // 40 per level per episode
  }
  EXPECT_EQ(load_config_file(find_preset("MountainCarContinuous", dir)).H, (std::vector<int>{20}));
  EXPECT_EQ(load_config_file(dir + "/hac/FetchPickAndPlace.yaml").H, (std::vector<int>{10}));
}

TEST(Config, EveryPresetKeyHasACommentSayingWhereItComesFrom) {
  for (const auto& entry : fs::recursive_directory_iterator(source_configs())) {
    if (entry.path().extension() != ".yaml") continue;
    // tasks/ holds task files (docs/tasks.md), not training configs: their comments describe blocks.
    if (entry.path().parent_path().filename() == "tasks") continue;
    std::istringstream in(io::read_file(entry.path().string()));
    std::string line, previous;
    while (std::getline(in, line)) {
      if (!line.empty() && line[0] != '#') {
        EXPECT_EQ(previous.rfind("# ", 0), 0U) << entry.path() << ": no comment above '" << line << "'";
      }
      previous = line;
    }
  }
}

TEST(Config, FindPresetIsEmptyWithoutAFile) {
  EXPECT_EQ(find_preset("NoSuchEnv", source_configs()), "");
  EXPECT_EQ(find_preset("FetchReach", ""), "");
  EXPECT_EQ(find_preset("FetchReach", source_configs()), source_configs() + "/FetchReach.yaml");
}

TEST(Config, ConfigsDirPrefersTheEnvironmentVariable) {
  ScopedEnv keep("HINDSIGHT_CONFIGS");
  const std::string dir = test_dir();
  ::setenv("HINDSIGHT_CONFIGS", dir.c_str(), 1);
  EXPECT_EQ(configs_dir(), dir);
  ::setenv("HINDSIGHT_CONFIGS", (dir + "/missing").c_str(), 1);
  EXPECT_NE(error_of([] { configs_dir(); }).find("HINDSIGHT_CONFIGS=" + dir + "/missing is not a directory"),
            std::string::npos);
}

TEST(Config, ConfigsDirFindsTheSourceTreeFromTheBuildDir) {
  ScopedEnv keep("HINDSIGHT_CONFIGS");
  ::unsetenv("HINDSIGHT_CONFIGS");
  // The test binary lives in <build>/tests; with the build dir inside the repo, <exe>/../../configs exists.
  const std::string dir = configs_dir();
  if (dir.empty()) GTEST_SKIP() << "build directory outside the source tree";
  EXPECT_FALSE(find_preset("FetchReach", dir).empty()) << dir;
}

}  // namespace
}  // namespace hindsight
