// Time stretch and pitch shift on known inputs: a shifted tone peaks an octave up or down, a
// stretched one keeps its frequency and its level while its length scales by 1 / rate.

#include "augment/time_stretch.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "augment/waveform_augment.hpp"
#include "core/error.hpp"
#include "features/stft.hpp"
#include "support/signals.hpp"

namespace chorus {
namespace {

constexpr int kRate = 32000;

// Frequency (Hz) of the strongest bin of an 8192-point spectrum centred in the signal.
double peak_hz(const std::vector<float>& x) {
  features::StftSettings s;
  s.n_fft = s.win_length = 8192;
  s.hop_length = static_cast<int>(x.size() / 2);
  features::StftFrames frames(s);
  std::vector<float> spectrum(static_cast<std::size_t>(frames.n_freqs()));
  frames.compute(x, 1, spectrum.data());
  const auto peak = std::max_element(spectrum.begin(), spectrum.end()) - spectrum.begin();
  return static_cast<double>(peak) * kRate / s.n_fft;
}

// Mean power of the middle half (away from the edges the STFT pads).
double middle_power(const std::vector<float>& x) {
  return augment::signal_power(std::span(x).subspan(x.size() / 4, x.size() / 2));
}

TEST(PitchShift, AnOctaveUpOrDownMovesTheToneAndKeepsTheLength) {
  const std::vector<float> tone = testing::sine(kRate, 2.0, 1000, 0.5);
  ASSERT_NEAR(peak_hz(tone), 1000, 4);
  const std::vector<float> up = augment::pitch_shift(tone, kRate, 12);
  const std::vector<float> down = augment::pitch_shift(tone, kRate, -12);
  EXPECT_EQ(up.size(), tone.size());
  EXPECT_EQ(down.size(), tone.size());
  EXPECT_NEAR(peak_hz(up), 2000, 8);
  EXPECT_NEAR(peak_hz(down), 500, 8);
  EXPECT_NEAR(peak_hz(augment::pitch_shift(tone, kRate, 7)), 1000 * std::pow(2.0, 7 / 12.0), 8);
  // A shift is not a filter: the level stays within 1.5 dB.
  for (const auto* shifted : {&up, &down})
    EXPECT_NEAR(10 * std::log10(middle_power(*shifted) / middle_power(tone)), 0.0, 1.5);
}

TEST(TimeStretch, LengthScalesByOneOverRateAndTheToneAndLevelStay) {
  const std::vector<float> tone = testing::sine(kRate, 2.0, 1000, 0.5);
  for (const double rate : {0.5, 0.8, 1.25, 2.0}) {
    const std::vector<float> stretched = augment::time_stretch(tone, rate);
    EXPECT_EQ(stretched.size(), static_cast<std::size_t>(std::llround(tone.size() / rate))) << rate;
    EXPECT_NEAR(peak_hz(stretched), 1000, 4) << rate;
    EXPECT_NEAR(10 * std::log10(middle_power(stretched) / middle_power(tone)), 0.0, 1.5) << rate;
  }
}

TEST(TimeStretch, RateOneReconstructsTheSignal) {
  // The phase vocoder at rate 1 is STFT → ISTFT: the identity up to float rounding.
  const std::vector<float> sweep = testing::sine_sweep(kRate, 1.0, 200, 8000, 0.5);
  const std::vector<float> same = augment::time_stretch(sweep, 1.0);
  ASSERT_EQ(same.size(), sweep.size());
  EXPECT_GT(testing::snr_db(same, sweep, 0, sweep.size()), 60);
}

TEST(TimeStretch, EdgeCasesAndBadRates) {
  EXPECT_TRUE(augment::time_stretch({}, 1.5).empty());
  const std::vector<float> one = {0.5f};
  EXPECT_EQ(augment::time_stretch(one, 0.5).size(), 2u);
  EXPECT_THROW(augment::time_stretch(one, 0.0), ConfigError);
  EXPECT_THROW(augment::time_stretch(one, -1.0), ConfigError);
}

}  // namespace
}  // namespace chorus
