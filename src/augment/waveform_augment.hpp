#pragma once
// Waveform augmentations, each drawing its parameters from the caller's generator so a run is
// reproducible from its seed. They work in place on a mono float signal.

#include <random>
#include <span>

namespace chorus::augment {

using Rng = std::mt19937_64;

// Multiplies by a gain drawn uniformly in [min_db, max_db] dB.
void random_gain(std::span<float> signal, double min_db, double max_db, Rng& rng);

// Adds white Gaussian noise at an SNR (dB, relative to the signal's power) drawn in
// [min_snr_db, max_snr_db]. A silent signal is left silent.
void add_gaussian_noise(std::span<float> signal, double min_snr_db, double max_snr_db, Rng& rng);

// The same with pink (1/f) noise, the spectrum of wind, rain and distant traffic.
void add_pink_noise(std::span<float> signal, double min_snr_db, double max_snr_db, Rng& rng);

// Adds `background` (e.g. a no-call recording, repeated if short) from a random offset, scaled to
// an SNR drawn in [min_snr_db, max_snr_db].
void mix_background(std::span<float> signal, std::span<const float> background, double min_snr_db,
                    double max_snr_db, Rng& rng);

// Rotates the signal by a random number of samples in [−max_shift, max_shift] (np.roll).
void random_roll(std::span<float> signal, std::size_t max_shift, Rng& rng);

// Mean power (mean of squares) of a signal; 0 for an empty one.
double signal_power(std::span<const float> signal);

}  // namespace chorus::augment
