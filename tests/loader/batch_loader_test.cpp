// The BatchLoader on short synthetic recordings: the same batches whatever the worker count,
// the feature cache equal to decoding, shards equal to one rank's rows, halves' targets, a
// truncated file reported and skipped, crops inside their spans, and a throughput floor.

#include "loader/batch_loader.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>

#include "audio/audio_writer.hpp"
#include "features/feature_cache.hpp"
#include "features/feature_store.hpp"
#include "support/signals.hpp"
#include "support/test_support.hpp"

namespace chorus {
namespace {

constexpr int kRate = 32000;

// `files` recordings of `seconds` each (a tone of its own plus a little noise), one item per
// file with a one-hot target of class file % 3, at 16-bit PCM.
struct Corpus {
  testing::TempDir dir;
  data::Dataset dataset;
  std::vector<std::size_t> items;

  Corpus(int files, double seconds) {
    dataset.classes = formats::ClassList({"a", "b", "c"}, "test");
    for (int f = 0; f < files; ++f) {
      std::vector<float> x = testing::sine(kRate, seconds, 300.0 + 250.0 * f, 0.3);
      const std::vector<float> noise =
          testing::white_noise(kRate, seconds, 0.01, static_cast<unsigned>(f + 1));
      for (std::size_t i = 0; i < x.size(); ++i) x[i] += noise[i];
      add_file("rec" + std::to_string(f) + ".wav", x);
      add_item(static_cast<std::size_t>(f), 0, 0, static_cast<std::size_t>(f % 3));
    }
  }
  void add_file(const std::string& name, const std::vector<float>& samples) {
    audio::write_audio(dir / name, samples, kRate);
    dataset.files.push_back(dir / name);
  }
  void add_item(std::size_t file, double start, double end, std::size_t cls) {
    data::Item item;
    item.file = file;
    item.start_seconds = start;
    item.end_seconds = end;
    item.target = {std::vector<float>(3, 0.0f), std::vector<float>(3, 1.0f), 1.0f};
    item.target.values[cls] = 1.0f;
    items.push_back(dataset.items.size());
    dataset.items.push_back(item);
  }
};

data::DataConfig window(double seconds) {
  data::DataConfig c;
  c.window_seconds = seconds;
  return c;
}

loader::LoaderOptions options(int batch, int workers, std::uint64_t seed = 11) {
  loader::LoaderOptions o;
  o.batch_size = batch;
  o.workers = workers;
  o.prefetch_batches = 2;
  o.seed = seed;
  return o;
}

std::vector<loader::Batch> epoch(loader::BatchLoader& loader, int e) {
  loader.start_epoch(e);
  std::vector<loader::Batch> batches;
  while (auto b = loader.next()) batches.push_back(std::move(*b));
  return batches;
}

void expect_same(const std::vector<loader::Batch>& a, const std::vector<loader::Batch>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t k = 0; k < a.size(); ++k) {
    EXPECT_EQ(a[k].items, b[k].items) << "batch " << k;
    EXPECT_EQ(a[k].inputs, b[k].inputs) << "batch " << k;
    EXPECT_EQ(a[k].targets, b[k].targets) << "batch " << k;
    EXPECT_EQ(a[k].masks, b[k].masks) << "batch " << k;
    EXPECT_EQ(a[k].weights, b[k].weights) << "batch " << k;
  }
}

augment::AugmentConfig busy_augmentation() {
  augment::AugmentConfig a;
  a.gaussian_noise_p = 0.5;
  a.gain_p = 0.5;
  a.roll_p = 0.5;
  a.xy_masking_p = 0.5;
  a.mixup_p = 0.5;
  a.horizontal_cutmix_p = 0.3;
  a.pitch_shift_p = 0.3;
  a.time_stretch_p = 0.3;
  a.band_filter_p = 0.5;
  return a;
}

TEST(BatchLoader, BatchesDoNotDependOnTheWorkerCount) {
  Corpus corpus(10, 1.5);
  for (std::size_t i = 0; i < 10; i += 2) {  // annotated bands for the band filter
    corpus.dataset.items[i].low_hz = 200;
    corpus.dataset.items[i].high_hz = 2000;
  }
  const auto run = [&](int workers, int e) {
    loader::BatchLoader loader(corpus.dataset, corpus.items, {}, {}, window(1.0),
                               busy_augmentation(), options(3, workers));
    return epoch(loader, e);
  };
  const auto reference = run(0, 0);
  ASSERT_EQ(reference.size(), 3u);  // 10 inputs, batches of 3, the last dropped
  EXPECT_EQ(reference[0].size, 3);
  EXPECT_EQ(reference[0].n_mels, 128);
  EXPECT_EQ(reference[0].frames, 65);  // 1 s at hop 500, centred
  EXPECT_EQ(reference[0].inputs.size(), 3u * 128 * 65);
  EXPECT_EQ(reference[0].targets.size(), 9u);
  expect_same(reference, run(1, 0));
  expect_same(reference, run(3, 0));
  EXPECT_NE(reference[0].inputs, run(2, 1)[0].inputs);  // another epoch, other crops and draws
}

TEST(BatchLoader, FeatureCacheEqualsDecodingWithoutAugmentation) {
  Corpus corpus(4, 2.0);
  corpus.add_item(1, 0.5, 1.2, 1);    // shorter than the window: repeated
  corpus.add_item(2, 0.25, 1.75, 2);  // a span inside the file
  const audio::AudioConfig audio;
  const features::FeatureConfig features;
  features::FeatureCache cache(corpus.dir / "cache", audio, features);
  for (const auto& f : corpus.dataset.files) cache.ensure(f, 1);
  const features::FeatureStore store(cache, corpus.dataset.files,
                                     features::FeatureStore::Residence::mapped);
  loader::LoaderOptions o = options(2, 2);
  o.drop_last = false;
  loader::BatchLoader cached(corpus.dataset, corpus.items, audio, features, window(1.0), {}, o,
                             &store);
  loader::BatchLoader decoded(corpus.dataset, corpus.items, audio, features, window(1.0), {}, o);
  const auto a = epoch(cached, 0), b = epoch(decoded, 0);
  ASSERT_EQ(a.size(), 3u);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t k = 0; k < a.size(); ++k) {
    EXPECT_EQ(a[k].items, b[k].items);
    ASSERT_EQ(a[k].inputs.size(), b[k].inputs.size());
    for (std::size_t i = 0; i < a[k].inputs.size(); ++i)
      ASSERT_NEAR(a[k].inputs[i], b[k].inputs[i], 1e-3) << "batch " << k << " value " << i;
  }
}

