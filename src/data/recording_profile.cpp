#include "data/recording_profile.hpp"

#include <algorithm>
#include <cmath>

#include "audio/waveform.hpp"
#include "core/content_hash.hpp"
#include "features/mel_spectrogram.hpp"

namespace chorus::data {
namespace {

// 16 mel bands from 100 Hz to 12 kHz every 0.1 s, log energy, each band's mean over time
// removed: what remains is how the sound moves in time and frequency. Identical audio
// re-encoded or resampled keeps it (similarity ≈ 1); two takes of a steady sound (rain, an
// engine) share a spectral shape but not its fluctuations, so they do not match.
std::vector<float> fingerprint_of(std::span<const float> samples, int sample_rate) {
  features::FeatureConfig c;
  c.n_fft = 2048;
  c.hop_length = sample_rate / 10;
  c.n_mels = kFingerprintBands;
  c.f_min = 100;
  c.f_max = std::min(12000.0, sample_rate / 2.0);
  const features::Spectrogram mel = features::MelSpectrogram(c, sample_rate).compute(samples, 1);
  // Energies more than 60 dB below the loudest block are floored there, so stretches of
  // digital silence (common after short events) do not dominate the comparison.
  const float peak = *std::max_element(mel.values.begin(), mel.values.end());
  const double floor = std::log10(static_cast<double>(peak) + 1e-20) - 6.0;
  const auto level = [&](int b, int t) {
    return std::max(floor, std::log10(mel.at(b, t) + 1e-20));
  };
  std::vector<float> out(static_cast<std::size_t>(mel.n_frames) * kFingerprintBands);
  for (int b = 0; b < kFingerprintBands; ++b) {
    double mean = 0;
    for (int t = 0; t < mel.n_frames; ++t) mean += level(b, t);
    mean /= std::max(1, mel.n_frames);
    for (int t = 0; t < mel.n_frames; ++t)
      out[static_cast<std::size_t>(t) * kFingerprintBands + b] =
          static_cast<float>(level(b, t) - mean);
  }
  return out;
}

}  // namespace

RecordingProfile profile_recording(const std::filesystem::path& path,
                                   const audio::AudioConfig& config) {
  const audio::Waveform wave = audio::load_audio(path, config, 1);
  RecordingProfile p;
  p.duration_seconds = wave.duration_seconds();
  p.stats = audio::compute_stats(wave.samples);
  p.t_score = p.stats.stddev + p.stats.variance + p.stats.rms + p.stats.power;
  p.samples_hash = core::hash_text(
      {reinterpret_cast<const char*>(wave.samples.data()), wave.samples.size() * sizeof(float)});
  p.fingerprint = fingerprint_of(wave.samples, wave.sample_rate);
  return p;
}

double fingerprint_similarity(const std::vector<float>& a, const std::vector<float>& b) {
  const std::size_t n = std::min(a.size(), b.size());
  double dot = 0, aa = 0, bb = 0;
  for (std::size_t i = 0; i < n; ++i) {
    dot += static_cast<double>(a[i]) * b[i];
    aa += static_cast<double>(a[i]) * a[i];
    bb += static_cast<double>(b[i]) * b[i];
  }
  return aa > 0 && bb > 0 ? dot / std::sqrt(aa * bb) : 0.0;
}

}  // namespace chorus::data
