#include "hindsight/io/tb_events.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "hindsight/io/atomic_file.hpp"
#include "support/tb_records.hpp"

namespace hindsight::io {
namespace {

namespace fs = std::filesystem;
using hindsight::testing::decode_tb_records;
using hindsight::testing::tb_file_bytes;
using hindsight::testing::tb_files_in;
using hindsight::testing::tb_value;

std::string fresh_dir(const std::string& name) {
  const std::string d = ::testing::TempDir() + "tb_events_test_" + name;
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

// An epoch's progress.csv row as the trainer makes it; its values differ from epoch to epoch and run to run.
std::map<std::string, double> row(int epoch, double salt = 0.0) {
  return {{"epoch", epoch},
          {"env_steps", 100.0 * epoch + salt},
          {"test/success_rate", 0.25 * epoch + salt},
          {"train/success_rate", NAN},
          {"l0/critic_loss", 1.0 / (epoch + 2) + salt},
          {"l1/q_mean", -3.5 * epoch}};
}

long step_of(int epoch, double salt = 0.0) { return 100 * epoch + static_cast<long>(salt); }

// Writes epochs first..last into w.
void write_epochs(TbEventWriter& w, int first, int last, double salt = 0.0) {
  for (int e = first; e <= last; ++e) w.write(step_of(e, salt), row(e, salt));
}

// Expects the file to decode to the file_version record and then one summary per epoch, with the values of
// row(epoch, salts[epoch - 1]) (NaN values left out).
void expect_epochs(const std::string& path, const std::vector<double>& salts) {
  const auto got = decode_tb_records(tb_file_bytes(path));
  ASSERT_EQ(got.error, "") << path;
  ASSERT_EQ(got.events.size(), salts.size() + 1) << path;
  EXPECT_EQ(got.events[0].file_version(), "brain.Event:2");
  const double now = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  for (std::size_t i = 0; i < got.events.size(); ++i) {
    EXPECT_GT(got.events[i].wall_time(), now - 600.0) << "event " << i;
    EXPECT_LE(got.events[i].wall_time(), now + 1.0) << "event " << i;
  }
  for (std::size_t i = 1; i < got.events.size(); ++i) {
    const auto& ev = got.events[i];
    const int epoch = static_cast<int>(i);
    const double salt = salts[i - 1];
    ASSERT_TRUE(ev.has_summary()) << "event " << i;
    EXPECT_EQ(ev.step(), step_of(epoch, salt)) << "event " << i;
    EXPECT_GE(ev.wall_time(), got.events[i - 1].wall_time());
    int tags = 0;
    for (const auto& [tag, v] : row(epoch, salt)) {
      const auto value = tb_value(ev, tag);
      if (std::isnan(v)) {
        EXPECT_FALSE(value.has_value()) << tag << " is NaN and must be left out";
        continue;
      }
      ++tags;
      ASSERT_TRUE(value.has_value()) << "event " << i << " lacks " << tag;
      EXPECT_EQ(*value, static_cast<float>(v)) << "event " << i << " " << tag;
    }
    EXPECT_EQ(ev.summary().value_size(), tags) << "event " << i;
  }
}

TEST(TbEvents, WritesTheFileVersionThenOneSummaryPerEpoch) {
  const std::string dir = fresh_dir("write") + "/tb";  // created by the writer
  TbEventWriter w(dir);
  EXPECT_EQ(fs::path(w.path()).parent_path(), fs::path(dir));
  const std::string name = fs::path(w.path()).filename().string();
  const std::string prefix = "events.out.tfevents.", suffix = ".hindsight";
  ASSERT_TRUE(name.starts_with(prefix) && name.ends_with(suffix)) << name;
  const long stamp = std::stol(name.substr(prefix.size(), name.size() - prefix.size() - suffix.size()));
  EXPECT_NEAR(static_cast<double>(stamp), static_cast<double>(std::time(nullptr)), 600.0);
  expect_epochs(w.path(), {});  // the version record is on disk before the first epoch
  write_epochs(w, 1, 3);
  expect_epochs(w.path(), {0, 0, 0});  // each epoch is on disk when write() returns
  EXPECT_EQ(tb_files_in(dir), std::vector<std::string>{w.path()});
}

TEST(TbEvents, AnyCorruptedByteFailsTheDecodersChecksums) {
  TbEventWriter w(fresh_dir("corrupt"));
  write_epochs(w, 1, 2);
  const std::string good = tb_file_bytes(w.path());
  ASSERT_EQ(decode_tb_records(good).error, "");
  for (std::size_t i = 0; i < good.size(); ++i) {
    std::string bad = good;
    bad[i] = static_cast<char>(bad[i] ^ 0x20);
    const auto got = decode_tb_records(bad);
    EXPECT_NE(got.error.find("CRC mismatch"), std::string::npos) << "byte " << i << ": " << got.error;
  }
}

TEST(TbEvents, FramingMatchesTheTfRecordLayout) {
  const std::string payload = "123456789";
  const std::string rec = tfrecord(payload);
  ASSERT_EQ(rec.size(), 8 + 4 + payload.size() + 4);
  EXPECT_EQ(rec.substr(0, 8), std::string("\x09\0\0\0\0\0\0\0", 8));  // uint64 little-endian length
  EXPECT_EQ(rec.substr(12, payload.size()), payload);
  // Masked CRC-32C of "123456789" (0xE3069283): rotated right by 15, plus 0xa282ead8.
  EXPECT_EQ(masked_crc32c(payload), 0xC78AB0E5U);  // 0x2507C60D + 0xA282EAD8
  EXPECT_EQ(hindsight::testing::little_endian(rec.substr(12 + payload.size())), masked_crc32c(payload));
  EXPECT_EQ(hindsight::testing::little_endian(rec.substr(8, 4)),
            hindsight::testing::tfrecord_mask(hindsight::testing::bitwise_crc32c(rec.substr(0, 8))));
}

TEST(TbEvents, ResumeKeepsTheEpochsUpToTheCheckpointAndAppendsWithoutDuplicates) {
  const std::string dir = fresh_dir("resume");
  std::string path;
  {
    TbEventWriter w(dir);
    write_epochs(w, 1, 3);
    path = w.path();
  }
  // Checkpoint after epoch 2; epoch 3 was written before the crash and is trained again, differently.
  TbEventWriter r = TbEventWriter::resume(dir, 2);
  EXPECT_EQ(r.path(), path);
  expect_epochs(path, {0, 0});
  write_epochs(r, 3, 3, 7.5);
  expect_epochs(path, {0, 0, 7.5});
  EXPECT_EQ(tb_files_in(dir), std::vector<std::string>{path});
  // Resuming at the last epoch written keeps everything; at epoch 0 only the version record.
  r = TbEventWriter::resume(dir, 3);
  expect_epochs(path, {0, 0, 7.5});
  r = TbEventWriter::resume(dir, 0);
  expect_epochs(path, {});
}

TEST(TbEvents, ResumeDropsATornLastRecord) {
  const std::string dir = fresh_dir("torn");
  std::string path, two_epochs;
  {
    TbEventWriter w(dir);
    write_epochs(w, 1, 2);
    path = w.path();
    two_epochs = tb_file_bytes(path);
    write_epochs(w, 3, 3);
  }
  const std::string three_epochs = tb_file_bytes(path);
  // Killed while appending epoch 3 or, after checkpoint 3, epoch 4: inside the length, its CRC, the payload
  // or the payload's CRC (cut = bytes of the record on disk).
  const std::size_t record = three_epochs.size() - two_epochs.size();
  for (const std::size_t cut : {two_epochs.size() + 1, two_epochs.size() + 10, two_epochs.size() + 12,
                                two_epochs.size() + record / 2, three_epochs.size() - 2}) {
    for (const int last_epoch : {2, 3}) {
      const std::string torn =
          last_epoch == 2 ? three_epochs.substr(0, cut)
                          : three_epochs + three_epochs.substr(two_epochs.size(), cut - two_epochs.size());
      write_file_atomic(path, torn);
      ASSERT_NE(decode_tb_records(torn).error, "");
      TbEventWriter r = TbEventWriter::resume(dir, last_epoch);
      write_epochs(r, last_epoch + 1, last_epoch + 1, 7.5);
      std::vector<double> salts(static_cast<std::size_t>(last_epoch), 0.0);
      salts.push_back(7.5);
      expect_epochs(path, salts);
      ASSERT_FALSE(::testing::Test::HasFailure()) << "cut at byte " << cut << ", resumed at epoch " << last_epoch;
    }
  }
  EXPECT_EQ(tb_files_in(dir), std::vector<std::string>{path});
}

TEST(TbEvents, ResumeWithoutAFileStartsOneAndANewRunReplacesTheOldFile) {
  const std::string dir = fresh_dir("fresh") + "/tb";
  TbEventWriter r = TbEventWriter::resume(dir, 4);  // a run from before TensorBoard files
  expect_epochs(r.path(), {});
  write_epochs(r, 1, 2);
  // A run restarted from the beginning (no checkpoint was left) starts a new file, alone in the directory.
  const std::string old_name = dir + "/events.out.tfevents.1000.hindsight";
  fs::rename(r.path(), old_name);
  TbEventWriter w(dir);
  EXPECT_EQ(tb_files_in(dir), std::vector<std::string>{w.path()});
  expect_epochs(w.path(), {});
}

}  // namespace
}  // namespace hindsight::io
