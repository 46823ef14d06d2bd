#pragma once
// TensorBoard event files: the per-epoch scalars of progress.csv, also in RUN_DIR/tb/, so that
// `tensorboard --logdir runs` shows the curves of every run, live while they train.
// A file is a sequence of TFRecords (uint64 length, masked CRC-32C of the length bytes, payload, masked
// CRC-32C of the payload), each payload one serialized Event: first the file_version record, then one
// Event per epoch at step = env steps whose Summary holds a simple_value (float) per column, tagged with
// the column name. NaN values are left out of the Summary (TensorBoard has no "missing" value): a column
// that is NaN in an epoch's row (test/success_rate with test_episodes=0) has no point at that step.
// Each record is written with one append and flushed to disk (fsync) before write() returns; a process
// killed meanwhile leaves at most a torn last record, which resume() drops.
// Resume mirrors progress.csv (MetricsLog::resume): the trainer writes an epoch's event before its
// checkpoint, so the events after the checkpoint's epoch (by each summary's "epoch" value) are dropped and
// trained again; the kept records are rewritten atomically and appended to. A fresh run (or one restarted
// from the beginning) starts a new file and removes the events files hindsight wrote to dir before, so
// TensorBoard never sees an epoch twice. The file is tb/events.out.tfevents.<unix seconds>.hindsight.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace hindsight::io {

class TbEventWriter {
 public:
  // Starts a new events file in dir (created when missing) holding the file_version record.
  explicit TbEventWriter(const std::string& dir);
  // Continues dir's events file after last_epoch (later and torn records dropped), or starts one if none.
  static TbEventWriter resume(const std::string& dir, int last_epoch);
  ~TbEventWriter();
  TbEventWriter(TbEventWriter&& other) noexcept;
  TbEventWriter& operator=(TbEventWriter&& other) noexcept;
  TbEventWriter(const TbEventWriter&) = delete;
  TbEventWriter& operator=(const TbEventWriter&) = delete;

  // Appends one Event at step, a scalar per value (tag = name, NaN left out), on disk; Error if it cannot.
  void write(std::int64_t step, const std::map<std::string, double>& values);
  // The events file.
  const std::string& path() const { return path_; }

 private:
  // Replaces the file at path with content, atomically, and opens it for appending.
  TbEventWriter(std::string path, const std::string& content);

  std::string path_;
  int fd_ = -1;
  std::uint64_t size_ = 0;  // bytes of complete records in the file
};

// TFRecord's masked CRC-32C: rotated and offset, because a CRC over bytes that hold CRCs is weak.
std::uint32_t masked_crc32c(std::string_view bytes);
// One TFRecord: payload framed by its length and the masked CRC-32C of both.
std::string tfrecord(std::string_view payload);

}  // namespace hindsight::io
