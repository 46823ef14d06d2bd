// `hindsight train` and `hindsight eval` as a user runs them, bad input first.
#include <gtest/gtest.h>

#include <filesystem>

#include "hindsight/io/atomic_file.hpp"
#include "support/run_cli.hpp"

namespace hindsight::testing {
namespace {

namespace fs = std::filesystem;

std::string fresh(const std::string& name) {
  const std::string d = ::testing::TempDir() + "cmd_train_" + name;
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

const char* kTiny = " cycles=1 episodes_per_cycle=1 updates_per_cycle=2 batch_size=16 hidden=[8] test_episodes=1"
                    " norm_warmup_episodes=1 buffer_size=1000";

TEST(CliTrain, BadConfigIsOneLineAndCreatesNothing) {
  const std::string out = fresh("bad");
  const std::string yaml = out + "/bad.yaml";
  io::write_file_atomic(yaml, "epochs: 3\nbogus_key: 1\n");
  const std::string broken = out + "/broken.yaml";
  io::write_file_atomic(broken, "epochs: [1, 2\n");
  struct Case {
    std::string args, expect;
  };
  const Case cases[] = {
      {"train --env FetchReach tau=0.5", "unknown key 'tau'"},
      {"train --env FetchReach epochs=abc", "epochs"},
      {"train --env FetchReach actor_lr=-1", "actor_lr"},
      {"train --env FetchReach polyak=1.5", "polyak"},
      {"train --env FetchReach noequals", "noequals"},
      {"train --env NoSuchEnv", "NoSuchEnv"},
      {"train --config " + yaml, "bad.yaml:2"},
      {"train --config " + broken, "broken.yaml:"},
      {"train --config " + out + "/missing.yaml", "missing.yaml"},
      {"train --env FetchReach --levels 0", "levels"},
      {"train --env FetchReach norm_init=file", "norm_file"},
      {"train --resume " + out + "/nope", "no such directory"},
      {"train --resume " + out, "not a run directory"},
  };
  for (const auto& c : cases) {
    const bool resume = c.args.find("--resume") != std::string::npos;
    const auto r = run_cli(c.args + (resume ? "" : " --out " + out + "/runs"));
    EXPECT_NE(r.exit_code, 0) << c.args;
    EXPECT_EQ(line_count(r.err), 1) << c.args << ": " << r.err;
    EXPECT_NE(r.err.find(c.expect), std::string::npos) << c.args << ": " << r.err;
  }
  EXPECT_FALSE(fs::exists(out + "/runs")) << "a refused run must not create its directory";
  const auto r = run_cli("train --resume " + out + " --out elsewhere");
  EXPECT_NE(r.err.find("--resume takes no --out"), std::string::npos) << r.err;
}

TEST(CliTrain, TrainEvalAndResume) {
  const std::string out = fresh("ok");
  const auto t = run_cli(std::string("train --env FetchReach --epochs 1 --seed 3 run_name=r1") + kTiny + " --out " + out);
  ASSERT_EQ(t.exit_code, 0) << t.err;
  const std::string run = out + "/r1";
  EXPECT_EQ(last_line(t.out), "run: " + run);
  for (const char* f : {"/config.yaml", "/progress.csv", "/normalizer.json", "/checkpoints/latest.ckpt",
                        "/checkpoints/best.ckpt"}) {
    EXPECT_TRUE(fs::exists(run + f)) << f;
  }
  const auto e = run_cli("eval " + run + " --episodes 3");
  ASSERT_EQ(e.exit_code, 0) << e.err;
  EXPECT_EQ(last_line(e.out).rfind("success_rate=", 0), 0u) << e.out;
  const auto r = run_cli("train --resume " + run + " epochs=2");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string progress = io::read_file(run + "/progress.csv");
  EXPECT_EQ(line_count(progress), 3);  // header + epochs 1 and 2
}

TEST(CliEval, MissingOrCorruptCheckpointIsOneLine) {
  const std::string out = fresh("eval");
  const auto t = run_cli(std::string("train --env FetchReach --epochs 1 run_name=r") + kTiny + " --out " + out);
  ASSERT_EQ(t.exit_code, 0) << t.err;
  const std::string run = out + "/r";
  const std::string latest = run + "/checkpoints/latest.ckpt", previous = run + "/checkpoints/previous.ckpt";
  const std::string bytes = io::read_file(latest);
  // Truncated checkpoints (both, or resume would fall back to the good one).
  io::write_file_atomic(latest, bytes.substr(0, bytes.size() / 2));
  io::write_file_atomic(previous, bytes.substr(0, bytes.size() / 3));
  fs::remove(run + "/checkpoints/best.ckpt");
  auto r = run_cli("eval " + run + " --episodes 1");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_EQ(line_count(r.err), 1) << r.err;
  EXPECT_NE(r.err.find("latest.ckpt"), std::string::npos) << r.err;
  // Resume refuses it too and changes nothing.
  const std::string progress = io::read_file(run + "/progress.csv");
  r = run_cli("train --resume " + run);
  EXPECT_NE(r.exit_code, 0);
  EXPECT_EQ(line_count(r.err), 1) << r.err;
  EXPECT_NE(r.err.find("no usable checkpoint"), std::string::npos) << r.err;
  EXPECT_EQ(io::read_file(run + "/progress.csv"), progress);
  EXPECT_TRUE(io::read_file(latest) == bytes.substr(0, bytes.size() / 2));  // no dump of binary data
  // No checkpoint at all.
  fs::remove(latest);
  fs::remove(previous);
  r = run_cli("eval " + run);
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("no checkpoint"), std::string::npos) << r.err;
  // Not a run.
  r = run_cli("eval " + out);
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("not a run directory"), std::string::npos) << r.err;
}

// A run of a task file keeps a copy of the file and its scene: eval and --resume of the run still work once
// the originals are gone.
TEST(CliTrain, ATaskFileRunKeepsItsTaskAndOutlivesTheOriginals) {
  const std::string out = fresh("task_file");
  const std::string tasks = std::string(HINDSIGHT_CONFIGS_DIR) + "/tasks";
  fs::create_directories(out + "/mine");
  fs::copy_file(tasks + "/reacher2d.yaml", out + "/mine/reacher2d.yaml");
  fs::copy_file(tasks + "/reacher2d.xml", out + "/mine/reacher2d.xml");
  const auto r = run_cli("train --env '" + out + "/mine/reacher2d.yaml' --epochs 1 --out '" + out + "/runs'" + kTiny);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("a task file has no preset"), std::string::npos) << r.err;
  const std::string run = last_line(r.out).substr(5);
  EXPECT_EQ(fs::path(run).filename().string().rfind("Reacher2D-s0-", 0), 0u) << run;
  EXPECT_EQ(io::read_file(run + "/task/reacher2d.yaml"), io::read_file(tasks + "/reacher2d.yaml"));
  EXPECT_EQ(io::read_file(run + "/task/reacher2d.xml"), io::read_file(tasks + "/reacher2d.xml"));
  const auto before = run_cli("eval '" + run + "' --episodes 2");
  ASSERT_EQ(before.exit_code, 0) << before.err;
  fs::remove_all(out + "/mine");
  const auto after = run_cli("eval '" + run + "' --episodes 2");
  ASSERT_EQ(after.exit_code, 0) << after.err;
  EXPECT_EQ(after.out, before.out);
  const auto resumed = run_cli("train --resume '" + run + "' --epochs 2");
  EXPECT_EQ(resumed.exit_code, 0) << resumed.err;
  const auto env = run_cli("env '" + tasks + "/reacher2d.yaml' --json");
  ASSERT_EQ(env.exit_code, 0) << env.err;
  EXPECT_NE(env.out.find("\"env\":\"Reacher2D\""), std::string::npos) << env.out;
}

}  // namespace
}  // namespace hindsight::testing
