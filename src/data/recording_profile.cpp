#include "data/recording_profile.hpp"

#include <algorithm>
#include <cmath>

#include "audio/waveform.hpp"
#include "core/content_hash.hpp"
#include "features/mel_spectrogram.hpp"

namespace chorus::data {
namespace {

// 16 mel bands from 100 Hz to 12 kHz over 1-second blocks: coarse enough to survive lossy
// re-encoding and resampling, fine enough to tell two calls of one species apart.
std::vector<float> fingerprint_of(std::span<const float> samples, int sample_rate) {
  features::FeatureConfig c;
  c.n_fft = 2048;
  c.hop_length = sample_rate / 10;
  c.n_mels = kFingerprintBands;
  c.f_min = 100;
  c.f_max = std::min(12000.0, sample_rate / 2.0);
  const features::Spectrogram mel = features::MelSpectrogram(c, sample_rate).compute(samples, 1);
  const int seconds = std::max(1, mel.n_frames / 10);
  std::vector<float> out(static_cast<std::size_t>(seconds) * kFingerprintBands, 0.0f);
  for (int s = 0; s < seconds; ++s) {
    float* v = out.data() + static_cast<std::ptrdiff_t>(s) * kFingerprintBands;
    for (int b = 0; b < kFingerprintBands; ++b) {
      double energy = 0;
      for (int t = s * 10; t < std::min(mel.n_frames, s * 10 + 10); ++t) energy += mel.at(b, t);
      v[b] = static_cast<float>(std::log10(energy + 1e-12));
    }
    double mean = 0, norm = 0;
    for (int b = 0; b < kFingerprintBands; ++b) mean += v[b];
    mean /= kFingerprintBands;
    for (int b = 0; b < kFingerprintBands; ++b) norm += (v[b] - mean) * (v[b] - mean);
    norm = std::sqrt(norm) + 1e-12;
    for (int b = 0; b < kFingerprintBands; ++b) v[b] = static_cast<float>((v[b] - mean) / norm);
  }
  return out;
}

}  // namespace

RecordingProfile profile_recording(const std::filesystem::path& path, const audio::AudioConfig& config) {
  const audio::Waveform wave = audio::load_audio(path, config, 1);
  RecordingProfile p;
  p.duration_seconds = wave.duration_seconds();
  p.stats = audio::compute_stats(wave.samples);
  p.t_score = p.stats.stddev + p.stats.variance + p.stats.rms + p.stats.power;
  p.samples_hash = core::hash_text({reinterpret_cast<const char*>(wave.samples.data()),
                                    wave.samples.size() * sizeof(float)});
  p.fingerprint = fingerprint_of(wave.samples, wave.sample_rate);
  return p;
}

double fingerprint_similarity(const std::vector<float>& a, const std::vector<float>& b) {
  const std::size_t n = std::min(a.size(), b.size());
  if (n == 0) return 0;
  double dot = 0;
  for (std::size_t i = 0; i < n; ++i) dot += static_cast<double>(a[i]) * b[i];
  return dot / static_cast<double>(n / kFingerprintBands);  // mean over seconds of unit vectors
}

}  // namespace chorus::data
