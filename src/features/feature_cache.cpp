#include "features/feature_cache.hpp"

#include <fmt/format.h>

#include <array>
#include <atomic>

#include "core/atomic_file.hpp"
#include "core/content_hash.hpp"
#include "core/error.hpp"
#include "features/file_features.hpp"

namespace chorus::features {
namespace {

// Bumped whenever what an entry holds changes meaning.
constexpr int kCacheFormat = 1;

std::string settings_text(const audio::AudioConfig& a, const features::FeatureConfig& f) {
  return fmt::format(
      "# chorus feature cache: mel power spectrograms, float32 [n_mels, frames], format {}\n{}",
      kCacheFormat, features::mel_settings_text(a, f));
}

}  // namespace

FeatureCache::FeatureCache(const std::filesystem::path& root, const audio::AudioConfig& audio,
                           const features::FeatureConfig& features)
    : audio_(audio), mel_(features, audio.sample_rate) {
  const std::string text = settings_text(audio, features);
  directory_ = root / core::hash_text(text).substr(0, 16);
  std::error_code ec;
  std::filesystem::create_directories(directory_, ec);
  CHORUS_CHECK_AS(IoError, !ec, "cannot create the feature cache {}: {}", directory_.string(),
                  ec.message());
  if (!std::filesystem::exists(directory_ / "settings.toml"))
    core::write_file_atomically(directory_ / "settings.toml", text);
}

std::filesystem::path FeatureCache::entry_for(const std::filesystem::path& audio_file) const {
  return directory_ / (core::hash_file(audio_file) + ".npy");
}

std::int64_t FeatureCache::valid_frames(const std::filesystem::path& entry) const {
  if (!std::filesystem::exists(entry)) return 0;
  try {
    const core::MappedNpy mapped(entry);
    const bool valid = mapped.shape().size() == 2 && mapped.shape()[0] == mel_.n_mels();
    return valid ? mapped.shape()[1] : 0;
  } catch (const Error&) {
    return 0;  // damaged: rebuilt by ensure()
  }
}

FeatureCache::Entry FeatureCache::ensure(const std::filesystem::path& audio_file, int threads) {
  Entry entry;
  entry.path = entry_for(audio_file);
  entry.frames = valid_frames(entry.path);
  if (entry.frames > 0) return entry;
  const features::FileFeatures mel = features::compute_file_mel(audio_file, audio_, mel_, threads);
  const std::array<std::int64_t, 2> shape{mel.features.n_bins, mel.features.n_frames};
  core::write_npy(entry.path, mel.features.values, shape);
  entry.computed = true;
  entry.frames = mel.features.n_frames;
  return entry;
}

double FeatureCache::seconds_of(std::int64_t frames) const {
  return static_cast<double>(frames) * mel_.stft().hop_length / mel_.sample_rate();
}

core::MappedNpy FeatureCache::map(const std::filesystem::path& audio_file) const {
  const std::filesystem::path entry = entry_for(audio_file);
  CHORUS_CHECK_AS(IoError, std::filesystem::exists(entry),
                  "{}: not in the feature cache {} (run chorus prepare)", audio_file.string(),
                  directory_.string());
  return core::MappedNpy(entry);
}

FeatureCache::FillSummary FeatureCache::ensure_all(
    const std::vector<std::filesystem::path>& audio_files, int threads,
    core::ProgressSink* progress, const std::string& label) {
  const auto task = core::start_task(progress, label, audio_files.size(), "files");
  std::atomic<std::size_t> computed{0};
  std::atomic<std::int64_t> frames{0};
  FillSummary summary;
  summary.failures = core::parallel_for_each_item(audio_files.size(), threads, [&](std::size_t i) {
    const Entry entry = ensure(audio_files[i], 1);
    if (entry.computed) ++computed;
    frames += entry.frames;
    task->advance();
  });
  task->finish();
  summary.computed = computed;
  summary.frames = frames;
  return summary;
}

}  // namespace chorus::features