TEST(BatchLoader, FeatureCacheEqualsDecodingOnRealVorbisClips) {
  // Ogg Vorbis decoded from the middle of a file (AudioStream's pre-roll) must give the samples
  // the whole-file decode of the cache had.
  if (!testing::have_shared_data()) GTEST_SKIP() << "no shared data at " << testing::shared_data();
  const auto audio_dir = testing::shared_data() / "esc50_dev" / "train_audio";
  data::Dataset dataset;
  dataset.classes = formats::ClassList({"airplane", "chirping_birds"}, "test");
  std::vector<std::size_t> items;
  for (const char* name : {"airplane/esc50k-47-s00.ogg", "airplane/esc50k-47-s01.ogg",
                           "chirping_birds/esc50k-14-s00.ogg"}) {
    dataset.files.push_back(audio_dir / name);
    data::Item item;
    item.file = dataset.files.size() - 1;
    item.target = {{1.0f, 0.0f}, {1.0f, 1.0f}, 1.0f};
    items.push_back(dataset.items.size());
    dataset.items.push_back(item);
  }
  testing::TempDir dir;
  features::FeatureCache cache(dir / "cache", {}, {});
  for (const auto& f : dataset.files) cache.ensure(f, 1);
  const features::FeatureStore store(cache, dataset.files,
                                     features::FeatureStore::Residence::mapped);
  loader::BatchLoader cached(dataset, items, {}, {}, window(2.0), {}, options(3, 1), &store);
  loader::BatchLoader decoded(dataset, items, {}, {}, window(2.0), {}, options(3, 1));
  const auto a = epoch(cached, 0), b = epoch(decoded, 0);
  ASSERT_EQ(a.size(), 1u);
  ASSERT_EQ(b.size(), 1u);
  double worst = 0;
  for (std::size_t i = 0; i < a[0].inputs.size(); ++i)
    worst = std::max(worst, static_cast<double>(std::abs(a[0].inputs[i] - b[0].inputs[i])));
  EXPECT_LT(worst, 1e-3) << "dB";
}

