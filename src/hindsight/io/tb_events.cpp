#include "hindsight/io/tb_events.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <optional>
#include <utility>
#include <vector>

#include "hindsight/core/error.hpp"
#include "hindsight/io/atomic_file.hpp"
#include "hindsight/io/crc32.hpp"
#include "hindsight/io/tb_events.pb.h"

namespace hindsight::io {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kPrefix = "events.out.tfevents.";
constexpr std::string_view kSuffix = ".hindsight";
constexpr std::size_t kHeader = 12;  // uint64 length + its masked CRC
constexpr std::size_t kFooter = 4;   // masked CRC of the payload

double unix_seconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

void put_le(std::string& out, std::uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out += static_cast<char>((v >> (8 * i)) & 0xFFU);
}

std::uint64_t get_le(std::string_view in, int bytes) {
  std::uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(in[static_cast<std::size_t>(i)]);
  return v;
}

// The file's creation time when name is one of ours ("events.out.tfevents.<digits>.hindsight").
std::optional<long long> our_timestamp(const std::string& name) {
  if (name.size() <= kPrefix.size() + kSuffix.size() || !name.starts_with(kPrefix) || !name.ends_with(kSuffix)) {
    return std::nullopt;
  }
  const std::string digits = name.substr(kPrefix.size(), name.size() - kPrefix.size() - kSuffix.size());
  if (digits.size() > 18 || digits.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  return std::stoll(digits);
}

// The events files hindsight wrote to dir, oldest first.
std::vector<std::pair<long long, std::string>> our_files(const std::string& dir) {
  std::vector<std::pair<long long, std::string>> files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const auto t = our_timestamp(entry.path().filename().string());
    if (t && entry.is_regular_file(ec)) files.emplace_back(*t, entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string version_record() {
  tb::Event event;
  event.set_wall_time(unix_seconds());
  event.set_file_version("brain.Event:2");
  return tfrecord(event.SerializeAsString());
}

// The epoch an event's summary is tagged with, if any.
std::optional<double> epoch_of(const tb::Event& event) {
  if (!event.has_summary()) return std::nullopt;
  for (const auto& v : event.summary().value()) {
    if (v.tag() == "epoch" && v.value_case() == tb::Summary::Value::kSimpleValue) return v.simple_value();
  }
  return std::nullopt;
}

[[noreturn]] void fail(const std::string& what, const std::string& path) {
  throw Error("cannot " + what + " " + path + ": " + std::strerror(errno));
}

void create_dir(const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  check(!ec, "cannot create " + dir + ": " + ec.message());
}

}  // namespace

std::uint32_t masked_crc32c(std::string_view bytes) {
  const std::uint32_t crc = crc32c(bytes);
  return ((crc >> 15) | (crc << 17)) + 0xa282ead8U;
}

std::string tfrecord(std::string_view payload) {
  std::string out;
  out.reserve(kHeader + payload.size() + kFooter);
  put_le(out, payload.size(), 8);
  put_le(out, masked_crc32c(out), 4);
  out += payload;
  put_le(out, masked_crc32c(payload), 4);
  return out;
}

TbEventWriter::TbEventWriter(const std::string& dir)
    : TbEventWriter(dir + "/" + std::string(kPrefix) + std::to_string(std::time(nullptr)) + std::string(kSuffix),
                    version_record()) {
  for (const auto& [t, file] : our_files(dir)) {
    if (file != path_ && std::remove(file.c_str()) != 0) fail("remove", file);
  }
}

TbEventWriter TbEventWriter::resume(const std::string& dir, int last_epoch) {
  const auto files = our_files(dir);
  if (files.empty()) return TbEventWriter(dir);
  const std::string& path = files.back().second;
  const std::string bytes = read_file(path);
  std::string content;
  std::size_t at = 0;
  // Records are read as TensorBoard reads them: up to the first one whose length, checksums or payload
  // are wrong. After a crash that is the torn record of the killed writer; nothing after it is trusted.
  for (bool first = true;; first = false) {
    const std::string_view rest = std::string_view(bytes).substr(at);
    if (rest.size() < kHeader || masked_crc32c(rest.substr(0, 8)) != get_le(rest.substr(8), 4)) break;
    const std::uint64_t n = get_le(rest, 8);
    if (rest.size() < kHeader + kFooter || n > rest.size() - kHeader - kFooter) break;
    const std::string_view payload = rest.substr(kHeader, n);
    if (masked_crc32c(payload) != get_le(rest.substr(kHeader + n), 4)) break;
    tb::Event event;
    if (!event.ParseFromArray(payload.data(), static_cast<int>(payload.size()))) break;
    const std::string_view frame = rest.substr(0, kHeader + n + kFooter);
    at += frame.size();
    if (first && event.has_file_version()) {
      content += frame;
      continue;
    }
    if (first) content += version_record();
    // The trainer writes an epoch's event before its checkpoint: events after last_epoch belong to
    // epochs the resumed run trains again.
    const auto epoch = epoch_of(event);
    if (epoch && *epoch <= last_epoch) content += frame;
  }
  if (content.empty()) content = version_record();
  return TbEventWriter(path, content);
}

TbEventWriter::TbEventWriter(std::string path, const std::string& content) : path_(std::move(path)) {
  const std::string dir = fs::path(path_).parent_path().string();
  create_dir(dir);
  // Left by a writer killed while rewriting the file.
  remove_stale_temp_files(dir);
  // Staged under a name without "tfevents": TensorBoard loads every such file in the directory, and
  // would take write_file_atomic's temporary file for a second run.
  const std::string staged = dir + "/.events.staged";
  write_file_atomic(staged, content);
  if (::rename(staged.c_str(), path_.c_str()) != 0) fail("rename onto", path_);
  const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    ::fsync(dir_fd);  // the rename is durable once its directory is
    ::close(dir_fd);
  }
  fd_ = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  if (fd_ < 0) fail("open", path_);
  size_ = content.size();
}

TbEventWriter::~TbEventWriter() {
  if (fd_ >= 0) ::close(fd_);
}

TbEventWriter::TbEventWriter(TbEventWriter&& other) noexcept
    : path_(std::move(other.path_)), fd_(std::exchange(other.fd_, -1)), size_(other.size_) {}

TbEventWriter& TbEventWriter::operator=(TbEventWriter&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    path_ = std::move(other.path_);
    fd_ = std::exchange(other.fd_, -1);
    size_ = other.size_;
  }
  return *this;
}

void TbEventWriter::write(std::int64_t step, const std::map<std::string, double>& values) {
  check(fd_ >= 0, "TensorBoard events file " + path_ + " is closed");
  tb::Event event;
  event.set_wall_time(unix_seconds());
  event.set_step(step);
  tb::Summary* summary = event.mutable_summary();
  for (const auto& [tag, v] : values) {
    if (std::isnan(v)) continue;
    tb::Summary::Value* value = summary->add_value();
    value->set_tag(tag);
    value->set_simple_value(static_cast<float>(v));
  }
  const std::string record = tfrecord(event.SerializeAsString());
  std::string_view left = record;
  while (!left.empty()) {
    const ssize_t n = ::write(fd_, left.data(), left.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int err = n < 0 ? errno : EIO;
      // A partial record would end the file for every reader: cut it off again (if that fails too, the
      // next resume() drops it as a torn record).
      [[maybe_unused]] const int cut = ::ftruncate(fd_, static_cast<off_t>(size_));
      errno = err;
      fail("write", path_);
    }
    left.remove_prefix(static_cast<std::size_t>(n));
  }
  if (::fsync(fd_) != 0) fail("flush", path_);
  size_ += record.size();
}

}  // namespace hindsight::io
