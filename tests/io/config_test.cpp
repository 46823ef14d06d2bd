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

// A directory of the current test, emptied when the test first asks for it; one per test so that
// tests can run in parallel processes.
// Writes text to a new file of the current test's directory.
std::string write_yaml(const std::string& text) {
  static int n = 0;
  const std::string path = test_dir() + "/config" + std::to_string(++n) + ".yaml";
  io::write_file_atomic(path, text);
  return path;
}

// The message of the Error that fn throws ("" and a test failure when it throws none).
std::string load_error(const std::string& yaml) {
  const std::string path = write_yaml(yaml);
  return error_of([&] { load_config_file(path); });
}

// Expects loading yaml to fail with a message that contains part.
void expect_load_error(const std::string& yaml, const std::string& part) {
  const std::string msg = load_error(yaml);
  EXPECT_NE(msg.find(part), std::string::npos) << "message: " << msg << "\nexpected part: " << part;
}

std::string override_error(const std::string& kv) {
  TrainConfig c;
  return error_of([&] { apply_override(c, kv); });
}



TEST(Config, DefaultsAreTheBaselinesValuesAndValid) {
  const TrainConfig c = default_config();
  EXPECT_EQ(c.env, "FetchPickAndPlace");
  EXPECT_EQ(c.levels, 1);
  EXPECT_EQ(c.cycles, 50);
  EXPECT_EQ(c.episodes_per_cycle, 2);
  EXPECT_EQ(c.updates_per_cycle, 40);
  EXPECT_EQ(c.batch_size, 256);
  EXPECT_EQ(c.buffer_size, 1000000);
  EXPECT_EQ(c.hidden, (std::vector<int>{256, 256, 256}));
  EXPECT_EQ(c.polyak, 0.95);
  EXPECT_EQ(c.her_strategy, HerStrategy::future);
  EXPECT_EQ(c.norm_init, NormInit::warmup);
  EXPECT_FALSE(c.H.has_value());  // auto
  EXPECT_FALSE(c.gamma.has_value());
  EXPECT_FALSE(c.run_name.has_value());
  EXPECT_EQ(c.subgoal, "default");
  EXPECT_NO_THROW(validate(c));
}

TEST(Config, LoadOverlaysTheFileOnTheDefaults) {
  const TrainConfig c = load_config_file(write_yaml(
      "# a comment\n"
      "env: FetchReach\n"
      "epochs: 7\n"
      "seed: 18446744073709551615\n"
      "hidden: [64, 32]\n"
      "H:\n"
      "  - 10\n"
      "  - 20\n"
      "polyak: 0.5\n"
      "target_networks: false\n"
      "her_strategy: final\n"
      "norm_init: off\n"
      "run_name: \"exp: 1\"\n"
      "norm_file:\n"));
  TrainConfig expected;
  expected.env = "FetchReach";
  expected.epochs = 7;
  expected.seed = std::numeric_limits<std::uint64_t>::max();
  expected.hidden = {64, 32};
  expected.H = {10, 20};
  expected.polyak = 0.5;
  expected.target_networks = false;
  expected.her_strategy = HerStrategy::final;
  expected.norm_init = NormInit::off;
  expected.run_name = "exp: 1";
  EXPECT_EQ(c, expected);
}

TEST(Config, EmptyFileKeepsTheDefaults) {
  EXPECT_EQ(load_config_file(write_yaml("")), default_config());
  EXPECT_EQ(load_config_file(write_yaml("# only a comment\n")), default_config());
}

TEST(Config, IntegersAcceptIntegralFloatNotation) {
  const TrainConfig c = load_config_file(write_yaml("buffer_size: 1e6\nepochs: 5.0\n"));
  EXPECT_EQ(c.buffer_size, 1000000);
  EXPECT_EQ(c.epochs, 5);
  expect_load_error("epochs: 5.5\n", "key 'epochs' expects an integer, got '5.5'");
}

TEST(Config, UnknownKeyNamesFileLineAndSuggestsTheClosestKey) {
  const std::string path = write_yaml("env: FetchReach\nepoch: 3\n");
  const std::string msg = error_of([&] { load_config_file(path); });
  EXPECT_EQ(msg, path + ":2: unknown key 'epoch' (did you mean 'epochs'?)");
}

