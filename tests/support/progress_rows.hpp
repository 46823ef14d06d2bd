#pragma once
// progress.csv comparisons shared by the resume tests: two runs that did the same work must agree in
// every column except the ones that measure time.
#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

#include "hindsight/io/metrics_log.hpp"

namespace hindsight::testing {

// The rows of a progress.csv without the columns that measure time (wall_seconds, time/...).
inline std::vector<std::vector<double>> rows_without_wall_time(const std::string& progress) {
  const auto t = io::read_csv(progress);
  std::vector<std::vector<double>> rows;
  for (const auto& r : t.rows) {
    std::vector<double> kept;
    for (std::size_t j = 0; j < r.size(); ++j) {
      const std::string& name = t.header[j];
      if (name != "wall_seconds" && name.rfind("time/", 0) != 0) kept.push_back(r[j]);
    }
    rows.push_back(std::move(kept));
  }
  return rows;
}

// Expects every row of two progress.csv files to agree exactly but for wall time (NaN equals NaN).
inline void expect_same_rows(const std::string& got_csv, const std::string& want_csv) {
  const auto got = rows_without_wall_time(got_csv), want = rows_without_wall_time(want_csv);
  ASSERT_EQ(got.size(), want.size()) << got_csv << " vs " << want_csv;
  for (std::size_t i = 0; i < got.size(); ++i) {
    ASSERT_EQ(got[i].size(), want[i].size()) << "row " << i;
    for (std::size_t j = 0; j < got[i].size(); ++j) {
      if (std::isnan(want[i][j])) {
        EXPECT_TRUE(std::isnan(got[i][j])) << "row " << i << " column " << j;
      } else {
        EXPECT_EQ(got[i][j], want[i][j]) << "row " << i << " column " << j;
      }
    }
  }
}

}  // namespace hindsight::testing
