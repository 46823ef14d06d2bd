// The command line itself, as a user types it: help, usage errors, flag forms and the one-line refusals.
#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "support/run_cli.hpp"

namespace hindsight::testing {
namespace {

TEST(CmdLine, HelpListsTheCommandsOnStdout) {
  for (const char* args : {"--help", "-h"}) {
    const auto r = run_cli(args);
    EXPECT_EQ(r.exit_code, 0) << args;
    EXPECT_EQ(r.err, "") << args;
    EXPECT_NE(r.out.find("Usage: hindsight"), std::string::npos) << r.out;
    for (const char* command : {"train", "eval", "record", "plot", "env"}) {
      EXPECT_NE(r.out.find(std::string("\n  ") + command + " "), std::string::npos) << command << "\n" << r.out;
    }
  }
}

TEST(CmdLine, TrainHelpShowsTheFlagsThenTheConfigKeys) {
  const auto r = run_cli("train --help");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_NE(r.out.find("Usage: hindsight train [OPTIONS] [key=value ...]"), std::string::npos) << r.out;
  const auto flags = r.out.find("--resume RUN_DIR"), keys = r.out.find("config keys:");
  ASSERT_NE(flags, std::string::npos) << r.out;
  ASSERT_NE(keys, std::string::npos) << r.out;
  EXPECT_LT(flags, keys) << r.out;
  for (const char* flag : {"--config FILE", "--env NAME", "--levels K", "--epochs N", "--seed S", "--out DIR"}) {
    EXPECT_NE(r.out.find(flag), std::string::npos) << flag;
  }
  EXPECT_NE(r.out.find("\n  polyak ", keys), std::string::npos) << "a config key in the table";
}

TEST(CmdLine, EachCommandHasItsOwnHelp) {
  const std::pair<const char*, const char*> cases[] = {
      {"eval", "--checkpoint best|latest|PATH"}, {"record", "--no-shadows"}, {"plot", "--smooth W"},
      {"env", "--scripted"}};
  for (const auto& [command, flag] : cases) {
    const auto r = run_cli(std::string(command) + " --help");
    EXPECT_EQ(r.exit_code, 0) << command << ": " << r.err;
    EXPECT_NE(r.out.find(std::string("Usage: hindsight ") + command), std::string::npos) << r.out;
    EXPECT_NE(r.out.find(flag), std::string::npos) << command << "\n" << r.out;
  }
}

TEST(CmdLine, NoCommandOrAnUnknownOneIsAUsageError) {
  const auto none = run_cli("");
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_EQ(none.out, "");
  EXPECT_NE(none.err.find("Usage: hindsight"), std::string::npos) << none.err;
  for (const char* args : {"bogus", "--bogus", "bogus train"}) {
    const auto r = run_cli(args);
    EXPECT_EQ(r.exit_code, 2) << args;
    EXPECT_EQ(r.out, "") << args;
    EXPECT_EQ(line_count(r.err), 1) << args << ": " << r.err;
    EXPECT_EQ(r.err.rfind("hindsight: unknown command '", 0), 0u) << args << ": " << r.err;
  }
}

TEST(CmdLine, ValuesMayFollowAnEqualsSignAndTheLastOneWins) {
  const auto spaced = run_cli("env FetchReach --seed 3 --json");
  ASSERT_EQ(spaced.exit_code, 0) << spaced.err;
  EXPECT_EQ(run_cli("env FetchReach --seed=3 --json").out, spaced.out);
  EXPECT_EQ(run_cli("env FetchReach --seed 1 --seed 3 --json").out, spaced.out);
  EXPECT_NE(run_cli("env FetchReach --seed 1 --json").out, spaced.out);
}

TEST(CmdLine, BadFlagsAreOneLineInTheCliWording) {
  const std::pair<const char*, const char*> cases[] = {
      {"env FetchReach --bogus", "hindsight: unknown flag --bogus"},
      {"plot -x", "hindsight: unknown flag -x"},
      {"eval somewhere --episodes 3 --epochs=2", "hindsight: unknown flag --epochs=2"},
      {"env FetchReach --scripted --episodes", "hindsight: flag --episodes needs a value"},
      {"env FetchReach --json=yes", "hindsight: flag --json takes no value"},
      {"env FetchReach --scripted --episodes 2x", "hindsight: --episodes expects an integer, got '2x'"},
      {"env FetchReach --seed=-3", "hindsight: --seed expects a non-negative integer, got '-3'"},
      {"env FetchReach --scripted --episodes 0", "hindsight: --episodes must be in [1, 1000000], got 0"},
      {"eval a b", "hindsight: eval expects one run directory"},
      {"env FetchReach FetchPush", "hindsight: env expects one env name"},
  };
  for (const auto& [args, message] : cases) {
    const auto r = run_cli(args);
    EXPECT_EQ(r.exit_code, 1) << args;
    EXPECT_EQ(r.out, "") << args;
    EXPECT_EQ(line_count(r.err), 1) << args << ": " << r.err;
    EXPECT_EQ(r.err.rfind(message, 0), 0u) << args << ": " << r.err;
  }
}

}  // namespace
}  // namespace hindsight::testing
