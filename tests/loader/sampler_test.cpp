// The Sampler: deterministic epochs, shards that split one global order, class balance, halves;
// and the crops it leads to staying inside their spans.

#include "loader/sampler.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "loader/crop.hpp"
#include "support/test_support.hpp"

namespace chorus {
namespace {

// `per_class[c]` items of class c, one-hot targets.
data::Dataset dataset_of(const std::vector<int>& per_class) {
  data::Dataset d;
  std::vector<std::string> names;
  for (std::size_t c = 0; c < per_class.size(); ++c) names.push_back("c" + std::to_string(c));
  d.classes = formats::ClassList(names, "test");
  d.files = {"a.wav"};
  for (std::size_t c = 0; c < per_class.size(); ++c)
    for (int i = 0; i < per_class[c]; ++i) {
      data::Item item;
      item.target = {std::vector<float>(per_class.size(), 0.0f),
                     std::vector<float>(per_class.size(), 1.0f), 1.0f};
      item.target.values[c] = 1.0f;
      d.items.push_back(item);
    }
  return d;
}

std::vector<std::size_t> all_items(const data::Dataset& d) {
  std::vector<std::size_t> v(d.items.size());
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = i;
  return v;
}

// labelled_share: each draw a labelled item with that chance, else a pseudo-labelled one; the
// share is within binomial bounds over many draws, and balanced sampling still holds among the
// labelled items.
TEST(Sampler, LabelledShareSplitsTheDraws) {
  data::Dataset d = dataset_of({30, 10, 160});  // items 40..199 (class c2) become pseudo
  for (std::size_t i = 40; i < d.items.size(); ++i) d.items[i].pseudo_labelled = true;
  data::DataConfig config;
  config.labelled_share = 0.25;
  config.sampling = data::Sampling::balanced;
  const loader::Sampler sampler(d, all_items(d), config, 7);
  std::size_t labelled = 0, c0 = 0, n = 0;
  for (int e = 0; e < 50; ++e)
    for (std::size_t i : sampler.epoch(e)) {
      ++n;
      if (i < 40) ++labelled;
      if (i < 30) ++c0;
    }
  EXPECT_EQ(n, 50u * 200);
  const double sd = std::sqrt(n * 0.25 * 0.75);
  EXPECT_NEAR(static_cast<double>(labelled), n * 0.25, 5 * sd);
  // Balanced among the labelled: classes 0 and 1 equally often, though 30 and 10 items.
  const double half = std::sqrt(labelled * 0.25);
  EXPECT_NEAR(static_cast<double>(c0), labelled / 2.0, 5 * half);
  // Without pseudo-labelled items (or a share of 0) the epoch is the plain permutation.
  config.sampling = data::Sampling::uniform;
  const std::vector<std::size_t> labelled_only{0, 1, 2, 3, 35};
  auto e0 = loader::Sampler(d, labelled_only, config, 7).epoch(0);
  std::sort(e0.begin(), e0.end());
  EXPECT_EQ(e0, labelled_only);
}

TEST(Sampler, UniformEpochIsASeededPermutation) {
  const data::Dataset d = dataset_of({10, 7});
  const loader::Sampler sampler(d, all_items(d), data::DataConfig{}, 42);
  const auto e0 = sampler.epoch(0);
  EXPECT_EQ(e0, sampler.epoch(0));
  EXPECT_EQ(e0, loader::Sampler(d, all_items(d), data::DataConfig{}, 42).epoch(0));
  EXPECT_NE(e0, sampler.epoch(1));
  EXPECT_NE(e0, loader::Sampler(d, all_items(d), data::DataConfig{}, 43).epoch(0));
  auto sorted = e0;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(sorted, all_items(d));
  // Only the given items.
  const loader::Sampler fold(d, {3, 5, 8}, data::DataConfig{}, 1);
  auto picked = fold.epoch(0);
  std::sort(picked.begin(), picked.end());
  EXPECT_EQ(picked, (std::vector<std::size_t>{3, 5, 8}));
  EXPECT_THROW(loader::Sampler(d, {17}, data::DataConfig{}, 1), Error);
  EXPECT_THROW(loader::Sampler(d, {1}, data::DataConfig{}, 1, 2, 2), ConfigError);
}

TEST(Sampler, ShardsInterleaveOneGlobalOrder) {
  const data::Dataset d = dataset_of({11, 6});
  for (const int halves : {1, 2}) {
    data::DataConfig config;
    config.halves = halves;
    const loader::Sampler single(d, all_items(d), config, 7);
    const auto global = single.epoch(3);
    const std::size_t h = static_cast<std::size_t>(halves);
    std::vector<std::vector<std::size_t>> shards;
    for (int rank = 0; rank < 3; ++rank) {
      const loader::Sampler shard(d, all_items(d), config, 7, rank, 3);
      shards.push_back(shard.epoch(3));
      EXPECT_EQ(shard.inputs_per_epoch(), 17 / h / 3);
      EXPECT_EQ(shards.back().size(), shard.inputs_per_epoch() * h);
      // Local input i of rank r is global input 3i + r, items and all.
      for (std::size_t i = 0; i < shard.inputs_per_epoch(); ++i) {
        EXPECT_EQ(shard.global_input(i), 3 * i + static_cast<std::size_t>(rank));
        for (std::size_t k = 0; k < h; ++k)
          EXPECT_EQ(shards.back()[i * h + k], global[(3 * i + rank) * h + k]);
      }
    }
    // Disjoint, and together the first (inputs cut to a multiple of 3) of the global order.
    std::vector<std::size_t> joined;
    for (const auto& s : shards) joined.insert(joined.end(), s.begin(), s.end());
    std::sort(joined.begin(), joined.end());
    std::vector<std::size_t> expected(global.begin(),
                                      global.begin() + static_cast<std::ptrdiff_t>(joined.size()));
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(joined, expected);
    EXPECT_EQ(std::adjacent_find(joined.begin(), joined.end()),
              joined.end());  // uniform: no repeats
  }
}

TEST(Sampler, BalancedSamplingEvensOutClasses) {
  const data::Dataset d = dataset_of({90, 10});
  data::DataConfig config;
  config.sampling = data::Sampling::balanced;
  const loader::Sampler sampler(d, all_items(d), config, 5);
  std::map<bool, int> draws;  // rare class?
  for (int e = 0; e < 50; ++e)
    for (std::size_t i : sampler.epoch(e)) ++draws[i >= 90];
  // 5000 draws, each class half the chance: 2500 ± 5σ (σ ≈ 35).
  EXPECT_NEAR(draws[true], 2500, 180);
  EXPECT_EQ(sampler.epoch(2).size(), 100u);
}

TEST(Crop, StaysInTheSpanOrRepeatsIt) {
  std::mt19937_64 rng(9);
  for (int trial = 0; trial < 500; ++trial) {
    const loader::Crop c = loader::draw_crop(100, 400, 64, rng);
    EXPECT_GE(c.first, 100);
    EXPECT_LE(c.first + 64, 400);
    for (std::int64_t t = 0; t < 64; ++t) EXPECT_EQ(c.at(t), c.first + t);
  }
  const loader::Crop short_span = loader::draw_crop(10, 13, 8, rng);
  std::vector<std::int64_t> units;
  for (std::int64_t t = 0; t < 8; ++t) units.push_back(short_span.at(t));
  EXPECT_EQ(units, (std::vector<std::int64_t>{10, 11, 12, 10, 11, 12, 10, 11}));
  EXPECT_EQ(short_span.distinct(), 3);
}

TEST(Crop, SpansInFramesAndSamples) {
  data::Dataset d = dataset_of({1});
  data::Item& item = d.items[0];
  item.start_seconds = 1.0;
  item.end_seconds = 2.0;
  // 32 kHz, hop 500: frames centred in [32000, 64000) are 64 … 127.
  EXPECT_EQ(loader::span_frames(item, d, 32000, 500, 1000),
            (std::pair<std::int64_t, std::int64_t>{64, 128}));
  EXPECT_EQ(loader::span_samples(item, d, 32000, 100000),
            (std::pair<std::int64_t, std::int64_t>{32000, 64000}));
  item.end_seconds = 0;  // to the file's end
  EXPECT_EQ(loader::span_frames(item, d, 32000, 500, 300),
            (std::pair<std::int64_t, std::int64_t>{64, 300}));
  item.start_seconds = 5.0;
  EXPECT_EQ(testing::error_message([&] { loader::span_samples(item, d, 32000, 100000); }),
            "a.wav: item span 5–0 s is outside the recording (3.125 s)");
}

}  // namespace
}  // namespace chorus
