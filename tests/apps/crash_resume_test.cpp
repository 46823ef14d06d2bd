// `hindsight train` killed with SIGKILL at random moments and resumed, twenty times: every checkpoint on
// disk stays readable, progress.csv and the TensorBoard events never hold an epoch twice or skip one, and
// the finished run equals one that was never interrupted.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "hindsight/io/checkpoint.hpp"
#include "hindsight/io/metrics_log.hpp"
#include "hindsight/io/run_dir.hpp"
#include "support/child_process.hpp"
#include "support/progress_rows.hpp"
#include "support/run_cli.hpp"
#include "support/tb_records.hpp"

namespace hindsight::testing {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr int kKills = 20;
// More epochs than twenty short launches can finish on any machine, so every launch is killed; the run is
// then finished with a lower epochs=N.
constexpr int kEpochs = 1000;

// A tiny FetchReach run; the replay buffer keeps every episode, so checkpoints grow to ~1 MB and their
// writes take a noticeable share of each epoch.
std::vector<std::string> train_args(const std::string& out, const std::string& name, int epochs) {
  return {"train",
          "--env",
          "FetchReach",
          "--epochs",
          std::to_string(epochs),
          "--seed",
          "5",
          "--out",
          out,
          "run_name=" + name,
          "cycles=2",
          "episodes_per_cycle=1",
          "updates_per_cycle=2",
          "batch_size=16",
          "hidden=[8]",
          "test_episodes=1",
          "norm_warmup_episodes=2",
          "buffer_size=100000"};
}

// The epochs column of progress.csv.
std::vector<double> epochs_of(const std::string& progress) {
  const auto t = io::read_csv(progress);
  std::vector<double> e;
  for (const auto& row : t.rows) e.push_back(row[t.column("epoch")]);
  return e;
}

bool has_temporary(const std::string& dir) {
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (e.path().filename().string().find(".tmp.") != std::string::npos) return true;
  }
  return false;
}

