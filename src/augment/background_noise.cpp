#include "augment/background_noise.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include "audio/waveform.hpp"
#include "core/error.hpp"

namespace chorus::augment {
namespace {

bool is_audio(const std::filesystem::path& p) {
  static const std::set<std::string> kExtensions = {".wav", ".flac", ".ogg", ".opus",
                                                    ".mp3", ".aiff", ".aif"};
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return kExtensions.contains(ext);
}

}  // namespace

BackgroundNoise::BackgroundNoise(const std::filesystem::path& dir,
                                 const audio::AudioConfig& audio) {
  CHORUS_CHECK_AS(IoError, std::filesystem::is_directory(dir),
                  "augment.background_dir '{}': not a folder", dir.string());
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir))
    if (entry.is_regular_file() && is_audio(entry.path())) files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    const audio::Waveform w = audio::load_audio(file, audio);
    // A silent or empty recording adds nothing (mix_background skips it): keep it out.
    if (std::any_of(w.samples.begin(), w.samples.end(), [](float x) { return x != 0.0f; }))
      recordings_.emplace_back(w.samples.begin(), w.samples.end());
  }
  CHORUS_CHECK_AS(IoError, !recordings_.empty(),
                  "augment.background_dir '{}': no non-silent audio files in it", dir.string());
}

}  // namespace chorus::augment
