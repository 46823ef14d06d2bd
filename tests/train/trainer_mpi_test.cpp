// Runs under `mpirun -np 2` (ctest): the Trainer across real ranks, with a checkpoint and a resume.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "hindsight/io/atomic_file.hpp"
#include "hindsight/io/config.hpp"
#include "hindsight/io/metrics_log.hpp"
#include "hindsight/io/run_dir.hpp"
#include "hindsight/train/trainer.hpp"
#include "support/mpi_comm.hpp"

namespace hindsight::train {
namespace {

using hindsight::testing::comm;

TrainConfig tiny_config() {
  TrainConfig cfg = default_config();
  cfg.env = "FetchReach";
  cfg.epochs = 1;
  cfg.cycles = 2;
  cfg.episodes_per_cycle = 1;
  cfg.updates_per_cycle = 5;
  cfg.batch_size = 32;
  cfg.buffer_size = 5000;
  cfg.hidden = {32, 32};
  cfg.test_episodes = 2;
  cfg.norm_warmup_episodes = 3;  // split unevenly over two ranks
  cfg.out = ::testing::TempDir() + "hindsight_trainer_mpi";
  return cfg;
}

// Number of ranks whose parameters differ from rank 0's, bit for bit.
int ranks_differing_from_root(learn::Agent& agent) {
  const std::vector<float> p = agent.levels()[0]->learner().flat_parameters();
  const std::vector<double> all = comm().allgather(std::vector<double>(p.begin(), p.end()));
  int differ = 0;
  for (int r = 1; r < comm().size(); ++r) {
    for (std::size_t i = 0; i < p.size(); ++i) {
      if (all[static_cast<std::size_t>(r) * p.size() + i] != all[i]) {
        ++differ;
        break;
      }
    }
  }
  return differ;
}

TEST(TrainerMpi, RanksTrainOneModelAndResumeWithTheSameRankCount) {
  const int ranks = comm().size(), me = comm().rank();
  std::string dir, rng_after_first;
  {
    Trainer t(tiny_config(), comm());
    t.run();
    dir = t.run_dir();
    EXPECT_FALSE(dir.empty()) << "every rank knows the run directory";
    EXPECT_EQ(t.counters().episodes, 2L * ranks);
    EXPECT_EQ(t.counters().env_steps, (3L + 2L * ranks) * 50);  // the warm-up's 3 episodes count too
    EXPECT_EQ(t.counters().ranks, ranks);
    // Warm-up (3 episodes in all) plus every rank's training episodes, the same on every rank.
    EXPECT_EQ(t.agent().levels()[0]->obs_norm().count(), static_cast<std::uint64_t>((3 + 2 * ranks) * 50));
    EXPECT_EQ(ranks_differing_from_root(t.agent()), 0);
    rng_after_first = t.agent().rng().state();
  }
  const auto paths = io::run_paths(dir);
  if (me == 0) {
    EXPECT_EQ(io::read_csv(paths.progress).rows.size(), 1u);
    EXPECT_TRUE(io::file_exists(paths.latest_checkpoint));
  } else {
    EXPECT_TRUE(io::file_exists(io::rank_checkpoint(paths, me, 1)));
  }
  comm().barrier();

  Trainer t = Trainer::resume(dir, {"epochs=2"}, comm());
  EXPECT_EQ(t.counters().epoch, 1);
  EXPECT_EQ(t.agent().rng().state(), rng_after_first) << "each rank resumes its own random stream";
  EXPECT_EQ(t.agent().levels()[0]->buffer().episodes(), 2u) << "each rank resumes its own replay buffer";
  t.run();
  EXPECT_EQ(t.counters().epoch, 2);
  EXPECT_EQ(t.counters().episodes, 4L * ranks);
  EXPECT_EQ(ranks_differing_from_root(t.agent()), 0);
  comm().barrier();
  if (me == 0) {
    EXPECT_EQ(io::read_csv(paths.progress).rows.size(), 2u);
  } else {
    EXPECT_TRUE(io::file_exists(io::rank_checkpoint(paths, me, 2)));
    EXPECT_TRUE(io::file_exists(io::rank_checkpoint(paths, me, 1))) << "previous.ckpt's state is kept";
    EXPECT_FALSE(io::file_exists(io::rank_checkpoint(paths, me, 0))) << "older states are removed";
  }
}

// The flat parameters of rank 0's level 0, on every rank.
std::vector<float> root_parameters(learn::Agent& agent) {
  const std::vector<float> p = agent.levels()[0]->learner().flat_parameters();
  const std::vector<double> all = comm().allgather(std::vector<double>(p.begin(), p.end()));
  return {all.begin(), all.begin() + static_cast<std::ptrdiff_t>(p.size())};
}

TEST(TrainerMpi, EveryRankFallsBackToThePreviousCheckpointAndRedoesTheEpochExactly) {
  std::string dir;
  std::vector<float> after_first;
  {
    Trainer t(tiny_config(), comm());
    t.run();
    dir = t.run_dir();
    after_first = root_parameters(t.agent());
  }
  const auto paths = io::run_paths(dir);
  // latest.ckpt (epoch 1) damaged: every rank must resume from previous.ckpt, the epoch-0 checkpoint taken
  // after the warm-up, with its own state of that epoch.
  if (comm().is_root()) io::write_file_atomic(paths.latest_checkpoint, "damaged");
  comm().barrier();
  Trainer t = Trainer::resume(dir, {}, comm());
  EXPECT_EQ(t.counters().epoch, 0);
  t.run();
  EXPECT_EQ(t.counters().epoch, 1);
  EXPECT_EQ(root_parameters(t.agent()), after_first) << "epoch 1 again, bit for bit";
  EXPECT_EQ(ranks_differing_from_root(t.agent()), 0);
}

}  // namespace
}  // namespace hindsight::train