TEST(Config, UnknownKeyWithNoCloseMatchHasNoSuggestion) {
  const std::string msg = load_error("zzzzzzzz: 3\n");
  EXPECT_NE(msg.find(":1: unknown key 'zzzzzzzz'"), std::string::npos) << msg;
  EXPECT_EQ(msg.find("did you mean"), std::string::npos) << msg;
}

TEST(Config, UnknownBaselinesOrSb3KeyNamesOurCounterpart) {
  expect_load_error("n_batches: 40\n", "unknown key 'n_batches' (did you mean 'updates_per_cycle'?)");
  expect_load_error("Q_lr: 0.001\n", "did you mean 'critic_lr'");
  expect_load_error("tau: 0.05\n", "did you mean 'polyak'? polyak = 1 - tau");
}

TEST(Config, WrongTypeNamesFileLineKeyAndValue) {
  const std::string path = write_yaml("env: FetchReach\n\nepochs: abc\n");
  EXPECT_EQ(error_of([&] { load_config_file(path); }),
            path + ":3: key 'epochs' expects an integer, got 'abc'");
  expect_load_error("actor_lr: fast\n", ":1: key 'actor_lr' expects a finite number, got 'fast'");
  expect_load_error("actor_lr: .inf\n", "key 'actor_lr' expects a finite number");
  expect_load_error("norm_freeze: maybe\n", ":1: key 'norm_freeze' expects true or false, got 'maybe'");
  expect_load_error("her_strategy: episode\n",
                    ":1: key 'her_strategy' expects one of future, final, none, got 'episode'");
  expect_load_error("seed: -1\n", "key 'seed' expects a non-negative integer, got '-1'");
  expect_load_error("levels: 99999999999\n", "key 'levels' expects an integer");
  expect_load_error("hidden: [64, x]\n", ":1: key 'hidden' expects a list of integers, got item 'x'");
  expect_load_error("hidden: {a: 1}\n", "key 'hidden' expects a list of integers, got a mapping");
  expect_load_error("epochs: [1, 2]\n", ":1: key 'epochs' expects an integer, got a list");
  expect_load_error("env: {name: x}\n", "key 'env' expects a string, got a mapping");
  expect_load_error("hidden: [[64]]\n", "key 'hidden': list items must be plain values");
  expect_load_error("epochs:\n", ":1: key 'epochs' expects an integer, got ''");
}

TEST(Config, OutOfRangeNamesFileLineKeyAndValue) {
  const std::string path = write_yaml("env: FetchReach\nactor_lr: -1\n");
  EXPECT_EQ(error_of([&] { load_config_file(path); }), path + ":2: actor_lr must be > 0, got -1");
  expect_load_error("polyak: 1.5\n", ":1: polyak must be in [0, 1], got 1.5");
  expect_load_error("levels: 0\n", ":1: levels must be >= 1, got 0");
  expect_load_error("gamma: 1.01\n", "gamma must be auto or in [0, 1], got 1.01");
  expect_load_error("gamma: -0.5\n", "gamma must be auto or in [0, 1], got -0.5");
  expect_load_error("gamma: automatic\n", "key 'gamma' expects a finite number, got 'automatic'");
  // An empty H is no longer "the env default": that is H: auto.
  const TrainConfig empty_h = parse_config_yaml("levels: 2\nH: []\n", "h.yaml");
  EXPECT_EQ(error_of([&] { validate(empty_h); }),
            "H has 0 entries; with levels=2 it needs 1 (used for every level), or auto (env default)");
  expect_load_error("run_name: \"\"\n", "run_name must not be empty (or be auto)");
  expect_load_error("hidden: [64, 0]\n", "hidden must be a non-empty list of values >= 1, got [64, 0]");
  expect_load_error("hidden: []\n", "hidden must be a non-empty list");
  expect_load_error("H: [10, 0]\n", "H entries must be >= 1 (or be auto), got [10, 0]");
  expect_load_error("env: \"\"\n", "env must not be empty");
  expect_load_error("replay_k: -1\n", "replay_k must be >= 0, got -1");
  expect_load_error("clip_obs: 0\n", "clip_obs must be > 0, got 0");
}

