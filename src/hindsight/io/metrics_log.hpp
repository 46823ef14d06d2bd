#pragma once
// progress.csv: one row per epoch under a header fixed when the run starts, so every row of a run
// (and of its resumes) has the same columns and plots can compare runs column by column.
// The whole file is rewritten atomically on every row: it is small (one row per epoch) and a crash
// then never leaves a partial row behind.
#include <map>
#include <string>
#include <vector>

namespace hindsight::io {

class MetricsLog {
 public:
  // Starts a new log at path holding only the header; an existing file there is replaced.
  MetricsLog(std::string path, std::vector<std::string> columns);
  // Continues the log of a run resumed from the checkpoint of last_epoch under columns (which must include
  // "epoch"); rows with epoch > last_epoch are dropped and the file is rewritten under columns. A header of an
  // older binary may lack some of columns (their cells become nan) but may not hold a column columns lacks.
  // The trainer writes an epoch's row before its checkpoint, so a log ending before last_epoch is an error.
  static MetricsLog resume(const std::string& path, std::vector<std::string> columns, int last_epoch);

  // Appends one row given by column name; an unknown or missing column throws Error.
  void append_row(const std::map<std::string, double>& values);
  // Appends one row given in column order; a wrong count throws Error.
  void append_row(const std::vector<double>& values);

  // The header.
  const std::vector<std::string>& columns() const { return columns_; }
  // The file written.
  const std::string& path() const { return path_; }

 private:
  MetricsLog(std::string path, std::vector<std::string> columns, std::string content);

  std::string path_;
  std::vector<std::string> columns_;
  std::string content_;  // the whole file as last written
};

// A parsed progress.csv.
struct CsvTable {
  std::vector<std::string> header;
  std::vector<std::vector<double>> rows;  // each row has header.size() values; "nan" cells are NaN

  // Index of a column; throws Error naming the column when absent.
  std::size_t column(const std::string& name) const;
};

// Reads a CSV of numbers with one header line; malformed lines throw Error with "FILE:LINE: ".
CsvTable read_csv(const std::string& path);
// How a value is written to a cell: integers exactly (step counters pass 1e6), others %.6g, NaN "nan".
std::string format_metric(double value);

}  // namespace hindsight::io
