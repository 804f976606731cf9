#pragma once
// Noise generators: the floor under synthetic recordings (synth/) and the noise that
// augmentation adds to training clips (augment/). Each takes the caller's generator, so a
// result depends only on the seed it is given.

#include <cstdint>
#include <random>
#include <span>

namespace chorus::audio {

// White noise, uniform in [-1, 1): one generator step per sample, several times cheaper than a
// normal draw. Only ever used filtered or summed (pink noise, wind, rain), where the result is
// Gaussian anyway and the spectrum, not the sample distribution, is what is heard.
inline double white_sample(std::mt19937& rng) {
  return static_cast<double>(rng()) * (2.0 / 4294967296.0) - 1.0;
}

// Adds pink (1/f) noise of the given RMS (Paul Kellet's refined filter over white noise).
void add_pink_noise(std::span<float> out, double rms, std::mt19937& rng);

// Adds `component` to `out` (element by element) scaled to the given RMS, so levels and SNRs
// built on it are exactly what they say; a silent component adds nothing.
void add_at_rms(std::span<float> out, std::span<const float> component, double rms);

}  // namespace chorus::audio
