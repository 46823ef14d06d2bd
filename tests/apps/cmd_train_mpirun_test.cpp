// `mpirun -np 2 hindsight train ...` end to end (built only with MPI): learning, resume rules, and a
// failing rank stopping the whole job.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <ostream>
#include <string>

#include "hindsight/io/atomic_file.hpp"
#include "hindsight/io/metrics_log.hpp"
#include "hindsight/io/run_dir.hpp"
#include "support/run_cli.hpp"

namespace hindsight {
namespace {

using testing::CliResult;
using testing::run_shell;

// What `timeout` returns when it had to stop the command: the test's own limit was exceeded.
constexpr int kTimedOut = 124;

// `hindsight <args>` on `ranks` ranks, limited to `limit_s` seconds. The environment suits containers and
// small machines: root allowed, more ranks than cores allowed, no CMA single-copy (often blocked in
// containers), one BLAS thread per rank, and waiting ranks yield their core (tests run two at a time on
// two cores: a rank spinning in a collective would starve the rank it waits for).
CliResult mpirun(int ranks, const std::string& args, int limit_s, const std::string& env = "") {
  const std::string cmd =
      "env OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1 "
      "OMPI_MCA_btl_vader_single_copy_mechanism=none OMPI_MCA_mpi_yield_when_idle=1 OMP_NUM_THREADS=1 "
      "OMP_WAIT_POLICY=PASSIVE " +
      env + " timeout -k 10 " + std::to_string(limit_s) + " " + HINDSIGHT_MPIEXEC + " " +
      HINDSIGHT_MPIEXEC_NUMPROC_FLAG + " " + std::to_string(ranks) + " " + HINDSIGHT_BINARY + " " + args;
  return run_shell(cmd);
}

// The environment of a self-launched run in tests: two tests run at once on two cores, so a rank waiting
// in a collective must yield its core (the launcher only asks for that when ranks exceed the cores).
const std::string kYieldingRanks = "OMPI_MCA_mpi_yield_when_idle=1 OMP_NUM_THREADS=1 OMP_WAIT_POLICY=PASSIVE";

// A fresh directory for this test's runs.
std::string out_dir() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name = std::string(info->test_suite_name()) + "_" + info->name();
  for (char& c : name) c = c == '/' ? '_' : c;
  const auto dir = std::filesystem::path(::testing::TempDir()) /
                   ("hindsight_mpirun_" + std::to_string(::getpid()) + "_" + name);
  std::filesystem::remove_all(dir);
  return dir.string();
}

// The run directory a successful `hindsight train` printed as "run: DIR".
std::string run_dir_of(const CliResult& r) {
  const std::string line = testing::last_line(r.out);
  return line.rfind("run: ", 0) == 0 ? line.substr(5) : "";
}

TEST(MpirunTrain, TwoRanksLearnFetchReach) {
  const CliResult train = mpirun(2, "train --env FetchReach --epochs 5 --out " + out_dir(), 800);
  ASSERT_EQ(train.exit_code, 0) << train.err;
  const std::string dir = run_dir_of(train);
  ASSERT_FALSE(dir.empty()) << train.out;
  EXPECT_NE(train.err.find("ranks: 2"), std::string::npos) << train.err;
  // Rank 0 alone writes the log: one row per epoch, steps of both ranks (5 epochs x 10 cycles x 2 episodes
  // x 50 steps per rank).
  const io::CsvTable csv = io::read_csv(io::run_paths(dir).progress);
  ASSERT_EQ(csv.rows.size(), 5u);
  EXPECT_EQ(csv.rows.back()[csv.column("env_steps")], 2 * 5 * 10 * 2 * 50);

  const CliResult eval = testing::run_cli("eval " + dir + " --episodes 100");
  ASSERT_EQ(eval.exit_code, 0) << eval.err;
  const auto at = eval.out.find("\nsuccess_rate=");
  ASSERT_NE(at, std::string::npos) << eval.out;
  // The margin: `bench/learning.sh configs/FetchReach.yaml "0 1 2 3 4 5" 5 2` evaluated the best checkpoint
  // at 0.94-1.00 over seeds 0-5 (median 0.99; docs/results/FetchReach-np2-summary.csv); seed 0, used here,
  // gives 0.99. A fixed seed repeats exactly on one machine, but another CPU's BLAS kernels change the
  // numbers like another seed would, so the bar sits below the worst seed, not just below seed 0.
  EXPECT_GE(std::stod(eval.out.substr(at + 14)), 0.85) << eval.out;
}

TEST(MpirunTrain, ResumeNeedsTheRankCountTheRunWasTrainedWith) {
  const std::string tiny =
      " cycles=2 updates_per_cycle=5 hidden=[32,32] batch_size=32 test_episodes=1 norm_warmup_episodes=2";
  const CliResult train = mpirun(2, "train --env FetchReach --epochs 1 --out " + out_dir() + tiny, 300);
  ASSERT_EQ(train.exit_code, 0) << train.err;
  const std::string dir = run_dir_of(train);
  ASSERT_FALSE(dir.empty()) << train.out;
  EXPECT_TRUE(std::filesystem::exists(io::rank_checkpoint(io::run_paths(dir), 1, 1)));

  const CliResult one = mpirun(1, "train --resume " + dir + " --epochs 2", 300);
  EXPECT_EQ(one.exit_code, 1);
  EXPECT_NE(one.err.find("the run was trained with 2 rank(s); resume it with as many (mpirun -np 2), not 1"),
            std::string::npos)
      << one.err;

  const CliResult resumed = mpirun(2, "train --resume " + dir + " --epochs 2", 300);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_EQ(io::read_csv(io::run_paths(dir).progress).rows.size(), 2u);

  // Without mpirun, the run's own config (ranks: 2, the count mpirun gave it) starts the ranks again.
  const CliResult alone = testing::run_cli("train --resume " + dir + " --epochs 3", kYieldingRanks);
  ASSERT_EQ(alone.exit_code, 0) << alone.err;
  EXPECT_NE(alone.err.find("starting 2 ranks"), std::string::npos) << alone.err;
  EXPECT_EQ(io::read_csv(io::run_paths(dir).progress).rows.size(), 3u);
}

// One command, several ranks: `ranks=2` without mpirun starts them itself; `workers` fixes the run's data
// (per cycle workers x episodes_per_cycle episodes) whatever the rank count, so one process and two
// ranks collect the same env steps, and the config written down says how many ranks ran.
TEST(MpirunTrain, RanksKeyStartsTheRanksItself) {
  const std::string tiny =
      " --epochs 1 cycles=3 updates_per_cycle=2 hidden=[32,32] batch_size=16 test_episodes=3 "
      "norm_warmup_episodes=0 workers=2 episodes_per_cycle=1 best_episodes=0";
  const CliResult two = testing::run_cli("train --env FetchReach --out " + out_dir() + tiny + " ranks=2",
                                         kYieldingRanks);
  ASSERT_EQ(two.exit_code, 0) << two.err;
  EXPECT_NE(two.err.find("starting 2 ranks"), std::string::npos) << two.err;
  EXPECT_NE(two.err.find("ranks: 2"), std::string::npos) << two.err;
  const std::string dir = run_dir_of(two);
  ASSERT_FALSE(dir.empty()) << two.out;
  EXPECT_NE(io::read_file(io::run_paths(dir).config).find("\nranks: 2\n"), std::string::npos);
  const io::CsvTable csv = io::read_csv(io::run_paths(dir).progress);
  ASSERT_EQ(csv.rows.size(), 1u);
  EXPECT_EQ(csv.rows[0][csv.column("env_steps")], 3 * 2 * 1 * 50);  // cycles x workers x episodes x T
  EXPECT_EQ(csv.rows[0][csv.column("episodes")], 3 * 2);

  const CliResult one = testing::run_cli("train --env FetchReach --out " + out_dir() + "_1" + tiny);
  ASSERT_EQ(one.exit_code, 0) << one.err;
  EXPECT_EQ(one.err.find("starting"), std::string::npos) << one.err;
  const io::CsvTable csv1 = io::read_csv(io::run_paths(run_dir_of(one)).progress);
  EXPECT_EQ(csv1.rows[0][csv1.column("env_steps")], 3 * 2 * 1 * 50);

  // A worker count the ranks cannot share is refused before anything starts training.
  const CliResult odd = testing::run_cli("train --env FetchReach --out " + out_dir() + "_odd" + tiny +
                                         " ranks=2 workers=3", kYieldingRanks);
  EXPECT_EQ(odd.exit_code, 1);
  EXPECT_NE(odd.err.find("workers=3 cannot be shared among 2 ranks"), std::string::npos) << odd.err;
}

struct Failure {
  const char* kind;     // HINDSIGHT_FAULT_INJECT kind
  const char* message;  // what the job's stderr must say
};

// Names the case in ctest's listing.
void PrintTo(const Failure& f, std::ostream* os) { *os << f.kind; }

class MpirunRankFailure : public ::testing::TestWithParam<Failure> {};

// Rank 1 fails just before its first update, while rank 0 waits in the gradient all-reduce: the job must
// end, non-zero, saying which rank failed. `timeout` is the test's own limit; a hang would hit it.
TEST_P(MpirunRankFailure, StopsTheWholeJobNamingTheRank) {
  const Failure f = GetParam();
  const auto t0 = std::chrono::steady_clock::now();
  const CliResult r = mpirun(2, "train --env FetchReach --epochs 50 --out " + out_dir(), 60,
                             std::string("HINDSIGHT_FAULT_INJECT=1:") + f.kind);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("rank 1 %s: mpirun exited with %d after %.1f s (start-up included)\n", f.kind, r.exit_code,
              seconds);
  EXPECT_NE(r.exit_code, kTimedOut) << "the job hung until the test's limit\n" << r.err;
  EXPECT_NE(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find(f.message), std::string::npos) << r.err;
}

INSTANTIATE_TEST_SUITE_P(
    Kinds, MpirunRankFailure,
    ::testing::Values(Failure{"throw", "hindsight: rank 1: fault injected by HINDSIGHT_FAULT_INJECT"},
                      Failure{"nan", "hindsight: rank 1: level 0 gradient[0] is NaN (this rank's own, before "
                                     "averaging) at epoch 1 cycle 1 update 1"},
                      Failure{"kill", "rank 1 with PID"}),
    [](const ::testing::TestParamInfo<Failure>& info) { return std::string(info.param.kind); });

}  // namespace
}  // namespace hindsight
