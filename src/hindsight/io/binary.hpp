#pragma once
// Little building blocks of the project's binary blobs (replay buffers, fixed transitions, learner
// state): appending plain values to a byte string and reading them back with every read bounds-checked,
// so a truncated or oversized blob is one clear Error instead of a read past the end.
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace hindsight::io {

// Appends the bytes of one trivially copyable value (host byte order) to out.
template <typename T>
void put(std::string& out, const T& value) {
  static_assert(std::is_trivially_copyable_v<T>);
  out.append(reinterpret_cast<const char*>(&value), sizeof(T));
}

// Appends the bytes of a float array to out.
inline void put_floats(std::string& out, std::span<const float> values) {
  out.append(reinterpret_cast<const char*>(values.data()), values.size_bytes());
}

// Reads a blob front to back. `what` names it in errors ("runs/a/x.ckpt: replay data").
class BinaryReader {
 public:
  // Reads from bytes, starting at offset start; bytes must outlive the reader.
  BinaryReader(std::string_view bytes, std::string what, std::size_t start = 0);

  // Copies the next n bytes to dst; throws Error "<what> truncated at byte P of N (needed M more)".
  void raw(void* dst, std::size_t n);
  // The next value of type T (host byte order).
  template <typename T>
  T get() {
    static_assert(std::is_trivially_copyable_v<T>);
    T value;
    raw(&value, sizeof(T));
    return value;
  }
  // Replaces v with the next n floats.
  void floats(std::vector<float>& v, std::size_t n);
  // Bytes not read yet.
  std::size_t remaining() const { return bytes_.size() - pos_; }
  // True when every byte has been read.
  bool done() const { return pos_ == bytes_.size(); }
  // Offset of the next byte to read.
  std::size_t position() const { return pos_; }

 private:
  std::string_view bytes_;
  std::string what_;
  std::size_t pos_;
};

}  // namespace hindsight::io
