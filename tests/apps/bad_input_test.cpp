// A catalogue of bad input, each given to the CLI as a user would: the command must exit non-zero with
// exactly one line on stderr ("hindsight: ...") that says what is wrong and where, print nothing on
// stdout, and leave every existing file (and the directory listing) exactly as it was.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "hindsight/io/atomic_file.hpp"
#include "hindsight/io/checkpoint.hpp"
#include "hindsight/io/run_dir.hpp"
#include "hindsight/learn/normalizer.hpp"
#include "support/child_process.hpp"
#include "support/run_cli.hpp"

namespace hindsight::testing {
namespace {

namespace fs = std::filesystem;

// Every file's bytes and every directory under root, by relative path.
std::map<std::string, std::string> snapshot(const std::string& root) {
  std::map<std::string, std::string> s;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    const std::string rel = fs::relative(e.path(), root).string();
    s[rel] = e.is_directory() ? std::string("<dir>") : io::read_file(e.path().string());
  }
  return s;
}

// Paths that differ between two snapshots (added, removed or changed), for the failure message.
std::string differences(const std::map<std::string, std::string>& a,
                        const std::map<std::string, std::string>& b) {
  std::string d;
  for (const auto& [path, bytes] : a) {
    const auto it = b.find(path);
    if (it == b.end())
      d += " removed:" + path;
    else if (it->second != bytes)
      d += " changed:" + path;
  }
  for (const auto& [path, bytes] : b) {
    if (!a.count(path)) d += " added:" + path;
  }
  return d;
}

std::string write(const std::string& dir, const std::string& name, const std::string& text) {
  io::write_file_atomic(dir + "/" + name, text);
  return dir + "/" + name;
}

// Copies a fixture run into dir/run.
std::string copy_run(const std::string& fixture, const std::string& dir) {
  fs::copy(fixture, dir + "/run", fs::copy_options::recursive);
  return dir + "/run";
}

// Rewrites a checkpoint's format section (valid checksums, wrong content).
void edit_format(const std::string& path, const std::function<void(nlohmann::json&)>& edit) {
  io::Checkpoint c = io::Checkpoint::read(path);
  nlohmann::json f = nlohmann::json::parse(c.get("format"));
  edit(f);
  c.set("format", f.dump());
  c.write(path);
}

// A statistics file as `train` writes it (normalizer.json), with obs_dims observation dims per level.
nlohmann::json normalizers(std::size_t levels, std::size_t obs_dims) {
  nlohmann::json j{{"format", "hindsight-normalizers"}, {"version", 1}, {"levels", nlohmann::json::array()}};
  for (std::size_t i = 0; i < levels; ++i) {
    learn::Normalizer obs(obs_dims), goal(3);
    obs.update(std::vector<double>(obs_dims, 1.0));
    goal.update(std::vector<double>(3, 1.0));
    j["levels"].push_back({{"obs", obs.to_json()}, {"goal", goal.to_json()}});
  }
  return j;
}

struct Case {
  std::string name;
  // Prepares its input in the case's directory and returns the arguments.
  std::function<std::vector<std::string>(const std::string& dir)> prepare;
  std::vector<std::string> expect;  // each must appear in the error line
  ChildOptions options = {};
  bool needs_non_root = false;  // permission bits do not stop root
};

const std::vector<std::string> kTiny = {
    "cycles=1",   "episodes_per_cycle=1", "updates_per_cycle=2",    "batch_size=16",
    "hidden=[8]", "test_episodes=1",      "norm_warmup_episodes=1", "buffer_size=1000"};

std::vector<std::string> train(const std::string& dir, std::vector<std::string> extra) {
  std::vector<std::string> a{"train", "--env", "FetchReach", "--epochs", "1", "--out", dir + "/runs"};
  a.insert(a.end(), kTiny.begin(), kTiny.end());
  a.insert(a.end(), extra.begin(), extra.end());
  return a;
}

std::vector<std::string> with_config(const std::string& dir, const std::string& name,
                                     const std::string& text) {
  return {"train", "--config", write(dir, name, text), "--out", dir + "/runs"};
}

// A small valid task file and scene; bad_task edits one piece of either.
const std::string kTaskScene = R"(<mujoco>
  <worldbody>
    <body name="arm">
      <joint name="hinge" type="hinge" axis="0 0 1"/>
      <geom type="capsule" fromto="0 0 0 0.1 0 0" size="0.01"/>
      <site name="tip" pos="0.1 0 0"/>
    </body>
  </worldbody>
  <actuator><position name="servo" joint="hinge" kp="5"/></actuator>
</mujoco>
)";
const std::string kTaskFile = R"(scene: arm.xml
action:
  - actuators: [servo]
    mode: relative
