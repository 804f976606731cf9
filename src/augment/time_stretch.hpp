#pragma once
// Time stretch and pitch shift as librosa.effects defines them: an STFT (n_fft 2048, hop 512,
// periodic Hann, centred with zero padding), librosa.core.phase_vocoder, and the inverse STFT
// with window-sum-square normalisation; pitch shift stretches by 2^(−n/12) and resamples back
// with soxr (librosa's default res_type "soxr_hq"), keeping the input length.

#include <span>
#include <vector>

namespace chorus::augment {

// The signal played `rate` times faster at the same pitch: round(size / rate) samples
// (librosa.effects.time_stretch). rate > 0.
std::vector<float> time_stretch(std::span<const float> signal, double rate);

// The signal `semitones` higher (negative: lower) at the same duration: exactly signal.size()
// samples (librosa.effects.pitch_shift with bins_per_octave 12).
std::vector<float> pitch_shift(std::span<const float> signal, int sample_rate, double semitones);

}  // namespace chorus::augment
