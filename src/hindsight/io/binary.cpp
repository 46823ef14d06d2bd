#include "hindsight/io/binary.hpp"

#include <cstring>
#include <utility>

#include "hindsight/core/error.hpp"

namespace hindsight::io {

BinaryReader::BinaryReader(std::string_view bytes, std::string what, std::size_t start)
    : bytes_(bytes), what_(std::move(what)), pos_(start) {
  check(start <= bytes.size(), what_ + " truncated: " + std::to_string(bytes.size()) + " bytes, its header needs " +
                                   std::to_string(start));
}

void BinaryReader::raw(void* dst, std::size_t n) {
  check(remaining() >= n, what_ + " truncated at byte " + std::to_string(pos_) + " of " +
                              std::to_string(bytes_.size()) + " (needed " + std::to_string(n - remaining()) +
                              " more)");
  if (n > 0) std::memcpy(dst, bytes_.data() + pos_, n);
  pos_ += n;
}

void BinaryReader::floats(std::vector<float>& v, std::size_t n) {
  // Checked before resizing, so a corrupt count cannot ask for a huge allocation.
  check(n <= remaining() / sizeof(float), what_ + " truncated at byte " + std::to_string(pos_) + " of " +
                                              std::to_string(bytes_.size()) + " (needed " +
                                              std::to_string(n) + " floats)");
  v.resize(n);
  raw(v.data(), n * sizeof(float));
}

}  // namespace hindsight::io
