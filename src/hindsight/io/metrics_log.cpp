#include "hindsight/io/metrics_log.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <set>
#include <string_view>

#include "hindsight/core/error.hpp"
#include "hindsight/io/atomic_file.hpp"

namespace hindsight::io {
namespace {

std::vector<std::string> split(std::string_view line, char sep) {
  std::vector<std::string> parts;
  while (true) {
    const auto at = line.find(sep);
    parts.emplace_back(line.substr(0, at));
    if (at == std::string_view::npos) return parts;
    line.remove_prefix(at + 1);
  }
}

std::string join(const std::vector<std::string>& parts) {
  std::string s;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) s += ',';
    s += parts[i];
  }
  return s;
}

// Column names go into the header unquoted, so they must not need CSV quoting.
void check_columns(const std::vector<std::string>& columns) {
  check(!columns.empty(), "progress.csv needs at least one column");
  std::set<std::string> seen;
  for (const auto& c : columns) {
    check(!c.empty() && c.find_first_of(",\"\r\n") == std::string::npos,
          "metrics column '" + c + "' must be non-empty without commas, quotes or newlines");
    check(seen.insert(c).second, "metrics column '" + c + "' appears twice");
  }
}

// One data line of a CSV: its text and its values.
struct Line {
  std::string text;
  std::vector<double> values;
};

// The header and data lines of a CSV; blank lines are skipped.
std::pair<std::vector<std::string>, std::vector<Line>> parse_csv(const std::string& path) {
  const std::string text = read_file(path);
  std::vector<std::string> header;
  std::vector<Line> lines;
  std::size_t line_no = 0;
  for (const auto& raw : split(text, '\n')) {
    ++line_no;
    if (raw.empty()) continue;
    if (header.empty()) {
      header = split(raw, ',');
      continue;
    }
    const std::string where = path + ":" + std::to_string(line_no) + ": ";
    const auto cells = split(raw, ',');
    check(cells.size() == header.size(), where + std::to_string(cells.size()) + " values for " +
                                             std::to_string(header.size()) + " columns");
    Line line{raw, {}};
    for (std::size_t i = 0; i < cells.size(); ++i) {
      double v = 0;
      const auto& c = cells[i];
      const auto [end, ec] = std::from_chars(c.data(), c.data() + c.size(), v);
      check(ec == std::errc() && end == c.data() + c.size() && !c.empty(),
            where + "column '" + header[i] + "' is not a number: '" + c + "'");
      line.values.push_back(v);
    }
    lines.push_back(std::move(line));
  }
  check(!header.empty(), path + ": empty file, expected a CSV header line");
  return {std::move(header), std::move(lines)};
}

}  // namespace

std::string format_metric(double value) {
  if (std::isnan(value)) return "nan";
  // %.6g would print 1234567 steps as 1.23457e+06; counters stay exact below 2^53.
  if (value == std::floor(value) && std::fabs(value) < 9007199254740992.0) {
    return std::to_string(static_cast<long long>(value));
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", value);
  return buf;
}

MetricsLog::MetricsLog(std::string path, std::vector<std::string> columns)
    : MetricsLog(std::move(path), std::move(columns), "") {
  content_ = join(columns_) + "\n";
  write_file_atomic(path_, content_);
}

MetricsLog::MetricsLog(std::string path, std::vector<std::string> columns, std::string content)
    : path_(std::move(path)), columns_(std::move(columns)), content_(std::move(content)) {
  check_columns(columns_);
}

MetricsLog MetricsLog::resume(const std::string& path, std::vector<std::string> columns, int last_epoch) {
  check_columns(columns);
  auto [header, lines] = parse_csv(path);
  // Where each of this run's columns is in the file's header (npos: a column newer than the file).
  std::vector<std::size_t> from(columns.size(), std::string::npos);
  for (std::size_t h = 0; h < header.size(); ++h) {
    const auto it = std::find(columns.begin(), columns.end(), header[h]);
    check(it != columns.end(), path + ": column '" + header[h] + "' of header '" + join(header) +
                                   "' is not among this run's columns '" + join(columns) + "'");
    std::size_t& at = from[static_cast<std::size_t>(it - columns.begin())];
    check(at == std::string::npos, path + ": column '" + header[h] + "' appears twice in the header");
    at = h;
  }
  const auto epoch_it = std::find(header.begin(), header.end(), "epoch");
  check(epoch_it != header.end(), path + ": no 'epoch' column to resume from");
  const auto epoch_col = static_cast<std::size_t>(epoch_it - header.begin());
  std::string content = join(columns) + "\n";
  double last_logged = -INFINITY;
  for (const Line& line : lines) {
    const double epoch = line.values[epoch_col];
    check(!std::isnan(epoch), path + ": a row has epoch 'nan'");
    last_logged = std::max(last_logged, epoch);
    if (epoch > last_epoch) continue;
    // The cells keep their text (a row under today's header is rewritten byte for byte); columns an older
    // header lacks read nan.
    const auto cells = split(line.text, ',');
    std::vector<std::string> row;
    for (const std::size_t h : from) row.push_back(h == std::string::npos ? "nan" : cells[h]);
    content += join(row) + "\n";
  }
  const std::string ends = lines.empty() ? "before any epoch" : "at epoch " + format_metric(last_logged);
  // A resume from the checkpoint taken before epoch 1 (epoch 0) needs no row.
  check(last_epoch == 0 || last_logged >= last_epoch, path + ": the log ends " + ends +
                                                          " but the run resumes after epoch " +
                                                          std::to_string(last_epoch) + "; rows would be missing");
  MetricsLog log(path, std::move(columns), std::move(content));
  write_file_atomic(log.path_, log.content_);
  return log;
}

void MetricsLog::append_row(const std::vector<double>& values) {
  check(values.size() == columns_.size(), path_ + ": a row has " + std::to_string(values.size()) +
                                              " values for " + std::to_string(columns_.size()) + " columns");
  std::string line;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) line += ',';
    line += format_metric(values[i]);
  }
  std::string next = content_ + line + "\n";
  write_file_atomic(path_, next);
  content_ = std::move(next);
}

void MetricsLog::append_row(const std::map<std::string, double>& values) {
  std::vector<double> row;
  for (const auto& c : columns_) {
    const auto it = values.find(c);
    check(it != values.end(), path_ + ": the row is missing column '" + c + "'");
    row.push_back(it->second);
  }
  for (const auto& [name, v] : values) {
    check(std::find(columns_.begin(), columns_.end(), name) != columns_.end(),
          path_ + ": unknown column '" + name + "' (the header is fixed when the run starts)");
  }
  append_row(row);
}

std::size_t CsvTable::column(const std::string& name) const {
  for (std::size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return i;
  throw Error("no column '" + name + "' in the CSV (columns: " + join(header) + ")");
}

CsvTable read_csv(const std::string& path) {
  auto [header, lines] = parse_csv(path);
  CsvTable table{std::move(header), {}};
  for (auto& line : lines) table.rows.push_back(std::move(line.values));
  return table;
}

}  // namespace hindsight::io
