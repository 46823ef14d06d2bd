#include "hindsight/io/metrics_log.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <limits>
#include <string>

#include "hindsight/core/error.hpp"
#include "hindsight/io/atomic_file.hpp"
#include "support/test_support.hpp"

namespace hindsight::io {
namespace {

using hindsight::testing::error_of;
using hindsight::testing::test_dir;

namespace fs = std::filesystem;

std::string progress_path() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  const fs::path dir = fs::path(::testing::TempDir()) / "hindsight_metrics_test" / info->name();
  fs::remove_all(dir);
  fs::create_directories(dir);
  return (dir / "progress.csv").string();
}

const std::vector<std::string> kColumns = {"epoch", "env_steps", "test/success_rate", "l0/critic_loss"};

// A log with rows for epochs 1..n.
void write_epochs(const std::string& path, int n) {
  MetricsLog log(path, kColumns);
  for (int e = 1; e <= n; ++e) log.append_row({double(e), 100.0 * e, e / 10.0, 0.5});
}

TEST(MetricsLog, WritesTheHeaderAtOnceAndOneLinePerRow) {
  const std::string path = progress_path();
  MetricsLog log(path, kColumns);
  EXPECT_EQ(read_file(path), "epoch,env_steps,test/success_rate,l0/critic_loss\n");
  log.append_row({1, 1000, 0.25, 0.125});
  log.append_row(std::map<std::string, double>{
      {"epoch", 2}, {"env_steps", 2000}, {"test/success_rate", 0.5}, {"l0/critic_loss", NAN}});
  EXPECT_EQ(read_file(path),
            "epoch,env_steps,test/success_rate,l0/critic_loss\n"
            "1,1000,0.25,0.125\n"
            "2,2000,0.5,nan\n");
  EXPECT_EQ(log.columns(), kColumns);
  EXPECT_EQ(log.path(), path);
}

TEST(MetricsLog, FormatsSixSignificantDigitsButCountersExactly) {
  EXPECT_EQ(format_metric(1.0 / 3.0), "0.333333");
  EXPECT_EQ(format_metric(0.1), "0.1");
  EXPECT_EQ(format_metric(-2.5e-7), "-2.5e-07");
  EXPECT_EQ(format_metric(1234567.0), "1234567");
  EXPECT_EQ(format_metric(1234567.5), "1.23457e+06");
  EXPECT_EQ(format_metric(1e20), "1e+20");
  EXPECT_EQ(format_metric(-0.0), "0");
  EXPECT_EQ(format_metric(std::numeric_limits<double>::quiet_NaN()), "nan");
  EXPECT_EQ(format_metric(-std::numeric_limits<double>::quiet_NaN()), "nan");
  EXPECT_EQ(format_metric(-std::numeric_limits<double>::infinity()), "-inf");
}

TEST(MetricsLog, UnknownOrMissingColumnsAndWrongCountsAreErrors) {
  const std::string path = progress_path();
  MetricsLog log(path, kColumns);
  using Row = std::map<std::string, double>;
  const Row extra = {
      {"epoch", 1}, {"env_steps", 1}, {"test/success_rate", 1}, {"l0/critic_loss", 1}, {"l1/x", 1}};
  EXPECT_NE(error_of([&] { log.append_row(extra); }).find("unknown column 'l1/x'"), std::string::npos);
  const Row missing = {{"epoch", 1}, {"env_steps", 1}, {"l0/critic_loss", 1}};
  EXPECT_NE(error_of([&] { log.append_row(missing); }).find("missing column 'test/success_rate'"),
            std::string::npos);
  EXPECT_NE(error_of([&] { log.append_row(std::vector<double>{1, 2, 3}); }).find("3 values for 4 columns"),
            std::string::npos);
  EXPECT_EQ(read_file(path), "epoch,env_steps,test/success_rate,l0/critic_loss\n");  // nothing half-written
}

TEST(MetricsLog, ColumnsMustBeUniquePlainNames) {
  const std::string path = progress_path();
  EXPECT_NE(error_of([&] { MetricsLog(path, {"epoch", "a,b"}); }).find("'a,b'"), std::string::npos);
  EXPECT_NE(error_of([&] { MetricsLog(path, {"epoch", "epoch"}); }).find("appears twice"), std::string::npos);
  EXPECT_NE(error_of([&] { MetricsLog(path, {}); }).find("at least one column"), std::string::npos);
}

TEST(MetricsLog, ReadCsvGivesHeaderAndRows) {
  const std::string path = progress_path();
  write_epochs(path, 3);
  const CsvTable t = read_csv(path);
  EXPECT_EQ(t.header, kColumns);
  ASSERT_EQ(t.rows.size(), 3U);
  EXPECT_EQ(t.rows[2], (std::vector<double>{3, 300, 0.3, 0.5}));
  EXPECT_EQ(t.column("env_steps"), 1U);
  EXPECT_NE(error_of([&] { t.column("l9/q"); }).find("no column 'l9/q'"), std::string::npos);
}

TEST(MetricsLog, ReadCsvParsesNanAndInfinity) {
  const std::string path = progress_path();
  write_file_atomic(path, "epoch,x\n1,nan\n2,-inf\n");
  const CsvTable t = read_csv(path);
  EXPECT_TRUE(std::isnan(t.rows[0][1]));
  EXPECT_EQ(t.rows[1][1], -std::numeric_limits<double>::infinity());
}

TEST(MetricsLog, ReadCsvRejectsMalformedLinesWithFileAndLine) {
  const std::string path = progress_path();
  write_file_atomic(path, "epoch,x\n1,2\n2\n");
  EXPECT_EQ(error_of([&] { read_csv(path); }), path + ":3: 1 values for 2 columns");
  write_file_atomic(path, "epoch,x\n1,abc\n");
  EXPECT_EQ(error_of([&] { read_csv(path); }), path + ":2: column 'x' is not a number: 'abc'");
  write_file_atomic(path, "epoch,x\n1,\n");
  EXPECT_EQ(error_of([&] { read_csv(path); }), path + ":2: column 'x' is not a number: ''");
  write_file_atomic(path, "");
  EXPECT_EQ(error_of([&] { read_csv(path); }), path + ": empty file, expected a CSV header line");
}

TEST(MetricsLog, ResumeDropsRowsAfterTheResumedEpoch) {
  const std::string path = progress_path();
  write_epochs(path, 5);
  MetricsLog log = MetricsLog::resume(path, kColumns, 3);
  CsvTable t = read_csv(path);  // rewritten at once, before any new row
  ASSERT_EQ(t.rows.size(), 3U);
  EXPECT_EQ(t.rows.back()[0], 3);
  log.append_row({4, 400, 0.9, 0.5});
  t = read_csv(path);
  ASSERT_EQ(t.rows.size(), 4U);
  // No epoch twice, none missing.
  for (std::size_t i = 0; i < t.rows.size(); ++i) EXPECT_EQ(t.rows[i][0], double(i + 1));
  EXPECT_EQ(t.rows[3][2], 0.9);
}

TEST(MetricsLog, ResumeAtTheLastLoggedEpochKeepsEveryRow) {
  const std::string path = progress_path();
  write_epochs(path, 4);
  const std::string before = read_file(path);
  MetricsLog::resume(path, kColumns, 4);
  EXPECT_EQ(read_file(path), before);
}

TEST(MetricsLog, ResumeRefusesALogBehindTheCheckpoint) {
  const std::string path = progress_path();
  write_epochs(path, 2);
  EXPECT_EQ(error_of([&] { MetricsLog::resume(path, kColumns, 3); }),
            path + ": the log ends at epoch 2 but the run resumes after epoch 3; rows would be missing");
  MetricsLog(path, kColumns);
  EXPECT_NE(error_of([&] { MetricsLog::resume(path, kColumns, 1); }).find("ends before any epoch"),
            std::string::npos);
}

TEST(MetricsLog, ResumeUnderNewerColumnsFillsTheirOldCellsWithNan) {
  // A run started by an older binary goes on under today's columns: the old cells keep their text, the
  // columns the old header lacks read nan in the old rows, and new rows fill them.
  const std::string path = progress_path();
  write_file_atomic(path, "epoch,env_steps,l0/critic_loss\n1,100,0.25\n2,200,0.125\n3,300,0.0625\n");
  MetricsLog log = MetricsLog::resume(path, kColumns, 2);
  EXPECT_EQ(read_file(path),
            "epoch,env_steps,test/success_rate,l0/critic_loss\n1,100,nan,0.25\n2,200,nan,0.125\n");
  log.append_row({3, 300, 0.5, 0.0625});
  const CsvTable t = read_csv(path);
  EXPECT_EQ(t.header, kColumns);
  ASSERT_EQ(t.rows.size(), 3U);
  EXPECT_TRUE(std::isnan(t.rows[1][2]));
  EXPECT_EQ(t.rows[2][2], 0.5);
}

TEST(MetricsLog, ResumeRefusesAHeaderWithAColumnThisRunLacks) {
  // Dropping a recorded column would lose data: one error naming it, the file untouched.
  const std::string path = progress_path();
  write_epochs(path, 2);
  const std::string before = read_file(path);
  const std::vector<std::string> fewer{"epoch", "env_steps", "test/success_rate"};
  EXPECT_EQ(error_of([&] { MetricsLog::resume(path, fewer, 2); }),
            path +
                ": column 'l0/critic_loss' of header 'epoch,env_steps,test/success_rate,l0/critic_loss' is not "
                "among this run's columns 'epoch,env_steps,test/success_rate'");
  EXPECT_EQ(read_file(path), before);
  // A header naming a column twice (a hand-edited file) is refused, not merged.
  write_file_atomic(path, "epoch,env_steps,env_steps\n1,100,100\n");
  EXPECT_EQ(error_of([&] { MetricsLog::resume(path, kColumns, 1); }),
            path + ": column 'env_steps' appears twice in the header");
}

TEST(MetricsLog, ResumeNeedsAnEpochColumnAndAFile) {
  const std::string path = progress_path();
  MetricsLog(path, {"step", "x"});
  EXPECT_EQ(error_of([&] { MetricsLog::resume(path, {"step", "x"}, 0); }),
            path + ": no 'epoch' column to resume from");
  EXPECT_NE(error_of([&] { MetricsLog::resume(path + ".missing", kColumns, 0); }).find(path + ".missing"),
            std::string::npos);
}

}  // namespace
}  // namespace hindsight::io
