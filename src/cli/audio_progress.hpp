#pragma once
// `chorus predict`'s progress in seconds of audio rather than files: a 64-minute recording moves
// the bar while it is scored, and the rate and time left are in audio (a folder of one long file
// and many short ones has no meaningful files per second). Each recording's length comes from
// its header; one that fails counts as done, so the bar reaches its end. Recordings are told
// apart by their names in the run (the channels of one file are several recordings).

#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "core/progress.hpp"
#include "infer/prediction_run.hpp"

namespace chorus::cli {

class AudioProgress {
 public:
  // `read_lengths` false: no header is opened (a --quiet run without a budget shows no bar, and
  // opening every header first delays its start by about 0.7 ms an Ogg file); total_seconds()
  // is then 0.
  AudioProgress(const std::vector<infer::RunRecording>& recordings, bool read_lengths);

  double total_seconds() const { return total_; }
  // `seconds` of the recording named `name` are scored (from any worker thread).
  void scored(const std::string& name, double seconds);
  // The recording named `name` is done, predicted or failed.
  void finished(const std::string& name);
  void finish() { progress_.finish(); }

 private:
  void advance_to(const std::string& name, double seconds);

  std::map<std::string, double> length_;  // from the headers; 0 when unreadable
  std::map<std::string, double> done_;
  double total_ = 0, total_done_ = 0;
  std::mutex mutex_;
  core::Progress progress_;
};

}  // namespace chorus::cli
