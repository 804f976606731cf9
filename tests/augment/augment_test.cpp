// Each augmentation's effect on a known input.

#include <gtest/gtest.h>

#include <cmath>

#include "augment/spectrogram_augment.hpp"
#include "augment/waveform_augment.hpp"
#include "support/signals.hpp"

namespace chorus {
namespace {

using augment::Rng;

features::Spectrogram ramp(int bins, int frames) {
  features::Spectrogram s(bins, frames);
  for (int b = 0; b < bins; ++b)
    for (int t = 0; t < frames; ++t) s.at(b, t) = static_cast<float>(b * 1000 + t);
  return s;
}

data::Target one_hot(std::size_t cls, std::size_t n) {
  data::Target t{std::vector<float>(n, 0.0f), std::vector<float>(n, 1.0f), 1.0f};
  t.values[cls] = 1.0f;
  return t;
}

TEST(WaveformAugment, NoiseArrivesAtTheRequestedSnr) {
  Rng rng(1);
  const std::vector<float> tone = testing::sine(32000, 2.0, 1000, 0.5);
  for (const auto add : {&augment::add_gaussian_noise, &augment::add_pink_noise}) {
    std::vector<float> noisy = tone;
    add(noisy, 10.0, 10.0, rng);
    std::vector<float> noise(tone.size());
    for (std::size_t i = 0; i < tone.size(); ++i) noise[i] = noisy[i] - tone[i];
    EXPECT_NEAR(10 * std::log10(augment::signal_power(tone) / augment::signal_power(noise)), 10.0,
                1e-3);
  }
}

TEST(WaveformAugment, GainRollAndBackground) {
  Rng rng(2);
  std::vector<float> x = {1, 2, 3, 4};
  augment::random_gain(x, 6.0206, 6.0206, rng);  // ×2
  EXPECT_NEAR(x[3], 8.0f, 1e-4);
  std::vector<float> y = {1, 2, 3, 4, 5};
  augment::random_roll(y, 2, rng);
  // A rotation: same multiset, same cyclic order.
  const auto one = std::find(y.begin(), y.end(), 1.0f) - y.begin();
  for (int i = 0; i < 5; ++i) EXPECT_EQ(y[(one + i) % 5], static_cast<float>(i + 1));
  std::vector<float> signal = testing::sine(8000, 1.0, 500, 0.3);
  const std::vector<float> original = signal;
  const std::vector<float> rain = testing::white_noise(8000, 0.3, 0.1, 7);  // shorter: repeated
  augment::mix_background(signal, rain, 0.0, 0.0, rng);
  std::vector<float> added(signal.size());
  for (std::size_t i = 0; i < signal.size(); ++i) added[i] = signal[i] - original[i];
  EXPECT_NEAR(augment::signal_power(added), augment::signal_power(original),
              1e-2 * augment::signal_power(original));
}

TEST(SpectrogramAugment, XyMaskStripesSitWhereDrawnWithTheFill) {
  Rng rng(3);
  features::Spectrogram s = ramp(16, 50);
  const auto stripes = augment::xy_mask(s, 1, 10, 1, 4, augment::MaskFill::min, rng);
  ASSERT_EQ(stripes.size(), 2u);
  const augment::Stripe time = stripes[0], freq = stripes[1];
  for (int b = 0; b < 16; ++b)
    for (int t = 0; t < 50; ++t) {
      const bool masked = (t >= time.first && t < time.first + time.width) ||
                          (b >= freq.first && b < freq.first + freq.width);
      EXPECT_EQ(s.at(b, t), masked ? 0.0f : static_cast<float>(b * 1000 + t)) << b << "," << t;
    }
  EXPECT_LE(time.width, 10);
  EXPECT_LE(freq.width, 4);
}

TEST(SpectrogramAugment, CutmixLabelsWeighByWidth) {
  Rng rng(4);
  features::Spectrogram a = ramp(4, 100), b(4, 100);
  data::Target ta = one_hot(0, 3), tb = one_hot(2, 3);
  const int cut = augment::horizontal_cutmix(a, ta, b, tb, rng);
  EXPECT_EQ(a.at(1, cut - 1), 1000.0f + cut - 1);  // a's frames before the cut
  EXPECT_EQ(a.at(1, cut), 0.0f);                   // b's after
  EXPECT_FLOAT_EQ(ta.values[0], cut / 100.0f);
  EXPECT_FLOAT_EQ(ta.values[2], 1.0f - cut / 100.0f);
}

TEST(SpectrogramAugment, MixupBlendsOrUnitesLabelsAndBandFilterAttenuates) {
  Rng rng(5);
  std::vector<float> a = {1, 1}, b = {0, 0};
  data::Target ta = one_hot(0, 2), tb = one_hot(1, 2);
  const double lambda = augment::mixup(a, ta, b, tb, 0.4, false, rng);
  EXPECT_FLOAT_EQ(a[0], static_cast<float>(lambda));
  EXPECT_FLOAT_EQ(ta.values[0] + ta.values[1], 1.0f);
  data::Target tc = one_hot(0, 2);
  augment::mixup(a, tc, b, tb, 0.4, true, rng);
  EXPECT_EQ(tc.values, (std::vector<float>{1, 1}));
  features::Spectrogram s(4, 2);
  augment::band_filter(s, 1, 3, 20.0f);
  EXPECT_EQ(s.at(0, 0), -20.0f);
  EXPECT_EQ(s.at(1, 0), 0.0f);
  EXPECT_EQ(s.at(3, 1), -20.0f);
}

}  // namespace
}  // namespace chorus
