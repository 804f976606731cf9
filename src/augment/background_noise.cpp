#include "augment/background_noise.hpp"

#include <algorithm>

#include "audio/audio_files.hpp"
#include "audio/waveform.hpp"
#include "core/error.hpp"

namespace chorus::augment {

BackgroundNoise::BackgroundNoise(const std::filesystem::path& dir,
                                 const audio::AudioConfig& audio) {
  CHORUS_CHECK_AS(IoError, std::filesystem::is_directory(dir),
                  "augment.background_dir '{}': not a folder", dir.string());
  for (const auto& file : audio::collect_audio_files({dir})) {
    const audio::Waveform w = audio::load_audio(file, audio);
    // A silent or empty recording adds nothing (mix_background skips it): keep it out.
    if (std::any_of(w.samples.begin(), w.samples.end(), [](float x) { return x != 0.0f; }))
      recordings_.emplace_back(w.samples.begin(), w.samples.end());
  }
  CHORUS_CHECK_AS(IoError, !recordings_.empty(),
                  "augment.background_dir '{}': no non-silent audio files in it", dir.string());
}

}  // namespace chorus::augment
