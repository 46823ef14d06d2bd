#pragma once
// A reader of TensorBoard events files for the tests, written apart from io/tb_events: its own bitwise
// CRC-32C and framing, and protobuf's own parser, so a mistake in the writer cannot hide in shared code.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "hindsight/io/metrics_log.hpp"
#include "hindsight/io/run_dir.hpp"
#include "hindsight/io/tb_events.pb.h"

namespace hindsight::testing {

// CRC-32C one bit at a time, from the definition (reflected polynomial 0x82F63B78, inverted in and out).
inline std::uint32_t bitwise_crc32c(std::string_view bytes) {
  std::uint32_t crc = 0xFFFFFFFFU;
  for (const char ch : bytes) {
    crc ^= static_cast<unsigned char>(ch);
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0x82F63B78U & (0U - (crc & 1U)));
  }
  return crc ^ 0xFFFFFFFFU;
}

// The TFRecord mask of a CRC.
inline std::uint32_t tfrecord_mask(std::uint32_t crc) { return ((crc >> 15) | (crc << 17)) + 0xa282ead8U; }

// The little-endian unsigned number in bytes.
inline std::uint64_t little_endian(std::string_view bytes) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < bytes.size(); ++i) v |= std::uint64_t{static_cast<unsigned char>(bytes[i])} << (8 * i);
  return v;
}

// What an events file decoded to: its events in order, and why decoding stopped early (empty: it did not).
struct TbRecords {
  std::vector<tb::Event> events;
  std::string error;
};

// Decodes every record of an events file, checking both masked CRCs of each.
inline TbRecords decode_tb_records(const std::string& bytes) {
  TbRecords out;
  std::size_t at = 0;
  while (at < bytes.size()) {
    const std::string where = "record " + std::to_string(out.events.size()) + " at byte " + std::to_string(at);
    if (bytes.size() - at < 12) {
      out.error = where + ": truncated header";
      return out;
    }
    const std::string_view length(bytes.data() + at, 8);
    if (tfrecord_mask(bitwise_crc32c(length)) != little_endian(std::string_view(bytes.data() + at + 8, 4))) {
      out.error = where + ": length CRC mismatch";
      return out;
    }
    const std::uint64_t n = little_endian(length);
    if (bytes.size() - at - 12 < n || bytes.size() - at - 12 - n < 4) {
      out.error = where + ": truncated payload";
      return out;
    }
    const std::string payload = bytes.substr(at + 12, n);
    if (tfrecord_mask(bitwise_crc32c(payload)) != little_endian(std::string_view(bytes.data() + at + 12 + n, 4))) {
      out.error = where + ": payload CRC mismatch";
      return out;
    }
    tb::Event event;
    if (!event.ParseFromString(payload)) {
      out.error = where + ": not an Event";
      return out;
    }
    out.events.push_back(std::move(event));
    at += 12 + n + 4;
  }
  return out;
}

// The whole content of a file.
inline std::string tb_file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The paths of the files in dir whose names hold "tfevents" (every one TensorBoard would read).
inline std::vector<std::string> tb_files_in(const std::string& dir) {
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    if (e.path().filename().string().find("tfevents") != std::string::npos) files.push_back(e.path().string());
  }
  return files;
}

// The value of tag in a summary event, if present.
inline std::optional<float> tb_value(const tb::Event& event, const std::string& tag) {
  for (const auto& v : event.summary().value()) {
    if (v.tag() == tag && v.value_case() == tb::Summary::Value::kSimpleValue) return v.simple_value();
  }
  return std::nullopt;
}

// Expects the run's one TensorBoard events file to hold the version record and then exactly one summary per
// progress.csv row, at step env_steps, with every non-NaN value of the row (progress.csv rounds to 6 digits,
// the event to a float) and without its NaN ones.
inline void expect_tb_events_match_progress(const std::string& run_dir) {
  const auto paths = io::run_paths(run_dir);
  const auto files = tb_files_in(paths.tb);
  ASSERT_EQ(files.size(), 1u) << paths.tb;
  const auto got = decode_tb_records(tb_file_bytes(files[0]));
  ASSERT_EQ(got.error, "") << files[0];
  const auto progress = io::read_csv(paths.progress);
  ASSERT_EQ(got.events.size(), progress.rows.size() + 1) << files[0];
  EXPECT_EQ(got.events[0].file_version(), "brain.Event:2");
  for (std::size_t i = 0; i < progress.rows.size(); ++i) {
    const auto& ev = got.events[i + 1];
    const auto& row = progress.rows[i];
    ASSERT_TRUE(ev.has_summary()) << "event " << i + 1;
    EXPECT_EQ(static_cast<double>(ev.step()), row[progress.column("env_steps")]) << "row " << i;
    const auto finite = std::count_if(row.begin(), row.end(), [](double v) { return !std::isnan(v); });
    EXPECT_EQ(ev.summary().value_size(), finite) << "row " << i;
    for (std::size_t j = 0; j < row.size(); ++j) {
      const std::string& tag = progress.header[j];
      const auto value = tb_value(ev, tag);
      if (std::isnan(row[j])) {
        EXPECT_FALSE(value.has_value()) << "row " << i << " " << tag;
      } else {
        ASSERT_TRUE(value.has_value()) << "row " << i << " lacks " << tag;
        EXPECT_NEAR(*value, row[j], 1e-5 * std::max(1.0, std::fabs(row[j]))) << "row " << i << " " << tag;
      }
    }
  }
}

}  // namespace hindsight::testing
