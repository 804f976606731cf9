// Mixing pseudo-labelled windows into training inputs (data.pseudo_use = mix): a mixing step's
// spectrogram, targets, masks and weights by hand, which items are drawn and which mixed in, and
// the partner draw's frequencies (uniform and by confidence) within binomial bounds.

#include "loader/pseudo_mixer.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <map>

namespace chorus {
namespace {

data::Item item(std::vector<float> values, std::vector<float> mask, float weight, bool pseudo) {
  data::Item i;
  i.target = {std::move(values), std::move(mask), weight};
  i.pseudo_labelled = pseudo;
  return i;
}

// Two clips (classes 0 and 1) and three pseudo-labelled windows of confidence 0, 0.25 and 0.75.
data::Dataset mixed_dataset() {
  data::Dataset d;
  d.classes = formats::ClassList({"a", "b", "c"}, "test");
  d.items.push_back(item({1, 0, 0}, {1, 1, 1}, 1.0f, false));
  d.items.push_back(item({0, 1, 0}, {1, 1, 1}, 1.0f, false));
  d.items.push_back(item({0, 0, 0}, {1, 1, 1}, 0.5f, true));
  d.items.push_back(item({0.25f, 0.1f, 0}, {1, 1, 0}, 0.5f, true));
  d.items.push_back(item({0.2f, 0.75f, 0.9f}, {1, 1, 0}, 0.5f, true));  // c unknown: 0.75
  return d;
}

data::DataConfig mixing(double p, data::PseudoSampling sampling) {
  data::DataConfig c;
  c.pseudo_use = data::PseudoUse::mix;
  c.pseudo_mix_p = p;
  c.pseudo_sampling = sampling;
  return c;
}

const std::vector<std::size_t> kAll{0, 1, 2, 3, 4};

TEST(PseudoMixer, MixingStepByHand) {
  const data::Dataset d = mixed_dataset();
  for (const augment::MixupLabels labels :
       {augment::MixupLabels::max, augment::MixupLabels::blend}) {
    augment::AugmentConfig a;
    a.mixup_alpha = 0.4;
    a.mixup_labels = labels;
    const loader::PseudoMixer mixer(d, kAll, mixing(1.0, data::PseudoSampling::uniform), a);
    loader::Input input{features::Spectrogram(2, 3), d.items[0].target};
    loader::Input window{features::Spectrogram(2, 3), d.items[4].target};
    for (int k = 0; k < 6; ++k) {
      input.spectrogram.values[k] = static_cast<float>(k) - 2.0f;
      window.spectrogram.values[k] = 0.5f * static_cast<float>(k * k);
    }
    const auto before = input.spectrogram.values;
    std::mt19937_64 rng(5);
    const double l = mixer.mix(input, window, rng);
    ASSERT_GT(l, 0.0);
    ASSERT_LT(l, 1.0);
    // Mixed in double and rounded once: within half an ulp of |x| ≤ 12.5 (4.8e-7).
    for (int k = 0; k < 6; ++k)
      EXPECT_NEAR(input.spectrogram.values[k],
                  l * before[k] + (1 - l) * window.spectrogram.values[k], 1e-6);
    const std::vector<double> expected =
        labels == augment::MixupLabels::max
            ? std::vector<double>{1.0, 0.75, 0.9}
            : std::vector<double>{l + (1 - l) * 0.2, (1 - l) * 0.75, (1 - l) * 0.9};
    for (std::size_t c = 0; c < 3; ++c) EXPECT_NEAR(input.target.values[c], expected[c], 1e-6);
    // The class the pseudo table lacks leaves the loss; the weight blends 1 and 0.5 by λ.
    EXPECT_EQ(input.target.mask, (std::vector<float>{1, 1, 0}));
    EXPECT_NEAR(input.target.weight, l * 1.0 + (1 - l) * 0.5, 1e-6);
  }
}

TEST(PseudoMixer, PseudoItemsArePartnersNotSampledItems) {
  const data::Dataset d = mixed_dataset();
  const loader::PseudoMixer appended(d, kAll, data::DataConfig{}, {});
  EXPECT_EQ(appended.sampled_items(), kAll);
  EXPECT_TRUE(appended.partners().empty());
  const loader::PseudoMixer mixer(d, kAll, mixing(1.0, data::PseudoSampling::uniform), {});
  EXPECT_EQ(mixer.sampled_items(), (std::vector<std::size_t>{0, 1}));
  EXPECT_EQ(mixer.partners(), (std::vector<std::size_t>{2, 3, 4}));
  // Without pseudo-labelled items there is nothing to mix.
  const loader::PseudoMixer none(d, {0, 1}, mixing(1.0, data::PseudoSampling::uniform), {});
  std::mt19937_64 rng(1);
  EXPECT_TRUE(none.draw(rng).empty());
  // Two halves: a window of two partners.
  data::DataConfig halves = mixing(1.0, data::PseudoSampling::uniform);
  halves.halves = 2;
  const auto drawn = loader::PseudoMixer(d, kAll, halves, {}).draw(rng);
  ASSERT_EQ(drawn.size(), 2u);
  for (std::size_t i : drawn) EXPECT_TRUE(d.items[i].pseudo_labelled);
}

// How often each partner is drawn in n tries (an empty draw counted under −1).
std::map<long, int> draw_counts(const loader::PseudoMixer& mixer, int n) {
  std::mt19937_64 rng(42);
  std::map<long, int> counts;
  for (int k = 0; k < n; ++k) {
    const auto drawn = mixer.draw(rng);
    ++counts[drawn.empty() ? -1 : static_cast<long>(drawn.front())];
  }
  return counts;
}

// Within 5 standard deviations of a binomial(n, p) count.
void expect_binomial(int count, int n, double p) {
  const double sd = std::sqrt(n * p * (1 - p));
  EXPECT_NEAR(count, n * p, 5 * sd + 1e-9) << "p = " << p;
}

TEST(PseudoMixer, DrawFrequencies) {
  const data::Dataset d = mixed_dataset();
  constexpr int n = 20000;
  // Uniform partners, mixed with probability 0.3.
  auto counts =
      draw_counts(loader::PseudoMixer(d, kAll, mixing(0.3, data::PseudoSampling::uniform), {}), n);
  expect_binomial(counts[-1], n, 0.7);
  for (long i : {2, 3, 4}) expect_binomial(counts[i], n, 0.3 / 3);
  // By confidence 0, 0.25, 0.75 (the largest *known* probability): never, 1/4, 3/4.
  counts = draw_counts(
      loader::PseudoMixer(d, kAll, mixing(1.0, data::PseudoSampling::confidence), {}), n);
  EXPECT_EQ(counts[-1], 0);
  EXPECT_EQ(counts[2], 0);
  expect_binomial(counts[3], n, 0.25);
  expect_binomial(counts[4], n, 0.75);
  // Never mixed at p = 0.
  counts = draw_counts(loader::PseudoMixer(d, kAll, mixing(0.0, data::PseudoSampling::uniform), {}),
                       100);
  EXPECT_EQ(counts[-1], 100);
}

TEST(PseudoMixer, Confidence) {
  EXPECT_DOUBLE_EQ(loader::pseudo_confidence({{0.2f, 0.5f, 0.9f}, {1, 1, 0}, 1}), 0.5f);
  EXPECT_DOUBLE_EQ(loader::pseudo_confidence({{0.2f, 0.5f}, {0, 0}, 1}), 0.0);
}

}  // namespace
}  // namespace chorus
