#include "hindsight/io/checkpoint.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "hindsight/core/error.hpp"
#include "hindsight/io/atomic_file.hpp"
#include "support/test_support.hpp"

namespace hindsight::io {
namespace {

using hindsight::testing::error_of;
using hindsight::testing::test_dir;

namespace fs = std::filesystem;

// A small checkpoint with binary payloads, an empty one and a name with a slash.
Checkpoint sample() {
  Checkpoint c;
  c.set("learner/0", std::string("\x00\x01\xff weights \x00", 12));
  c.set("normalizer/0", "mean,std");
  c.set("empty", "");
  c.set("trainer", "epoch=3");
  return c;
}

TEST(Checkpoint, WriteThenReadGivesTheSameSections) {
  const std::string path = test_dir() + "/latest.ckpt";
  sample().write(path);
  const Checkpoint back = Checkpoint::read(path);
  EXPECT_EQ(back.names(), (std::vector<std::string>{"empty", "learner/0", "normalizer/0", "trainer"}));
  for (const auto& name : sample().names()) EXPECT_EQ(back.get(name), sample().get(name)) << name;
  EXPECT_EQ(back.serialize(), sample().serialize());
}

TEST(Checkpoint, SetReplacesAndHasReports) {
  Checkpoint c;
  EXPECT_FALSE(c.has("a"));
  c.set("a", "1");
  c.set("a", "22");
  EXPECT_TRUE(c.has("a"));
  EXPECT_EQ(c.get("a"), "22");
  EXPECT_EQ(c.names(), std::vector<std::string>{"a"});
  EXPECT_NE(error_of([&] { c.set("", "x"); }).find("must not be empty"), std::string::npos);
}

TEST(Checkpoint, EmptyCheckpointRoundTrips) {
  const Checkpoint back = Checkpoint::parse(Checkpoint().serialize(), "mem");
  EXPECT_TRUE(back.names().empty());
}

TEST(Checkpoint, MissingSectionIsNamedWithTheFile) {
  const std::string path = test_dir() + "/latest.ckpt";
  sample().write(path);
  const Checkpoint c = Checkpoint::read(path);
  EXPECT_EQ(error_of([&] { c.get("learner/1"); }),
            path + ": no section 'learner/1' (it has: empty, learner/0, normalizer/0, trainer)");
  EXPECT_EQ(error_of([] { Checkpoint().get("x"); }), "checkpoint: no section 'x' (it has: none)");
}

TEST(Checkpoint, EveryTruncationIsRefused) {
  const std::string bytes = sample().serialize();
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    EXPECT_THROW(Checkpoint::parse(std::string_view(bytes).substr(0, n), "x.ckpt"), Error) << "prefix " << n;
  }
}

TEST(Checkpoint, TruncatedFileSaysWhichSectionIsShort) {
  Checkpoint c;
  c.set("learner/0", std::string(123, 'w'));
  const std::string bytes = c.serialize();
  const std::string path = test_dir() + "/cut.ckpt";
  write_file_atomic(path, bytes.substr(0, bytes.size() - 106));
  EXPECT_EQ(error_of([&] { Checkpoint::read(path); }),
            path + ": truncated (section 'learner/0' needs 123 bytes, 17 left)");
  write_file_atomic(path, bytes.substr(0, 14));
  EXPECT_EQ(error_of([&] { Checkpoint::read(path); }),
            path + ": truncated (section table entry 1 of 1 needs 4 bytes, 2 left)");
}

TEST(Checkpoint, EverySingleByteFlipIsDetected) {
  const std::string bytes = sample().serialize();
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    for (const unsigned char mask : {0x01, 0x80, 0xff}) {
      std::string bad = bytes;
      bad[i] = static_cast<char>(static_cast<unsigned char>(bad[i]) ^ mask);
      EXPECT_THROW(Checkpoint::parse(bad, "x.ckpt"), Error) << "byte " << i << " mask " << int(mask);
    }
  }
}

TEST(Checkpoint, CorruptPayloadNamesTheSection) {
  std::string bytes = sample().serialize();
  bytes[bytes.size() - 1] ^= 0x10;  // last byte of the last section, "trainer"
  EXPECT_EQ(error_of([&] { Checkpoint::parse(bytes, "x.ckpt"); }),
            "x.ckpt: checksum mismatch in section 'trainer'");
  std::string table = sample().serialize();
  table[17] ^= 0x10;  // inside the first section name
  EXPECT_EQ(error_of([&] { Checkpoint::parse(table, "x.ckpt"); }),
            "x.ckpt: checksum mismatch in the section table");
}

TEST(Checkpoint, OtherFilesAreNotCheckpoints) {
  const std::string path = test_dir() + "/config.yaml";
  write_file_atomic(path, "epochs: 3\n");
  EXPECT_EQ(error_of([&] { Checkpoint::read(path); }), path + ": not a hindsight checkpoint");
  write_file_atomic(path, "");
  EXPECT_EQ(error_of([&] { Checkpoint::read(path); }), path + ": not a hindsight checkpoint");
}

TEST(Checkpoint, TrailingBytesAreRefused) {
  const std::string bytes = sample().serialize() + "xyz";
  EXPECT_EQ(error_of([&] { Checkpoint::parse(bytes, "x.ckpt"); }),
            "x.ckpt: 3 unexpected bytes after the last section");
}

TEST(Checkpoint, MissingFileIsAnError) {
  const std::string path = test_dir() + "/none.ckpt";
  EXPECT_NE(error_of([&] { Checkpoint::read(path); }).find(path), std::string::npos);
}

TEST(Checkpoint, RewriteReplacesTheFileAndLeavesNoTemporaries) {
  const std::string dir = test_dir();
  const std::string path = dir + "/latest.ckpt";
  sample().write(path);
  Checkpoint next;
  next.set("trainer", "epoch=4");
  next.write(path);
  EXPECT_EQ(Checkpoint::read(path).get("trainer"), "epoch=4");
  EXPECT_FALSE(Checkpoint::read(path).has("learner/0"));
  int files = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++files;
  EXPECT_EQ(files, 1);
}

}  // namespace
}  // namespace hindsight::io
