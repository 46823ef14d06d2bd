#include "hindsight/io/config_schema.hpp"

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
#include "hindsight/io/atomic_file.hpp"
#include "support/test_support.hpp"

namespace hindsight {
namespace {

using hindsight::testing::error_of;
using hindsight::testing::test_dir;

// A directory of the current test, emptied when the test first asks for it; one per test so that
// tests can run in parallel processes.
// Writes text to a new file of the current test's directory.
std::string write_yaml(const std::string& text) {
  static int n = 0;
  const std::string path = test_dir() + "/config" + std::to_string(++n) + ".yaml";
  io::write_file_atomic(path, text);
  return path;
}

TEST(ConfigSchema, OneFieldPerKeyInTheTablesOrderWithTypeAndDoc) {
  const auto& fields = config_schema::schema();
  ASSERT_FALSE(fields.empty());
  EXPECT_EQ(fields.front().name, "env");
  EXPECT_EQ(fields.back().name, "nan_policy");
  for (const auto& f : fields) {
    EXPECT_FALSE(f.type.empty()) << f.name;
    EXPECT_FALSE(f.doc.empty()) << f.name;
    EXPECT_EQ(config_schema::find_field(f.name), &f) << f.name;
  }
  EXPECT_EQ(config_schema::find_field("no_such_key"), nullptr);
}

TEST(ConfigSchema, FieldsParseCheckAndFormatTheirMember) {
  const auto* f = config_schema::find_field("batch_size");
  ASSERT_NE(f, nullptr);
  TrainConfig c;
  f->set(c, config_schema::Raw{config_schema::Raw::Kind::scalar, "64", {}});
  EXPECT_EQ(c.batch_size, 64);
  EXPECT_EQ(f->yaml_value(c), "64");
  EXPECT_NO_THROW(f->check(c));
  c.batch_size = 0;
  EXPECT_THROW(f->check(c), config_schema::FieldError);
  EXPECT_THROW(f->set(c, config_schema::Raw{config_schema::Raw::Kind::list, "", {"1"}}), config_schema::FieldError);
  EXPECT_EQ(config_schema::format_double(0.1), "0.1");
  EXPECT_EQ(config_schema::trim("  a b \t"), "a b");
}

// Every key set to a non-default value, with doubles and strings that are easy to get wrong.
TrainConfig unusual_config() {
  TrainConfig c;
  c.env = "FetchPush";
  c.seed = std::numeric_limits<std::uint64_t>::max();
  c.levels = 3;
  c.epochs = 1;
  c.cycles = 2;
  c.episodes_per_cycle = 3;
  c.updates_per_cycle = 0;
  c.batch_size = 1024;
  c.test_episodes = 0;
  c.buffer_size = std::numeric_limits<std::int64_t>::max();
  c.hidden = {1, 2147483647};
  c.actor_lr = 0.1;
  c.critic_lr = 1.0 / 3.0;
  c.gamma = 1.0 - 1.0 / 50.0;
  c.polyak = 0.0;
  c.target_networks = false;
  c.action_l2 = 1e-300;
  c.noise_eps = std::nextafter(1.0, 0.0);
  c.random_eps = 5e-324;  // smallest denormal
  c.her_strategy = HerStrategy::final;
  c.replay_k = 0;
  c.clip_obs = 1.7976931348623157e308;
  c.norm_init = NormInit::file;
  c.norm_warmup_episodes = 0;
  c.norm_file = "dir with spaces/\"quoted\" \\ back: slash #not-a-comment\ttab\nnewline é";
  c.norm_eps = 123456789.123456789;
  c.norm_clip = 2.5e-8;
  c.norm_freeze = true;
  c.torch_threads = 8;
  c.out = "yes";
  c.run_name = "123";
  c.plot_every = 5;
  c.H = {10, 20};
  c.subgoal_test_prob = 1.0;
  c.bounded_critic = false;
  c.drop_trivial_hindsight = true;
  c.train_to_limit = true;
  c.subgoal = "null";
  c.subgoal_low = std::vector<double>{1.05, -0.0, 1e-300};
  c.subgoal_high = std::vector<double>{};
  c.noise_std = std::vector<double>{0.02, 0.01};
  c.nan_policy = NanPolicy::skip;
  return c;
}

TEST(Config, ToYamlRoundTripsExactly) {
  for (const TrainConfig& c : {default_config(), unusual_config()}) {
    const std::string path = write_yaml(to_yaml(c));
    EXPECT_EQ(load_config_file(path), c) << to_yaml(c);
  }
}

TEST(Config, ToYamlRoundTripsRandomDoublesBitForBit) {
  std::mt19937_64 rng(1234);
  TrainConfig c;
  for (int i = 0; i < 200; ++i) {
    double x = 0;
    do {
      const std::uint64_t bits = rng() & ~(std::uint64_t{1} << 63);  // positive
      std::memcpy(&x, &bits, sizeof x);
    } while (!std::isfinite(x) || x == 0.0);
    c.actor_lr = x;
    c.polyak = std::ldexp(static_cast<double>(rng() >> 11), -53);  // uniform in [0, 1)
    const TrainConfig back = load_config_file(write_yaml(to_yaml(c)));
    ASSERT_EQ(back.actor_lr, c.actor_lr);
    ASSERT_EQ(back.polyak, c.polyak);
  }
}

TEST(Config, ToYamlPutsTheDocCommentAboveEveryKey) {
  const std::string yaml = to_yaml(default_config());
  std::istringstream in(yaml);
  std::string line, previous;
  int keys = 0;
  while (std::getline(in, line)) {
    if (!line.empty() && line[0] != '#') {
      ++keys;
      EXPECT_EQ(previous.rfind("# ", 0), 0U) << "no doc comment above: " << line;
    }
    previous = line;
  }
  EXPECT_NE(yaml.find("# actor Adam learning rate\nactor_lr: 0.001\n"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("\nhidden: [256, 256, 256]\n"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("\nenv: \"FetchPickAndPlace\"\n"), std::string::npos) << yaml;
  EXPECT_EQ(keys, 53);
}

TEST(Config, HelpHasOneLinePerKeyWithTypeDefaultAndDoc) {
  const std::string help = config_help();
  std::istringstream in(help);
  std::string line;
  int lines = 0;
  while (std::getline(in, line)) ++lines;
  EXPECT_EQ(lines, 53);
  for (const char* expected : {"  polyak ", " float ", " 0.95 ", "target averaging", "  her_strategy ",
                               "future|final|none", "  hidden ", "list<int>", "[256, 256, 256]", "  seed ",
                               "uint64", "  H ", "list<int>|auto", "  gamma ", "float|auto"}) {
    EXPECT_NE(help.find(expected), std::string::npos) << expected << "\n" << help;
  }
}

TEST(Config, EnumNamesMatchTheConfigSpelling) {
  EXPECT_EQ(to_string(HerStrategy::future), "future");
  EXPECT_EQ(to_string(HerStrategy::final), "final");
  EXPECT_EQ(to_string(HerStrategy::none), "none");
  EXPECT_EQ(to_string(NormInit::warmup), "warmup");
  EXPECT_EQ(to_string(NormInit::file), "file");
  EXPECT_EQ(to_string(NormInit::off), "off");
}

TEST(Config, NanPolicyParsesAndNamesItsChoices) {
  EXPECT_EQ(default_config().nan_policy, NanPolicy::stop);
  TrainConfig c;
  apply_override(c, "nan_policy=skip");
  EXPECT_EQ(c.nan_policy, NanPolicy::skip);
  EXPECT_EQ(to_string(c.nan_policy), "skip");
  EXPECT_NE(error_of([&] { apply_override(c, "nan_policy=ignore"); }).find("one of stop, skip"), std::string::npos);
}

}  // namespace
}  // namespace hindsight