// Waits until the launch writing `err` has printed its "run directory:" line (training starts), at most
// `limit` after `since`.
void wait_for_run_directory_line(const std::string& err, Clock::time_point since, std::chrono::seconds limit) {
  while (slurp(err).find("run directory:") == std::string::npos && Clock::now() - since < limit) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

TEST(CrashResume, TwentySigkillsAtRandomMomentsLoseAndRepeatNothing) {
  const std::string out = ::testing::TempDir() + "crash_resume";
  fs::remove_all(out);
  fs::create_directories(out);
  const std::string logs = out + "/logs";
  fs::create_directories(logs);

  // A short run measures this machine: the time until training starts (the "run directory:" line) and the
  // time per epoch, checkpoint writes included.
  constexpr int kCalibration = 6;
  const auto t0 = Clock::now();
  const pid_t cal =
      spawn_hindsight(train_args(out, "cal", kCalibration), logs + "/cal.out", logs + "/cal.err");
  wait_for_run_directory_line(logs + "/cal.err", t0, std::chrono::seconds(60));
  const double startup = std::chrono::duration<double>(Clock::now() - t0).count();
  ASSERT_EQ(wait_for(cal), 0) << slurp(logs + "/cal.err");
  const double epoch_time =
      (std::chrono::duration<double>(Clock::now() - t0).count() - startup) / kCalibration;

  // Kill moments from a fixed seed: half in the second half of start-up (run directory creation, warm-up,
  // the epoch-0 checkpoint), half in the first few epochs (epoch boundaries, progress rows, checkpoint
  // writes). The latter count from the launch's own "run directory:" line, so a machine that slows down
  // after the calibration (other tests starting beside this one) shifts them with it instead of killing
  // every launch before the run exists.
  std::mt19937 rng(20240607);
  std::bernoulli_distribution during_startup(0.5);
  std::uniform_real_distribution<double> into_startup(0.5 * startup, startup), into_run(0.0, 4.0 * epoch_time);
  const std::string run = out + "/r";
  const io::RunPaths paths = io::run_paths(run);
  int fresh_starts = 0, resumes = 0, during_write = 0, between_renames = 0, in_startup = 0;
  for (int k = 0; k < kKills; ++k) {
    const bool exists = io::is_run_dir(run);
    const auto args =
        exists ? std::vector<std::string>{"train", "--resume", run} : train_args(out, "r", kEpochs);
    (exists ? resumes : fresh_starts) += 1;
    const std::string err = logs + "/kill" + std::to_string(k) + ".err";
    const auto launched = Clock::now();
    const pid_t pid = spawn_hindsight(args, logs + "/kill" + std::to_string(k) + ".out", err);
    if (during_startup(rng)) {
      in_startup += 1;
      std::this_thread::sleep_for(std::chrono::duration<double>(into_startup(rng)));
    } else {
      wait_for_run_directory_line(err, launched, std::chrono::seconds(120));
      std::this_thread::sleep_for(std::chrono::duration<double>(into_run(rng)));
    }
    ASSERT_EQ(::kill(pid, SIGKILL), 0);
    const int code = wait_for(pid);
    ASSERT_EQ(code, 128 + SIGKILL) << "launch " << k << " ended by itself before the kill: " << slurp(err);

    // What a crash at this moment left behind.
    if (!fs::exists(run)) {
      ASSERT_EQ(resumes, 0) << "the run directory vanished after launch " << k;
      continue;
    }
    ASSERT_TRUE(io::is_run_dir(run)) << "a run directory without config.yaml after launch " << k;
    during_write += has_temporary(paths.checkpoints) || has_temporary(run) ? 1 : 0;
    between_renames += !fs::exists(paths.latest_checkpoint) && fs::exists(paths.previous_checkpoint) ? 1 : 0;
    for (const auto& ckpt : {paths.latest_checkpoint, paths.previous_checkpoint, paths.best_checkpoint}) {
      if (fs::exists(ckpt)) EXPECT_NO_THROW(io::Checkpoint::read(ckpt)) << "after launch " << k;
    }
    if (fs::exists(paths.progress)) {
      const auto epochs = epochs_of(paths.progress);
      for (std::size_t i = 0; i < epochs.size(); ++i) {
        ASSERT_EQ(epochs[i], static_cast<double>(i + 1)) << "progress.csv after launch " << k;
      }
    }
    // The events file may end in a record torn by the kill, never in a damaged one; its epochs count up.
    const auto tb_files = tb_files_in(paths.tb);
    EXPECT_LE(tb_files.size(), 1u) << "events files after launch " << k;
    for (const auto& file : tb_files) {
      const auto got = decode_tb_records(tb_file_bytes(file));
      EXPECT_EQ(got.error.find("CRC"), std::string::npos) << got.error << " after launch " << k;
      if (!got.events.empty()) EXPECT_EQ(got.events[0].file_version(), "brain.Event:2") << "after launch " << k;
      for (std::size_t i = 1; i < got.events.size(); ++i) {
        ASSERT_EQ(tb_value(got.events[i], "epoch"), static_cast<float>(i)) << file << " after launch " << k;
      }
    }
  }

  // Finish a few epochs past the last row, then train the same run uninterrupted for comparison.
  ASSERT_TRUE(io::is_run_dir(run)) << "twenty launches and still no run directory";
  const int epochs = static_cast<int>(epochs_of(paths.progress).size()) + 3;
  const ChildResult last =
      run_hindsight({"train", "--resume", run, "--epochs", std::to_string(epochs)}, logs);
  ASSERT_EQ(last.exit_code, 0) << last.err;
  std::vector<double> all(static_cast<std::size_t>(epochs));
  for (int i = 0; i < epochs; ++i) all[static_cast<std::size_t>(i)] = i + 1;
  EXPECT_EQ(epochs_of(paths.progress), all);
  const ChildResult ref = run_hindsight(train_args(out, "ref", epochs), logs);
  ASSERT_EQ(ref.exit_code, 0) << ref.err;
  expect_same_rows(paths.progress, out + "/ref/progress.csv");
  expect_tb_events_match_progress(run);
  EXPECT_FALSE(has_temporary(paths.checkpoints));
  std::printf(
      "kills: %d (%d into launches that started the run, %d into resumes; %d during start-up); %d left a "
      "temporary file (killed while writing), %d between the two renames of a rotation; start-up %.2f s, "
      "epoch %.3f s; %d epochs in the end\n",
      kKills, fresh_starts, resumes, in_startup, during_write, between_renames, startup, epoch_time, epochs);
}

TEST(CrashResume, AFullDiskStopsTheRunKeepsTheLastCheckpointAndTheRunResumesLater) {
  const std::string out = ::testing::TempDir() + "crash_resume_disk";
  fs::remove_all(out);
  fs::create_directories(out);
  ASSERT_EQ(run_hindsight(train_args(out, "ref", 3), out).exit_code, 0);
  // The sizes of the epoch-0 and epoch-1 checkpoints (the runs are deterministic): room for the first only.
  ASSERT_EQ(run_hindsight(train_args(out, "sizes", 1), out).exit_code, 0);
  const auto epoch0 = fs::file_size(out + "/sizes/checkpoints/previous.ckpt");
  const auto epoch1 = fs::file_size(out + "/sizes/checkpoints/latest.ckpt");
  ASSERT_LT(epoch0 + 1000, epoch1);
  const ChildResult full =
      run_hindsight(train_args(out, "r", 3), out, {{}, static_cast<long>((epoch0 + epoch1) / 2)});
  EXPECT_NE(full.exit_code, 0);
  EXPECT_EQ(last_line(full.err),
            "hindsight: cannot write " + out + "/r/checkpoints/latest.ckpt: File too large")
      << full.err;
  const io::RunPaths paths = io::run_paths(out + "/r");
  EXPECT_EQ(epochs_of(paths.progress), std::vector<double>{1});  // the row went first; resume drops it
  EXPECT_FALSE(has_temporary(paths.checkpoints));
  const auto counters = nlohmann::json::parse(io::Checkpoint::read(paths.latest_checkpoint).get("counters"));
  EXPECT_EQ(counters.at("epoch"), 0);  // the epoch-0 checkpoint, intact
  // Room again: the run continues from epoch 0 and ends as if nothing had happened.
  const ChildResult resumed = run_hindsight({"train", "--resume", out + "/r"}, out);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  expect_same_rows(paths.progress, out + "/ref/progress.csv");
  expect_tb_events_match_progress(paths.root);
}

}  // namespace
}  // namespace hindsight::testing
