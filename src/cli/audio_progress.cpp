#include "cli/audio_progress.hpp"

#include <cmath>

#include "audio/audio_decoder.hpp"
#include "core/error.hpp"

namespace chorus::cli {
namespace {

std::map<std::filesystem::path, double> lengths(const std::vector<std::filesystem::path>& files) {
  std::map<std::filesystem::path, double> length;
  for (const auto& f : files) {
    try {
      length[f] = audio::open_audio(f)->info().duration_seconds();
    } catch (const Error&) {
      length[f] = 0;  // unreadable: the run lists it in errors.csv
    }
  }
  return length;
}

double sum(const std::map<std::filesystem::path, double>& length) {
  double total = 0;
  for (const auto& [file, seconds] : length) total += seconds;
  return total;
}

}  // namespace

AudioProgress::AudioProgress(const std::vector<std::filesystem::path>& recordings)
    : length_(lengths(recordings)),
      total_(sum(length_)),
      progress_("predict", static_cast<std::uint64_t>(std::llround(total_)), "s of audio") {}

void AudioProgress::scored(const std::filesystem::path& recording, double seconds) {
  std::lock_guard lock(mutex_);
  advance_to(recording, std::min(seconds, length_[recording]));
}

void AudioProgress::finished(const std::filesystem::path& recording) {
  std::lock_guard lock(mutex_);
  advance_to(recording, length_[recording]);
}

void AudioProgress::advance_to(const std::filesystem::path& recording, double seconds) {
  double& done = done_[recording];
  if (seconds <= done) return;
  // Whole seconds of the run's total, so fractions of many recordings add up.
  const double before = total_done_;
  total_done_ += seconds - done;
  done = seconds;
  progress_.advance(static_cast<std::uint64_t>(std::floor(total_done_) - std::floor(before)));
}

}  // namespace chorus::cli
