#pragma once
// Crash-safe file writes: data goes to a temporary file in the same directory, is flushed to disk
// (fsync) and renamed over the target, so a reader sees either the old file or the complete new one.
#include <string>
#include <string_view>

namespace hindsight::io {

// Writes bytes to path atomically; throws Error naming the path on any failure (the old file stays).
void write_file_atomic(const std::string& path, std::string_view bytes);
// Reads a whole file; throws Error naming the path when it cannot be read.
std::string read_file(const std::string& path);
// True when path names an existing regular file.
bool file_exists(const std::string& path);

}  // namespace hindsight::io