TEST(Config, MalformedYamlNamesFileLineAndColumn) {
  const std::string path = write_yaml("env: FetchReach\nhidden: [64, 64\nepochs: 3\n");
  const std::string msg = error_of([&] { load_config_file(path); });
  EXPECT_EQ(msg.rfind(path + ":", 0), 0U) << msg;
  EXPECT_NE(msg.find(": YAML syntax error: "), std::string::npos) << msg;
  // FILE:LINE:COL with numbers
  std::istringstream rest(msg.substr(path.size() + 1));
  int line = 0, col = 0;
  char colon = 0;
  rest >> line >> colon >> col;
  EXPECT_GE(line, 2) << msg;
  EXPECT_GE(col, 1) << msg;
  expect_load_error("env: FetchReach\n\tepochs: 3\n", "YAML syntax error");
}

TEST(Config, FileThatIsNotAMappingIsAnError) {
  expect_load_error("- epochs\n- 3\n", ":1: expected a mapping of key: value lines, got a list");
  expect_load_error("just some text\n", "expected a mapping of key: value lines, got a scalar");
  expect_load_error("epochs: 1\n---\nepochs: 2\n", "expected one YAML document, found 2");
}

TEST(Config, DuplicateKeyIsAnError) {
  const std::string path = write_yaml("epochs: 3\ncycles: 2\nepochs: 4\n");
  EXPECT_EQ(error_of([&] { load_config_file(path); }),
            path + ":3: duplicate key 'epochs' (first set on line 1)");
}

TEST(Config, MissingFileIsAnError) {
  const std::string path = test_dir() + "/nope.yaml";
  EXPECT_NE(error_of([&] { load_config_file(path); }).find(path), std::string::npos);
}

TEST(Config, OverridesSetEveryKindOfValue) {
  TrainConfig c;
  apply_overrides(c, {"polyak=0.9", "hidden=[64,64]", "H=10", "epochs=3", "target_networks=false",
                      "her_strategy=none", "run_name=a=b", "seed=42", "buffer_size=1e5"});
  EXPECT_EQ(c.polyak, 0.9);
  EXPECT_EQ(c.hidden, (std::vector<int>{64, 64}));
  EXPECT_EQ(c.H, (std::vector<int>{10}));
  EXPECT_EQ(c.epochs, 3);
  EXPECT_FALSE(c.target_networks);
  EXPECT_EQ(c.her_strategy, HerStrategy::none);
  EXPECT_EQ(c.run_name, "a=b");
  EXPECT_EQ(c.seed, 42U);
  EXPECT_EQ(c.buffer_size, 100000);
  apply_override(c, "hidden=32, 16");
  EXPECT_EQ(c.hidden, (std::vector<int>{32, 16}));
  apply_override(c, "H=auto");
  EXPECT_FALSE(c.H.has_value());
  apply_override(c, "run_name=auto");
  EXPECT_FALSE(c.run_name.has_value());
  // A number means that number, 0 included (a myopic learner); auto is the named 1 - 1/T.
  apply_override(c, "gamma=0");
  EXPECT_EQ(c.gamma, 0.0);
  apply_override(c, "gamma= auto ");
  EXPECT_FALSE(c.gamma.has_value());
}

TEST(Config, OverrideErrorsNameTheOverrideAndKey) {
  EXPECT_EQ(override_error("tau=0.5"),
            "override 'tau=0.5': unknown key 'tau' (did you mean 'polyak'? polyak = 1 - tau)");
  EXPECT_EQ(override_error("epoch=5"), "override 'epoch=5': unknown key 'epoch' (did you mean 'epochs'?)");
  EXPECT_EQ(override_error("polyak=2"), "override 'polyak=2': polyak must be in [0, 1], got 2");
  EXPECT_EQ(override_error("polyak"), "override 'polyak': expected key=value");
  EXPECT_EQ(override_error("=3"), "override '=3': expected key=value (the key is empty)");
  EXPECT_EQ(override_error("epochs=abc"),
            "override 'epochs=abc': key 'epochs' expects an integer, got 'abc'");
  EXPECT_EQ(override_error("hidden=64,,64"),
            "override 'hidden=64,,64': key 'hidden' expects a list of integers, got item ''");
  EXPECT_EQ(override_error("hidden=64,"),
            "override 'hidden=64,': key 'hidden' expects a list of integers, got item ''");
}

TEST(Config, ApplyOverridesStopsAtTheFirstBadOne) {
  TrainConfig c;
  const std::string msg = error_of([&] { apply_overrides(c, {"epochs=3", "cycles=0", "batch_size=0"}); });
  EXPECT_EQ(msg, "override 'cycles=0': cycles must be >= 1, got 0");
  EXPECT_EQ(c.epochs, 3);
}

