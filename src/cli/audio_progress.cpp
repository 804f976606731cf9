#include "cli/audio_progress.hpp"

#include <cmath>

#include "audio/audio_decoder.hpp"
#include "core/error.hpp"

namespace chorus::cli {
namespace {

std::map<std::string, double> lengths(const std::vector<infer::RunRecording>& recordings,
                                      bool read) {
  std::map<std::filesystem::path, double> file_length;  // a file's channels share its header
  std::map<std::string, double> length;
  for (const infer::RunRecording& r : recordings) {
    const auto [known, added] = file_length.try_emplace(r.file, 0.0);
    if (added && read) {
      try {
        known->second = audio::open_audio(r.file)->info().duration_seconds();
      } catch (const Error&) {
        // unreadable: 0, and the run lists it in errors.csv
      }
    }
    length[r.name] = known->second;
  }
  return length;
}

double sum(const std::map<std::string, double>& length) {
  double total = 0;
  for (const auto& [file, seconds] : length) total += seconds;
  return total;
}

}  // namespace

AudioProgress::AudioProgress(const std::vector<infer::RunRecording>& recordings, bool read_lengths)
    : length_(lengths(recordings, read_lengths)),
      total_(sum(length_)),
      progress_("predict", static_cast<std::uint64_t>(std::llround(total_)), "s of audio") {}

void AudioProgress::scored(const std::string& name, double seconds) {
  std::lock_guard lock(mutex_);
  advance_to(name, std::min(seconds, length_[name]));
}

void AudioProgress::finished(const std::string& name) {
  std::lock_guard lock(mutex_);
  advance_to(name, length_[name]);
}

void AudioProgress::advance_to(const std::string& name, double seconds) {
  double& done = done_[name];
  if (seconds <= done) return;
  // Whole seconds of the run's total, so fractions of many recordings add up.
  const double before = total_done_;
  total_done_ += seconds - done;
  done = seconds;
  progress_.advance(static_cast<std::uint64_t>(std::floor(total_done_) - std::floor(before)));
}

}  // namespace chorus::cli