observation:
  - qpos: [hinge]
  - site_pos: tip
achieved_goal: {site: tip}
goal:
  low: [-0.1, -0.1, 0]
  high: [0.1, 0.1, 0]
)";

std::string edited(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

// `train --env DIR/task.yaml` for the task file and scene given.
std::vector<std::string> with_task(const std::string& dir, const std::string& task, const std::string& scene) {
  write(dir, "arm.xml", scene);
  auto a = train(dir, {});
  a[2] = write(dir, "task.yaml", task);
  return a;
}

std::vector<std::string> with_norm_file(const std::string& dir, const std::string& text) {
  return train(dir, {"norm_init=file", "norm_file=" + write(dir, "norm.json", text)});
}

TEST(BadInput, EachIsRefusedWithOneLineAndChangesNothing) {
  const std::string work = ::testing::TempDir() + "bad_input";
  fs::remove_all(work);
  const std::string scratch = work + "/scratch", fixtures = work + "/fixtures";
  fs::create_directories(scratch);
  fs::create_directories(fixtures);
  // Two finished runs: the one most cases damage a copy of, and one with other network sizes.
  std::vector<std::string> a = train(fixtures, {"run_name=run", "--epochs", "2"});
  a[6] = fixtures;
  ASSERT_EQ(run_hindsight(a, scratch).exit_code, 0);
  std::vector<std::string> b = train(fixtures, {"run_name=small", "hidden=[4]"});
  b[6] = fixtures;
  ASSERT_EQ(run_hindsight(b, scratch).exit_code, 0);
  const std::string fixture = fixtures + "/run", small = fixtures + "/small";
  // The full-disk resume case needs the first write (progress.csv) to exceed its 200-byte limit.
  ASSERT_GT(io::read_file(fixture + "/progress.csv").size(), 200u);

  const std::vector<Case> cases = {
      // Config files.
      {"yaml unclosed list",
       [](auto d) { return with_config(d, "cfg.yaml", "epochs: [1, 2\n"); },
       {"cfg.yaml:", "YAML syntax error"}},
      {"yaml bad indentation",
       [](auto d) { return with_config(d, "cfg.yaml", "epochs: 3\n  cycles: 2\n"); },
       {"cfg.yaml:2:", "YAML syntax error"}},
      {"toml file",
       [](auto d) { return with_config(d, "cfg.toml", "epochs = 3\n[env]\nname = 'x'\n"); },
       {"cfg.toml: TOML is not supported"}},
      {"toml text in a yaml file",
       [](auto d) { return with_config(d, "cfg.yaml", "epochs = 3\n"); },
       {"cfg.yaml:1:", "expected a mapping"}},
      {"unknown key",
       [](auto d) { return with_config(d, "cfg.yaml", "epochs: 3\nbogus: 1\n"); },
       {"cfg.yaml:2:", "unknown key 'bogus'"}},
      {"baselines key name",
       [](auto d) { return with_config(d, "cfg.yaml", "n_epochs: 3\n"); },
       {"cfg.yaml:1:", "did you mean 'epochs'"}},
      {"wrong type",
       [](auto d) { return with_config(d, "cfg.yaml", "epochs: three\n"); },
       {"cfg.yaml:1:", "key 'epochs' expects"}},
      {"list for a number",
       [](auto d) { return with_config(d, "cfg.yaml", "batch_size: [1, 2]\n"); },
       {"cfg.yaml:1:", "got a list"}},
      {"mapping for a list",
       [](auto d) { return with_config(d, "cfg.yaml", "hidden: {a: 1}\n"); },
       {"cfg.yaml:1:", "got a mapping"}},
      {"out of range",
       [](auto d) { return with_config(d, "cfg.yaml", "env: FetchReach\npolyak: 1.5\n"); },
       {"cfg.yaml:2:", "polyak must be in [0, 1]"}},
      {"empty hidden list",
       [](auto d) { return with_config(d, "cfg.yaml", "hidden: []\n"); },
       {"cfg.yaml:1:", "hidden must be a non-empty list"}},
      {"duplicate key",
       [](auto d) { return with_config(d, "cfg.yaml", "epochs: 1\nepochs: 2\n"); },
       {"cfg.yaml:2:", "duplicate key 'epochs'"}},
      {"two documents",
       [](auto d) { return with_config(d, "cfg.yaml", "epochs: 1\n---\nepochs: 2\n"); },
       {"cfg.yaml: expected one YAML document"}},
      {"binary garbage",
       [](auto d) { return with_config(d, "cfg.yaml", std::string("\x7f\x00\xff\xfe:[", 6)); },
       {"cfg.yaml"}},
      {"missing config file",
       [](auto d) {
         return std::vector<std::string>{"train", "--config", d + "/no.yaml"};
       },
       {"cannot read", "no.yaml"}},
      {"config is a directory",
       [](auto d) {
         return std::vector<std::string>{"train", "--config", d};
       },
       {"it is a directory"}},
      // Flags and overrides.
      {"unknown flag",
       [](auto d) {
         return train(d, {"--epoch", "3"});
       },
       {"unknown flag --epoch"}},
      {"flag without value", [](auto d) { return train(d, {"--seed"}); }, {"flag --seed needs a value"}},
      {"flag not a number",
       [](auto d) {
         return train(d, {"--epochs", "abc"});
       },
       {"'epochs=abc'", "expects"}},
      {"negative seed",
       [](auto d) {
         return train(d, {"--seed", "-1"});
       },
       {"seed", "-1"}},
      {"override without =",
       [](auto d) { return train(d, {"noequals"}); },
       {"override 'noequals': expected key=value"}},
      {"override typo",
       [](auto d) { return train(d, {"epoch=3"}); },
       {"unknown key 'epoch' (did you mean 'epochs'?)"}},
      {"unknown env",
       [](auto d) {
         return train(d, {"--env", "NoSuchEnv"});
       },
       {"unknown env 'NoSuchEnv'"}},
      {"zero levels",
       [](auto d) {
         return train(d, {"--levels", "0"});
       },
       {"levels must be >= 1"}},
      {"norm_init=file without a file",
       [](auto d) { return train(d, {"norm_init=file"}); },
       {"norm_init=file needs norm_file"}},
      {"unknown nan_policy",
       [](auto d) { return train(d, {"nan_policy=maybe"}); },
       {"nan_policy", "one of stop, skip"}},
      {"subgoal space without hierarchy",
       [](auto d) { return train(d, {"subgoal=3,4,5"}); },
       {"subgoal is '3,4,5' but levels=1"}},
      {"subgoal bounds that do not fit the subgoal space",
       [](auto d) { return train(d, {"--levels", "2", "subgoal_high=[1.5, 1.1]"}); },
       {"subgoal_high has 2 values but the FetchReach subgoal space has 3 dimensions"}},
      {"run_name with a slash",
       [](auto d) { return train(d, {"run_name=a/b"}); },
       {"run_name 'a/b' must be a plain directory name"}},
      // Task files (docs/tasks.md).
      {"task file naming a site the scene lacks",
       [](auto d) { return with_task(d, edited(kTaskFile, "site_pos: tip", "site_pos: finger"), kTaskScene); },
       {"task.yaml:7: key 'observation[1].site_pos': the scene has no site 'finger'"}},
      {"task file with an achieved goal on a missing body",
       [](auto d) { return with_task(d, edited(kTaskFile, "{site: tip}", "{body: hand}"), kTaskScene); },
       {"task.yaml:8: key 'achieved_goal': the scene has no body 'hand'"}},
      {"task file with a goal box of the wrong dimension",
       [](auto d) { return with_task(d, edited(kTaskFile, "low: [-0.1, -0.1, 0]", "low: [-0.1, -0.1]"), kTaskScene); },
       {"task.yaml:10: key 'goal.low': expects 3 values, got 2"}},
      {"task file with an empty goal box",
       [](auto d) { return with_task(d, edited(kTaskFile, "high: [0.1, 0.1, 0]", "high: [0.1, -0.2, 0]"), kTaskScene); },
       {"task.yaml:10: key 'goal': empty goal box: low[1]"}},
      {"task file whose scene MuJoCo rejects",
       [](auto d) { return with_task(d, kTaskFile, edited(kTaskScene, "type=\"hinge\"", "type=\"hinged\"")); },
       {"task.yaml:1: key 'scene': MuJoCo could not compile"}},
      {"task file whose scene is missing",
       [](auto d) {
         auto a = with_task(d, kTaskFile, kTaskScene);
         fs::remove(d + "/arm.xml");
         return a;
       },
       {"task.yaml:1: key 'scene': cannot read", "arm.xml"}},
      {"task file with an unknown key",
       [](auto d) { return with_task(d, edited(kTaskFile, "\ngoal:", "\ngoal_box:"), kTaskScene); },
       {"task.yaml:9: key 'goal_box': unknown key"}},
      {"missing task file",
       [](auto d) {
         auto a = train(d, {});
         a[2] = d + "/tasks/none.yaml";
         return a;
       },
       {"cannot read", "none.yaml"}},
      {"eval goal of the wrong dimension",
       [&](auto d) {
         return std::vector<std::string>{"eval", copy_run(fixture, d), "--goal", "1.3,0.7"};
       },
       {"--goal '1.3,0.7': 2 values, the task's goals have 3"}},
      {"eval goals file with a bad line",
       [&](auto d) {
         return std::vector<std::string>{"eval", copy_run(fixture, d), "--goals",
                                         write(d, "goals.txt", "1.3,0.7,0.5\n1.3,abc,0.5\n")};
       },
       {"goals.txt:2: 'abc' is not a finite number"}},
      // Normalizer statistics files.
      {"normalizer not json",
       [](auto d) { return with_norm_file(d, "{\"format\": "); },
       {"norm.json: not valid JSON"}},
      {"normalizer of another env",
       [](auto d) { return with_norm_file(d, normalizers(1, 25).dump()); },
       {"norm.json (level 0): obs has 25 dims, the env has 10"}},
      {"normalizer with NaN",
       [](auto d) {
         auto j = normalizers(1, 10);
         j["levels"][0]["obs"]["mean"][1] = nullptr;  // how JSON writers spell NaN
         return with_norm_file(d, j.dump());
       },
       {"norm.json (level 0) obs: mean[1] is null"}},
      {"normalizer with negative count",
       [](auto d) {
         auto j = normalizers(1, 10);
         j["levels"][0]["goal"]["count"] = -5;
         return with_norm_file(d, j.dump());
       },
       {"norm.json (level 0) goal: count is negative"}},
      {"normalizer with two levels",
       [](auto d) { return with_norm_file(d, normalizers(2, 10).dump()); },
       {"norm.json: holds 2 level(s), the agent has 1"}},
      {"normalizer of another format",
       [](auto d) { return with_norm_file(d, "{\"format\": \"csv\"}"); },
       {"norm.json: not a hindsight normalizer file"}},
      // Checkpoints and run directories.
      {"resume with truncated checkpoints",
       [&](auto d) {
         const std::string run = copy_run(fixture, d);
         for (const char* f : {"/checkpoints/latest.ckpt", "/checkpoints/previous.ckpt"}) {
           const std::string bytes = io::read_file(run + f);
           io::write_file_atomic(run + f, bytes.substr(0, bytes.size() - 100));
         }
         return std::vector<std::string>{"train", "--resume", run};
       },
       {"no usable checkpoint", "latest.ckpt: truncated", "previous.ckpt: truncated"}},
      {"resume with checkpoints of another env",
       [&](auto d) {
         const std::string run = copy_run(fixture, d);
         for (const char* f : {"/checkpoints/latest.ckpt", "/checkpoints/previous.ckpt"}) {
           edit_format(run + f, [](nlohmann::json& j) { j["env"] = "FetchPush"; });
         }
         return std::vector<std::string>{"train", "--resume", run};
       },
       {"checkpoint is for env FetchPush, the run uses FetchReach"}},
      {"resume with checkpoints of another level count",
       [&](auto d) {
         const std::string run = copy_run(fixture, d);
         for (const char* f : {"/checkpoints/latest.ckpt", "/checkpoints/previous.ckpt"}) {
           edit_format(run + f, [](nlohmann::json& j) { j["levels"] = 2; });
         }
         return std::vector<std::string>{"train", "--resume", run};
       },
       {"checkpoint has 2 level(s), the run uses 1"}},
      {"eval of a file that is no checkpoint",
       [&](auto d) {
         return std::vector<std::string>{"eval", copy_run(fixture, d), "--checkpoint",
                                         write(d, "x.ckpt", "PK\x03\x04")};
       },
       {"x.ckpt: not a hindsight checkpoint"}},
      {"eval of a checkpoint with one flipped byte",
       [&](auto d) {
         const std::string run = copy_run(fixture, d);
         std::string bytes = io::read_file(run + "/checkpoints/latest.ckpt");
         bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x10);
         return std::vector<std::string>{"eval", run, "--checkpoint", write(d, "flipped.ckpt", bytes)};
       },
       {"flipped.ckpt: checksum mismatch"}},
      {"eval of a checkpoint with other network sizes",
       [&](auto d) {
         return std::vector<std::string>{"eval", copy_run(fixture, d), "--checkpoint",
                                         small + "/checkpoints/latest.ckpt"};
       },
       {"ddpg checkpoint: saved networks", "do not match this learner"}},
      {"resume with a damaged progress.csv",
       [&](auto d) {
         const std::string run = copy_run(fixture, d);
         const std::string csv = io::read_file(run + "/progress.csv");
         io::write_file_atomic(run + "/progress.csv", csv + "3,abc\n");
         return std::vector<std::string>{"train", "--resume", run};
       },
       {"progress.csv:4:"}},
      {"resume with rows missing from progress.csv",
       [&](auto d) {
         const std::string run = copy_run(fixture, d);
         const std::string csv = io::read_file(run + "/progress.csv");
         io::write_file_atomic(run + "/progress.csv", csv.substr(0, csv.find('\n') + 1));
         return std::vector<std::string>{"train", "--resume", run};
       },
       {"progress.csv: the log ends before any epoch", "rows would be missing"}},
      {"resume with a damaged config.yaml",
       [&](auto d) {
         const std::string run = copy_run(fixture, d);
         io::write_file_atomic(run + "/config.yaml", io::read_file(run + "/config.yaml") + "tau: 0.05\n");
         return std::vector<std::string>{"train", "--resume", run};
       },
       {"config.yaml:", "unknown key 'tau'"}},
      {"resume changing another key",
       [&](auto d) {
         return std::vector<std::string>{"train", "--resume", copy_run(fixture, d), "actor_lr=0.5"};
       },
       {"only epochs=N may be overridden"}},
      {"resume with --out",
       [&](auto d) {
         return std::vector<std::string>{"train", "--resume", copy_run(fixture, d), "--out", d};
       },
       {"--resume takes no --out"}},
      {"resume of a missing directory",
       [](auto d) {
         return std::vector<std::string>{"train", "--resume", d + "/nope"};
       },
       {"no such directory"}},
      {"eval of something that is no run",
       [](auto d) {
         return std::vector<std::string>{"eval", d};
       },
       {"not a run directory (no config.yaml)"}},
      {"eval with zero episodes",
       [&](auto d) {
         return std::vector<std::string>{"eval", copy_run(fixture, d), "--episodes", "0"};
       },
       {"--episodes must be in [1, "}},
      {"env command with an unknown env",
       [](auto) {
         return std::vector<std::string>{"env", "Bogus"};
       },
       {"unknown env 'Bogus'"}},
      // The file system.
      {"out is a regular file",
       [](auto d) {
         auto a = train(d, {});
         a[6] = write(d, "file", "x");
         return a;
       },
       {"cannot create run directory under"}},
      {"out below a regular file",
       [](auto d) {
         auto a = train(d, {});
         a[6] = write(d, "file", "x") + "/runs";
         return a;
       },
       {"cannot create run directory under"}},
      {"unwritable out directory",
       [](auto d) {
         fs::create_directory(d + "/ro");
         fs::permissions(d + "/ro", fs::perms::owner_read | fs::perms::owner_exec);
         auto a = train(d, {});
         a[6] = d + "/ro";
         return a;
       },
       {"cannot create run directory", "Permission denied"},
       {},
       true},
      {"full disk when a run starts",
       [](auto d) {
         fs::create_directory(d + "/runs");  // exists already: the snapshot covers it
         return train(d, {});
       },
       {"cannot write", "config.yaml", "File too large"},
       {{}, 1024}},
      {"full disk when a run resumes",
       [&](auto d) {
         return std::vector<std::string>{"train", "--resume", copy_run(fixture, d), "--epochs", "3"};
       },
       {"cannot write", "progress.csv", "File too large"},
       {{}, 200}},
  };

  ASSERT_GE(cases.size(), 30u);
  int skipped = 0;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const Case& c = cases[i];
    if (c.needs_non_root && ::geteuid() == 0) {
      std::printf("skipped '%s': permission bits do not stop root\n", c.name.c_str());
      ++skipped;
      continue;
    }
    const std::string dir = work + "/case" + std::to_string(i);
    fs::create_directories(dir);
    const auto args = c.prepare(dir);
    const auto before = snapshot(dir);
    const ChildResult r = run_hindsight(args, scratch, c.options);
    EXPECT_NE(r.exit_code, 0) << c.name;
    EXPECT_EQ(line_count(r.err), 1) << c.name << ": " << r.err;
    EXPECT_EQ(r.err.rfind("hindsight: ", 0), 0u) << c.name << ": " << r.err;
    for (const auto& e : c.expect) EXPECT_NE(r.err.find(e), std::string::npos) << c.name << ": " << r.err;
    EXPECT_EQ(r.out, "") << c.name;
    std::printf("%-48s %s", (c.name + ":").c_str(), r.err.c_str());
    const auto after = snapshot(dir);
    EXPECT_TRUE(after == before) << c.name << ":" << differences(before, after);
  }
  std::printf("%zu bad inputs refused, %d skipped\n", cases.size() - skipped, skipped);
}

TEST(BadInput, ARunInUseIsNotResumedByASecondTrainer) {
  const std::string work = ::testing::TempDir() + "bad_input_busy";
  fs::remove_all(work);
  fs::create_directories(work);
  std::vector<std::string> a = train(work, {"run_name=run"});
  ASSERT_EQ(run_hindsight(a, work).exit_code, 0);
  const std::string run = work + "/runs/run";
  const auto before = snapshot(run);
  const io::RunLock held(run);  // as a trainer still running in it would
  const ChildResult r = run_hindsight({"train", "--resume", run, "--epochs", "2"}, work);
  EXPECT_NE(r.exit_code, 0);
  EXPECT_EQ(line_count(r.err), 1) << r.err;
  EXPECT_NE(r.err.find("is in use by another hindsight process"), std::string::npos) << r.err;
  EXPECT_TRUE(snapshot(run) == before) << differences(before, snapshot(run));
}

}  // namespace
}  // namespace hindsight::testing