TEST(Config, ValidateChecksCrossKeyRules) {
  TrainConfig c;
  c.norm_init = NormInit::file;
  EXPECT_NE(error_of([&] { validate(c); }).find("norm_init=file needs norm_file"), std::string::npos);
  c.norm_file = "stats.bin";
  EXPECT_NO_THROW(validate(c));
  c.norm_init = NormInit::warmup;
  EXPECT_NE(error_of([&] { validate(c); }).find("norm_file is set but norm_init is 'warmup'"),
            std::string::npos);

  TrainConfig h;
  h.levels = 3;
  h.H = {10, 10};
  EXPECT_NO_THROW(validate(h));
  h.H = {10};
  EXPECT_NO_THROW(validate(h));
  h.H = std::nullopt;
  EXPECT_NO_THROW(validate(h));
  h.H = {10, 10, 10};
  EXPECT_EQ(error_of([&] { validate(h); }),
            "H has 3 entries; with levels=3 it needs 2 (one per level below the top) or 1 (used for every "
            "level), or auto (env default)");
  h.levels = 1;
  h.H = {10, 10};
  EXPECT_NE(error_of([&] { validate(h); }).find("H has 2 entries; with levels=1"), std::string::npos);
}

TEST(Config, ValidateChecksRangesOfConfigsBuiltInCode) {
  TrainConfig c;
  c.critic_lr = 0;
  EXPECT_EQ(error_of([&] { validate(c); }), "critic_lr must be > 0, got 0");
  c = TrainConfig{};
  c.subgoal = "";
  EXPECT_NE(error_of([&] { validate(c); }).find("subgoal must not be empty"), std::string::npos);
}

TEST(Config, LoadLeavesCrossKeyRulesToValidateSoOverridesCanFixThem) {
  TrainConfig c = load_config_file(write_yaml("norm_init: file\n"));
  EXPECT_THROW(validate(c), Error);
  apply_override(c, "norm_file=stats.bin");
  EXPECT_NO_THROW(validate(c));
}

TEST(Config, TextParsesLikeAFileAndNamesTheGivenPath) {
  EXPECT_EQ(parse_config_yaml("epochs: 7\n", "inline.yaml").epochs, 7);
  EXPECT_NE(error_of([&] { parse_config_yaml("a: 1\nepochs: [1\n", "inline.yaml"); }).find("inline.yaml:"),
            std::string::npos);
}

TEST(Config, TomlFilesAreRefusedWithAHint) {
  const std::string path = test_dir() + "/config.toml";
  io::write_file_atomic(path, "epochs = 3\n");
  EXPECT_EQ(error_of([&] { load_config_file(path); }),
            path + ": TOML is not supported; write the config as YAML (key: value lines)");
}

TEST(Config, ASubgoalSpaceNeedsAHierarchy) {
  TrainConfig c;
  c.subgoal = "3,4,5";
  EXPECT_EQ(error_of([&] { validate(c); }),
            "subgoal is '3,4,5' but levels=1 has no subgoals; set levels >= 2 or drop it");
  c.levels = 2;
  EXPECT_NO_THROW(validate(c));
  c.levels = 1;
  c.subgoal = "default";
  c.subgoal_high = std::vector<double>{1.5, 1.1, 0.45};
  EXPECT_EQ(error_of([&] { validate(c); }),
            "subgoal_low/subgoal_high are set but levels=1 has no subgoals; set levels >= 2 or drop them");
  c.subgoal_high.reset();
  c.subgoal_threshold = std::vector<double>{0.02};
  EXPECT_EQ(error_of([&] { validate(c); }),
            "subgoal_threshold is set but levels=1 has no subgoals; set levels >= 2 or drop it");
  c.subgoal_threshold.reset();
  c.subgoal_offset = std::vector<double>{0.1};
  EXPECT_EQ(error_of([&] { validate(c); }),
            "subgoal_offset is set but levels=1 has no subgoals; set levels >= 2 or drop it");
}

