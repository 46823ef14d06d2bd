#include "hindsight/io/checkpoint.hpp"

#include "hindsight/core/error.hpp"
#include "hindsight/io/atomic_file.hpp"
#include "hindsight/io/crc32.hpp"

namespace hindsight::io {
namespace {

constexpr std::string_view kMagic = "HSCKPT01";

template <class U>
void put(std::string& out, U v) {
  for (std::size_t i = 0; i < sizeof(U); ++i) out += static_cast<char>((v >> (8 * i)) & 0xFFU);
}

// Reads the file front to back; every read is bounds-checked so that any prefix or corruption ends
// in an Error, never in a read past the end or a huge allocation.
class Reader {
 public:
  Reader(std::string_view bytes, const std::string& source) : bytes_(bytes), source_(source) {}

  std::size_t pos() const { return pos_; }
  std::size_t left() const { return bytes_.size() - pos_; }

  template <class U>
  U get(const std::string& what) {
    need(sizeof(U), what);
    U v = 0;
    for (std::size_t i = 0; i < sizeof(U); ++i)
      v |= static_cast<U>(static_cast<unsigned char>(bytes_[pos_ + i])) << (8 * i);
    pos_ += sizeof(U);
    return v;
  }

  std::string_view take(std::uint64_t n, const std::string& what) {
    need(n, what);
    const std::string_view s = bytes_.substr(pos_, static_cast<std::size_t>(n));
    pos_ += static_cast<std::size_t>(n);
    return s;
  }

  [[noreturn]] void fail(const std::string& problem) const { throw Error(source_ + ": " + problem); }

 private:
  void need(std::uint64_t n, const std::string& what) const {
    if (n > left())
      fail("truncated (" + what + " needs " + std::to_string(n) + " bytes, " + std::to_string(left()) +
           " left)");
  }

  std::string_view bytes_;
  const std::string& source_;
  std::size_t pos_ = 0;
};

std::string describe(const std::string& source) { return source.empty() ? "checkpoint" : source; }

}  // namespace

void Checkpoint::set(const std::string& name, std::string bytes) {
  check(!name.empty(), "checkpoint section names must not be empty");
  sections_[name] = std::move(bytes);
}

const std::string& Checkpoint::get(const std::string& name) const {
  const auto it = sections_.find(name);
  if (it == sections_.end()) {
    std::string have;
    for (const auto& [n, bytes] : sections_) have += (have.empty() ? "" : ", ") + n;
    throw Error(describe(source_) + ": no section '" + name + "' (it has: " +
                (have.empty() ? "none" : have) + ")");
  }
  return it->second;
}

bool Checkpoint::has(const std::string& name) const { return sections_.count(name) > 0; }

std::vector<std::string> Checkpoint::names() const {
  std::vector<std::string> n;
  for (const auto& [name, bytes] : sections_) n.push_back(name);
  return n;
}

std::string Checkpoint::serialize() const {
  std::string out(kMagic);
  put<std::uint32_t>(out, static_cast<std::uint32_t>(sections_.size()));
  for (const auto& [name, bytes] : sections_) {
    put<std::uint32_t>(out, static_cast<std::uint32_t>(name.size()));
    out += name;
    put<std::uint64_t>(out, bytes.size());
    put<std::uint32_t>(out, crc32(bytes));
  }
  put<std::uint32_t>(out, crc32(out));
  for (const auto& [name, bytes] : sections_) out += bytes;
  return out;
}

Checkpoint Checkpoint::parse(std::string_view bytes, const std::string& source) {
  const std::string where = describe(source);
  Reader r(bytes, where);
  if (bytes.substr(0, kMagic.size()) != kMagic) r.fail("not a hindsight checkpoint");
  r.take(kMagic.size(), "magic");
  const auto count = r.get<std::uint32_t>("section count");

  struct Entry {
    std::string name;
    std::uint64_t size;
    std::uint32_t crc;
  };
  std::vector<Entry> table;
  for (std::uint32_t i = 0; i < count; ++i) {
    const std::string what = "section table entry " + std::to_string(i + 1) + " of " + std::to_string(count);
    const auto name_len = r.get<std::uint32_t>(what);
    Entry e;
    e.name = std::string(r.take(name_len, what));
    e.size = r.get<std::uint64_t>(what);
    e.crc = r.get<std::uint32_t>(what);
    table.push_back(std::move(e));
  }
  const std::size_t table_end = r.pos();
  if (r.get<std::uint32_t>("section table checksum") != crc32(bytes.substr(0, table_end)))
    r.fail("checksum mismatch in the section table");

  Checkpoint ckpt;
  ckpt.source_ = source;
  for (const Entry& e : table) {
    const std::string_view payload = r.take(e.size, "section '" + e.name + "'");
    if (crc32(payload) != e.crc) r.fail("checksum mismatch in section '" + e.name + "'");
    if (!ckpt.sections_.emplace(e.name, std::string(payload)).second)
      r.fail("duplicate section '" + e.name + "'");
  }
  if (r.left() != 0) r.fail(std::to_string(r.left()) + " unexpected bytes after the last section");
  return ckpt;
}

void Checkpoint::write(const std::string& path) const { write_file_atomic(path, serialize()); }

void Checkpoint::write_rotating(const std::string& path, const std::string& previous) const {
  write_file_rotating(path, previous, serialize());
}

Checkpoint Checkpoint::read(const std::string& path) { return parse(read_file(path), path); }

}  // namespace hindsight::io
