#pragma once
// `chorus predict`'s progress in seconds of audio rather than files: a 64-minute recording moves
// the bar while it is scored, and the rate and time left are in audio (a folder of one long file
// and many short ones has no meaningful files per second). Each recording's length comes from
// its header; one that fails counts as done, so the bar reaches its end.

#include <filesystem>
#include <map>
#include <mutex>
#include <vector>

#include "core/progress.hpp"

namespace chorus::cli {

class AudioProgress {
 public:
  explicit AudioProgress(const std::vector<std::filesystem::path>& recordings);

  double total_seconds() const { return total_; }
  // `seconds` of `recording` are scored (from any worker thread).
  void scored(const std::filesystem::path& recording, double seconds);
  // `recording` is done, predicted or failed.
  void finished(const std::filesystem::path& recording);
  void finish() { progress_.finish(); }

 private:
  void advance_to(const std::filesystem::path& recording, double seconds);

  std::map<std::filesystem::path, double> length_;  // from the headers; 0 when unreadable
  std::map<std::filesystem::path, double> done_;
  double total_ = 0, total_done_ = 0;
  std::mutex mutex_;
  core::Progress progress_;
};

}  // namespace chorus::cli