TEST(Config, SubgoalThresholdAndOffsetAreListsOfPositiveNumbersOrAuto) {
  using Key = std::optional<std::vector<double>> TrainConfig::*;
  for (const auto& [name, key] : {std::pair<std::string, Key>{"subgoal_threshold", &TrainConfig::subgoal_threshold},
                                  std::pair<std::string, Key>{"subgoal_offset", &TrainConfig::subgoal_offset}}) {
    SCOPED_TRACE(name);
    TrainConfig c;
    EXPECT_FALSE((c.*key).has_value()) << "auto by default (the env's thresholds; absolute subgoals)";
    apply_override(c, name + "=0.02");
    EXPECT_EQ(c.*key, (std::vector<double>{0.02}));
    apply_override(c, name + "=[0.02, 0.03, 0.01]");
    EXPECT_EQ(c.*key, (std::vector<double>{0.02, 0.03, 0.01}));
    apply_override(c, name + "=auto");
    EXPECT_FALSE((c.*key).has_value());
    EXPECT_EQ(override_error(name + "=[0.02, 0]"), "override '" + name + "=[0.02, 0]': " + name +
                                                       " must be auto or a non-empty list of values > 0, got [0.02, 0]");
  }
}

TEST(Config, NoiseStdIsAListPerLevelOrAuto) {
  TrainConfig c;
  EXPECT_FALSE(c.noise_std.has_value());
  apply_overrides(c, {"levels=2", "noise_std=[0.1]", "level1.noise_std=[0.02, 0.01]"});
  EXPECT_EQ(for_level(c, 0).noise_std, (std::vector<double>{0.1}));
  EXPECT_EQ(for_level(c, 1).noise_std, (std::vector<double>{0.02, 0.01}));
  EXPECT_EQ(override_error("noise_std=[0.1, -1]"), "override 'noise_std=[0.1, -1]': noise_std entries must be >= 0 (or be auto), got [0.1, -1]");
}

TEST(Config, SubgoalBoundsAreListsOfNumbersOrAuto) {
  TrainConfig c;
  EXPECT_FALSE(c.subgoal_low.has_value());
  apply_overrides(c, {"subgoal_low=[1.05, 0.4, 4e-1]", "subgoal_high=1.55,1.1,0.45"});
  EXPECT_EQ(c.subgoal_low, (std::vector<double>{1.05, 0.4, 0.4}));
  EXPECT_EQ(c.subgoal_high, (std::vector<double>{1.55, 1.1, 0.45}));
  apply_override(c, "subgoal_low=auto");
  EXPECT_FALSE(c.subgoal_low.has_value());
  EXPECT_EQ(override_error("subgoal_high=[1.5, high]"),
            "override 'subgoal_high=[1.5, high]': key 'subgoal_high' expects a list of finite numbers, got item 'high'");
  expect_load_error("subgoal_low: [1.0, .nan]\n", "key 'subgoal_low' expects a list of finite numbers, got item '.nan'");
}

TEST(Config, InputThatLoopsYamlCppIsASyntaxErrorAndReturns) {
  // Regression (found by fuzz_config): yaml-cpp 0.7 starts empty documents at a lone ',' forever,
  // allocating until memory runs out; these took 30 s and ended in "internal error: std::bad_alloc".
  EXPECT_NE(load_error(",").find(":1:1: YAML syntax error: unexpected ','"), std::string::npos);
  EXPECT_NE(load_error("epochs: 3\n,\n").find(":2:1: YAML syntax error"), std::string::npos);
  EXPECT_NE(load_error("- !+(.,.)\n").find("YAML syntax error"), std::string::npos);
  // Separate documents still count as such, and an explicit empty document is an empty config.
  EXPECT_NE(load_error("epochs: 1\n---\nepochs: 2\n---\n").find("found 3"), std::string::npos);
  EXPECT_EQ(load_config_file(write_yaml("---\n")), default_config());
}

}  // namespace
}  // namespace hindsight