TEST(BatchLoader, TwoRanksSeeTheRowsOfOneRankWithTwiceTheBatch) {
  Corpus corpus(9, 1.5);
  augment::AugmentConfig noise;  // waveform and spectrogram draws, no batch mixing
  noise.gaussian_noise_p = 1;
  noise.xy_masking_p = 0.5;
  loader::BatchLoader single(corpus.dataset, corpus.items, {}, {}, window(1.0), noise,
                             options(4, 1));
  const auto whole = epoch(single, 2);
  for (int rank = 0; rank < 2; ++rank) {
    loader::LoaderOptions o = options(2, 2);
    o.rank = rank;
    o.world_size = 2;
    loader::BatchLoader shard(corpus.dataset, corpus.items, {}, {}, window(1.0), noise, o);
    const auto mine = epoch(shard, 2);
    ASSERT_EQ(mine.size(), whole.size());
    const std::size_t values = static_cast<std::size_t>(128 * 65);
    for (std::size_t k = 0; k < mine.size(); ++k)
      for (std::size_t i = 0; i < 2; ++i) {
        const std::size_t row = 2 * i + static_cast<std::size_t>(rank);
        EXPECT_EQ(mine[k].items[i], whole[k].items[row]);
        EXPECT_TRUE(
            std::equal(mine[k].inputs.begin() + static_cast<std::ptrdiff_t>(i * values),
                       mine[k].inputs.begin() + static_cast<std::ptrdiff_t>((i + 1) * values),
                       whole[k].inputs.begin() + static_cast<std::ptrdiff_t>(row * values)))
            << "rank " << rank << " batch " << k << " row " << i;
      }
  }
}

TEST(BatchLoader, HalvesAverageTargetsAndMultiplyMasks) {
  Corpus corpus(6, 1.5);
  corpus.dataset.items[0].target.mask[2] = 0.0f;
  corpus.dataset.items[1].target.weight = 0.5f;
  data::DataConfig config = window(1.0);
  config.halves = 2;
  loader::BatchLoader loader(corpus.dataset, corpus.items, {}, {}, config, {}, options(3, 2));
  const auto batches = epoch(loader, 0);
  ASSERT_EQ(batches.size(), 1u);  // 6 items → 3 inputs
  const loader::Batch& b = batches[0];
  ASSERT_EQ(b.items.size(), 6u);
  EXPECT_EQ(b.frames, 65);
  for (std::size_t r = 0; r < 3; ++r) {
    const data::Target& x = corpus.dataset.items[b.items[2 * r]].target;
    const data::Target& y = corpus.dataset.items[b.items[2 * r + 1]].target;
    for (std::size_t c = 0; c < 3; ++c) {
      EXPECT_FLOAT_EQ(b.targets[r * 3 + c], (x.values[c] + y.values[c]) / 2);
      EXPECT_FLOAT_EQ(b.masks[r * 3 + c], x.mask[c] * y.mask[c]);
    }
    EXPECT_FLOAT_EQ(b.weights[r], (x.weight + y.weight) / 2);
  }
}

TEST(BatchLoader, PseudoWindowsAreMixedInNotDrawn) {
  Corpus corpus(6, 1.5);
  for (std::size_t f = 0; f < 3; ++f) {  // three pseudo-labelled windows over the first files
    data::Item window = corpus.dataset.items[f];
    window.target = {{0.7f, 0.7f, 0.7f}, {1.0f, 1.0f, 1.0f}, 0.5f};
    window.pseudo_labelled = true;
    corpus.items.push_back(corpus.dataset.items.size());
    corpus.dataset.items.push_back(window);
  }
  data::DataConfig config = window(1.0);
  config.pseudo_use = data::PseudoUse::mix;
  config.pseudo_mix_p = 1.0;
  const auto run = [&](int workers) {
    loader::BatchLoader loader(corpus.dataset, corpus.items, {}, {}, config, {},
                               options(3, workers));
    return epoch(loader, 0);
  };
  const auto batches = run(0);
  ASSERT_EQ(batches.size(), 2u);  // the 6 clips; the windows are not inputs of their own
  for (const loader::Batch& b : batches) {
    for (std::size_t i : b.items) EXPECT_FALSE(corpus.dataset.items[i].pseudo_labelled);
    for (int r = 0; r < b.size; ++r) {
      // max(one-hot, 0.7): every input was mixed (p = 1); weight λ·1 + (1 − λ)·0.5.
      const std::size_t own = corpus.dataset.items[b.items[r]].file % 3;
      for (std::size_t c = 0; c < 3; ++c)
        EXPECT_FLOAT_EQ(b.targets[r * 3 + c], c == own ? 1.0f : 0.7f);
      EXPECT_GT(b.weights[r], 0.5f);
      EXPECT_LT(b.weights[r], 1.0f);
    }
  }
  expect_same(batches, run(2));
}

