#include "hindsight/io/atomic_file.hpp"

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <csignal>
#include <filesystem>
#include <set>
#include <string>

#include "hindsight/core/error.hpp"

namespace hindsight::io {
namespace {

namespace fs = std::filesystem;

std::string test_dir() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  const fs::path dir = fs::path(::testing::TempDir()) / "hindsight_atomic_file_test" / info->name();
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir.string();
}

std::set<std::string> names_in(const std::string& dir) {
  std::set<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.insert(e.path().filename().string());
  return names;
}

// Makes every write beyond limit bytes fail with EFBIG (as a full disk fails with ENOSPC) while alive.
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t limit) : handler_(std::signal(SIGXFSZ, SIG_IGN)) {
    ::getrlimit(RLIMIT_FSIZE, &old_);
    struct rlimit tiny = old_;
    tiny.rlim_cur = limit;
    ::setrlimit(RLIMIT_FSIZE, &tiny);
  }
  ~FileSizeLimit() {
    ::setrlimit(RLIMIT_FSIZE, &old_);
    std::signal(SIGXFSZ, handler_);
  }
  FileSizeLimit(const FileSizeLimit&) = delete;
  FileSizeLimit& operator=(const FileSizeLimit&) = delete;

 private:
  struct rlimit old_ {};
  void (*handler_)(int);
};

TEST(AtomicFile, WritesReplaceAndLeaveNoTemporaries) {
  const std::string dir = test_dir();
  write_file_atomic(dir + "/a.txt", "one");
  write_file_atomic(dir + "/a.txt", "two");
  EXPECT_EQ(read_file(dir + "/a.txt"), "two");
  EXPECT_EQ(names_in(dir), (std::set<std::string>{"a.txt"}));
}

TEST(AtomicFile, RotationKeepsTheReplacedFileAsPrevious) {
  const std::string dir = test_dir();
  const std::string latest = dir + "/latest.ckpt", previous = dir + "/previous.ckpt";
  write_file_rotating(latest, previous, "1");
  EXPECT_EQ(names_in(dir), (std::set<std::string>{"latest.ckpt"}));
  write_file_rotating(latest, previous, "2");
  write_file_rotating(latest, previous, "3");
  EXPECT_EQ(read_file(latest), "3");
  EXPECT_EQ(read_file(previous), "2");
  EXPECT_EQ(names_in(dir), (std::set<std::string>{"latest.ckpt", "previous.ckpt"}));
}

TEST(AtomicFile, AFailedWriteChangesNothing) {
  const std::string dir = test_dir();
  const std::string latest = dir + "/latest.ckpt", previous = dir + "/previous.ckpt";
  write_file_rotating(latest, previous, "old");
  write_file_rotating(latest, previous, "good");
  std::string error;
  {
    const FileSizeLimit full(8);
    try {
      write_file_rotating(latest, previous, std::string(64, 'x'));
    } catch (const Error& e) {
      error = e.what();
    }
    EXPECT_THROW(write_file_atomic(dir + "/other", std::string(64, 'x')), Error);
  }
  EXPECT_NE(error.find("cannot write " + latest), std::string::npos) << error;
  EXPECT_EQ(read_file(latest), "good");
  EXPECT_EQ(read_file(previous), "old");
  EXPECT_EQ(names_in(dir), (std::set<std::string>{"latest.ckpt", "previous.ckpt"}));
}

TEST(AtomicFile, ReadingADirectoryIsAnErrorNotAnEmptyFile) {
  // Regression: an ifstream opens a directory and reads nothing, so `--config DIR` trained on defaults.
  const std::string dir = test_dir();
  try {
    read_file(dir);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "cannot read " + dir + ": it is a directory");
  }
  EXPECT_THROW(read_file(dir + "/missing"), Error);
}

TEST(AtomicFile, StaleTemporariesAreRemovedAndNothingElse) {
  const std::string dir = test_dir();
  for (const char* name : {"latest.ckpt.tmp.Ab12Cd", "config.yaml.tmp.zzzzzz", "notes.tmp.txt", ".tmp.abcdef",
                           "latest.ckpt.tmp.12345", "latest.ckpt"}) {
    write_file_atomic(dir + "/" + name, "x");
  }
  fs::create_directory(dir + "/sub.tmp.abcdef");
  EXPECT_EQ(remove_stale_temp_files(dir), 2);
  EXPECT_EQ(names_in(dir), (std::set<std::string>{"notes.tmp.txt", ".tmp.abcdef", "latest.ckpt.tmp.12345",
                                                  "latest.ckpt", "sub.tmp.abcdef"}));
  EXPECT_EQ(remove_stale_temp_files(dir + "/missing"), 0);
}

}  // namespace
}  // namespace hindsight::io
