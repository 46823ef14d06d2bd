#pragma once
// A checkpoint file: named binary sections (e.g. "learner/0", "normalizer/0", "trainer") in one file
// that is written atomically and fully verified on read, so a damaged file is refused with one clear
// line instead of loading half a model.
//
// Layout (integers little-endian):
//   "HSCKPT01"                      magic, 8 bytes
//   u32 section count
//   per section: u32 name length, name bytes, u64 payload length, u32 CRC-32 of the payload
//   u32 CRC-32 of every byte above  (the section table is verified before any length in it is trusted)
//   the payloads, in table order, with nothing after the last one
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace hindsight::io {

class Checkpoint {
 public:
  // Adds or replaces a section; the name must be non-empty.
  void set(const std::string& name, std::string bytes);
  // The payload of a section; throws Error naming the section (and the file) when it is missing.
  const std::string& get(const std::string& name) const;
  // True when the section exists.
  bool has(const std::string& name) const;
  // Section names in file order (sorted, so equal contents give byte-identical files).
  std::vector<std::string> names() const;

  // The file's bytes.
  std::string serialize() const;
  // Parses and verifies bytes; source names them in errors (a path, usually).
  static Checkpoint parse(std::string_view bytes, const std::string& source);
  // Writes the file atomically (temporary file, fsync, rename).
  void write(const std::string& path) const;
  // Writes the file atomically and keeps the file it replaces as previous (see write_file_rotating).
  void write_rotating(const std::string& path, const std::string& previous) const;
  // Reads and verifies a file; any damage throws one Error line naming the file and the problem.
  static Checkpoint read(const std::string& path);

 private:
  std::map<std::string, std::string> sections_;
  std::string source_;  // where it was read from, for error messages
};

}  // namespace hindsight::io