TEST(BatchLoader, TruncatedFileIsReportedOnceAndSkipped) {
  Corpus corpus(8, 1.5);
  const auto bad = corpus.dataset.files[3];
  std::filesystem::resize_file(bad, std::filesystem::file_size(bad) / 2);
  corpus.add_item(3, 0.2, 1.0, 0);  // a second item of the bad file
  loader::LoaderOptions o = options(2, 2);
  o.drop_last = false;
  loader::BatchLoader loader(corpus.dataset, corpus.items, {}, {}, window(1.0), {}, o);
  for (int e = 0; e < 2; ++e) {
    const auto batches = epoch(loader, e);
    std::size_t inputs = 0;
    for (const auto& b : batches) {
      inputs += static_cast<std::size_t>(b.size);
      for (std::size_t item : b.items) EXPECT_NE(corpus.dataset.items[item].file, 3u);
    }
    EXPECT_EQ(inputs, 7u);  // the 7 items of good files, batches filled from the next inputs
    EXPECT_EQ(batches.front().size, 2);
  }
  ASSERT_EQ(loader.failures().size(), 1u);
  EXPECT_EQ(loader.failures()[0].file, bad);
  EXPECT_NE(loader.failures()[0].message.find("rec3.wav"), std::string::npos)
      << loader.failures()[0].message;
}

TEST(BatchLoader, CropsStayInsideTheSpan) {
  Corpus corpus(0, 0);
  // Silence, then a tone over [1, 2) s, then silence.
  std::vector<float> x(3 * kRate, 0.0f);
  const std::vector<float> tone = testing::sine(kRate, 1.0, 1000, 0.5);
  std::copy(tone.begin(), tone.end(), x.begin() + kRate);
  corpus.add_file("island.wav", x);
  for (int i = 0; i < 8; ++i) corpus.add_item(0, 1.0, 2.0, 0);
  features::FeatureConfig features;
  features.top_db = 0;              // absolute dB: silence sits at −100
  augment::AugmentConfig waveform;  // the waveform path, changing nothing
  waveform.gain_p = 1;
  waveform.gain_min_db = waveform.gain_max_db = 0;
  for (const auto& augmentation : {augment::AugmentConfig{}, waveform}) {
    loader::BatchLoader loader(corpus.dataset, corpus.items, {}, features, window(0.5),
                               augmentation, options(4, 1));
    for (const auto& b : epoch(loader, 0))
      for (int r = 0; r < b.size; ++r)
        for (int t = 0; t < b.frames; ++t) {
          float loudest = -1000;
          for (int m = 0; m < b.n_mels; ++m)
            loudest = std::max(
                loudest, b.inputs[(static_cast<std::size_t>(r) * b.n_mels + m) * b.frames + t]);
          EXPECT_GT(loudest, -20.0f) << "frame " << t << " reaches outside the tone";
        }
  }
}

TEST(BatchLoader, ThroughputAndWaitTime) {
  Corpus corpus(16, 3.0);
  augment::AugmentConfig noise;
  noise.gaussian_noise_p = 1;
  loader::BatchLoader loader(corpus.dataset, corpus.items, {}, {}, window(2.0), noise,
                             options(4, 2));
  EXPECT_EQ(loader.batches_per_epoch(), 4u);
  const auto start = std::chrono::steady_clock::now();
  const auto batches = epoch(loader, 0);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(batches.size(), 4u);
  // 16 two-second inputs decode, get noise and a 129-frame log-mel in milliseconds each; a floor
  // of 20 inputs/s catches only pathological slowness (a thread convoy, a re-decoded file).
  EXPECT_GT(16 / seconds, 20.0) << seconds << " s";
  EXPECT_GE(loader.wait_seconds(), 0.0);
  EXPECT_LE(loader.wait_seconds(), seconds + 1e-3);
}

TEST(BatchLoader, BadOptionsAndOrder) {
  Corpus corpus(2, 1.5);
  EXPECT_THROW(
      loader::BatchLoader(corpus.dataset, corpus.items, {}, {}, window(1.0), {}, options(0, 1)),
      ConfigError);
  loader::BatchLoader loader(corpus.dataset, corpus.items, {}, {}, window(1.0), {}, options(1, 1));
  EXPECT_EQ(testing::error_message([&] { loader.next(); }),
            "BatchLoader::next() before start_epoch()");
  data::DataConfig too_short = window(0.01);
  too_short.halves = 2;
  EXPECT_THROW(
      loader::BatchLoader(corpus.dataset, corpus.items, {}, {}, too_short, {}, options(1, 1)),
      ConfigError);
}

}  // namespace
}  // namespace chorus