namespace hindsight {

// workers = 0: each rank is one baselines worker; workers = W: the run's data is W workers' whatever the
// rank count, divided among the ranks; the run's test episodes are split with the remainder going first.
TEST(Config, RankShareDividesTheRunsDataAmongTheRanks) {
  TrainConfig c = default_config();
  c.episodes_per_cycle = 2;
  c.batch_size = 256;
  c.demo_batch_size = 128;
  c.test_episodes = 10;
  RankShare s = rank_share(c, 4);
  EXPECT_EQ(s.episodes_per_cycle, 2);
  EXPECT_EQ(s.batch_size, 256);
  EXPECT_EQ(s.demo_batch_size, 128);
  EXPECT_EQ(rank_test_episodes(c, 3, 4), 10);

  c.workers = 8;
  s = rank_share(c, 1);
  EXPECT_EQ(s.episodes_per_cycle, 16);
  EXPECT_EQ(s.batch_size, 2048);
  EXPECT_EQ(s.demo_batch_size, 1024);
  s = rank_share(c, 2);
  EXPECT_EQ(s.episodes_per_cycle, 8);
  EXPECT_EQ(s.batch_size, 1024);
  EXPECT_EQ(s.demo_batch_size, 512);
  EXPECT_EQ(s.buffer_size, 4 * c.buffer_size);
  c.test_episodes = 101;
  EXPECT_EQ(rank_test_episodes(c, 0, 2), 51);
  EXPECT_EQ(rank_test_episodes(c, 1, 2), 50);
  EXPECT_EQ(rank_test_episodes(c, 0, 1), 101);
  try {
    rank_share(c, 3);
    ADD_FAILURE() << "8 workers shared among 3 ranks";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "workers=8 cannot be shared among 3 ranks; use a rank count that divides it");
  }
}

TEST(Config, RanksKeyTakesACountOrAuto) {
  TrainConfig c = default_config();
  EXPECT_EQ(c.ranks, std::optional<int>(1));
  apply_override(c, "ranks=auto");
  EXPECT_FALSE(c.ranks.has_value());
  apply_override(c, "ranks=3");
  EXPECT_EQ(c.ranks, std::optional<int>(3));
  EXPECT_THROW(apply_override(c, "ranks=0"), Error);
  apply_override(c, "ranks=3");
  EXPECT_EQ(parse_config_yaml(to_yaml(c), "resolved.yaml").ranks, c.ranks);
}

}  // namespace hindsight

namespace hindsight {

// level<N>.<key> sets a learner key for one level; the key alone still sets every level; bad names,
// keys that cannot be per level and levels beyond the run's are refused in one line naming them.
TEST(Config, LearnerKeysCanBeGivenPerLevel) {
  TrainConfig c = default_config();
  c.levels = 2;
  apply_override(c, "actor_lr=0.002");
  apply_override(c, "level1.actor_lr=0.01");
  apply_override(c, "level1.hidden=[64,64]");
  apply_override(c, "level1.noise_eps=0.1");
  EXPECT_NO_THROW(validate(c));
  const TrainConfig l0 = for_level(c, 0), l1 = for_level(c, 1);
  EXPECT_EQ(l0.actor_lr, 0.002);
  EXPECT_EQ(l1.actor_lr, 0.01);
  EXPECT_EQ(l0.hidden, (std::vector<int>{256, 256, 256}));
  EXPECT_EQ(l1.hidden, (std::vector<int>{64, 64}));
  EXPECT_EQ(l1.noise_eps, 0.1);
  EXPECT_EQ(l0.noise_eps, c.noise_eps);
  EXPECT_TRUE(l1.level_values.empty());

  // The resolved config.yaml shows each level's values and reads back to the same config.
  const std::string yaml = to_yaml(c);
  EXPECT_NE(yaml.find("\nlevel1.actor_lr: 0.01\n"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("# level 1 only: actor Adam learning rate\n"), std::string::npos) << yaml;
  EXPECT_EQ(parse_config_yaml(yaml, "resolved.yaml"), c);
  // YAML files take the same names.
  const TrainConfig f = parse_config_yaml("levels: 2\nlevel1.critic_lr: 0.005\n", "f.yaml");
  EXPECT_EQ(for_level(f, 1).critic_lr, 0.005);

  const auto error_of = [](const std::function<void()>& fn) {
    try {
      fn();
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  TrainConfig bad = c;
  EXPECT_NE(error_of([&] { apply_override(bad, "level1.epochs=3"); }).find("'epochs' cannot be set per level"),
            std::string::npos);
  EXPECT_NE(error_of([&] { apply_override(bad, "level1.actor_lr=-1"); }).find("level1.actor_lr: actor_lr must be > 0"),
            std::string::npos);
  EXPECT_NE(error_of([&] { apply_override(bad, "levelx.actor_lr=1"); }).find("unknown key"), std::string::npos);
  apply_override(bad, "level2.actor_lr=0.1");
  EXPECT_NE(error_of([&] { validate(bad); }).find("level2.actor_lr names level 2, but levels=2"), std::string::npos);
  EXPECT_NE(error_of([&] { parse_config_yaml("level1.q_filter: maybe\n", "g.yaml"); }).find("g.yaml:1: "),
            std::string::npos);
}

}  // namespace hindsight
