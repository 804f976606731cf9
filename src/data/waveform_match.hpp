#pragma once
// Whether two recordings hold the same audio, from their waveforms: the peak of their normalised
// cross-correlation. Re-encoding (lossy or not) and resampling keep a waveform's shape, so a copy
// scores near 1 (0.95+ for Vorbis/MP3 at ordinary bitrates); two takes of the same kind of sound
// — the same engine, rain on the same roof — share a spectrum but not a waveform and score near
// 0. Cleaning uses it to confirm the near-duplicate candidates the spectral fingerprints propose.

#include <span>

namespace chorus::data {

// max over |lag| ≤ max_lag of Σ a[i]·b[i+lag] / sqrt(Σa² · Σb²), computed with FFTW.
double peak_cross_correlation(std::span<const float> a, std::span<const float> b, int max_lag);

}  // namespace chorus::data
