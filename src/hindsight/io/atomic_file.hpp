#pragma once
// Crash-safe file writes: data goes to a temporary file in the same directory, is flushed to disk
// (fsync) and renamed over the target, so a reader sees either the old file or the complete new one.
// Temporary files are named "<target>.tmp.XXXXXX"; one left behind by a killed process is harmless and
// remove_stale_temp_files() clears them.
#include <string>
#include <string_view>

namespace hindsight::io {

// Writes bytes to path atomically; throws Error naming the path on any failure (the old file stays).
void write_file_atomic(const std::string& path, std::string_view bytes);
// Writes bytes to path atomically and keeps the file it replaces as previous: the new data is complete
// on disk before anything is renamed, so at every instant the newest complete version is path (or, for
// the moment between the two renames, previous). A failure leaves both old files as they were.
void write_file_rotating(const std::string& path, const std::string& previous, std::string_view bytes);
// Reads a whole file; throws Error naming the path when it cannot be read (a directory cannot).
std::string read_file(const std::string& path);
// True when path names an existing regular file.
bool file_exists(const std::string& path);
// Removes the temporary files ("*.tmp.XXXXXX") that killed writers left in dir; returns how many.
int remove_stale_temp_files(const std::string& dir);

}  // namespace hindsight::io
