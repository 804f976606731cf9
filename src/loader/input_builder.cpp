#include "loader/input_builder.hpp"

#include <algorithm>
#include <cmath>

#include "audio/audio_stream.hpp"
#include "audio/waveform.hpp"
#include "augment/augmentation_pipeline.hpp"
#include "core/error.hpp"
#include "loader/crop.hpp"

namespace chorus::loader {
namespace {

// Length of a file at `sample_rate`, from its header.
std::int64_t file_samples(const std::filesystem::path& path, int sample_rate) {
  const audio::AudioFileInfo info = audio::open_audio(path)->info();
  return audio::resampled_length(info.frames, info.sample_rate, sample_rate);
}

std::vector<float> decode(const std::filesystem::path& path, const audio::AudioConfig& audio,
                          audio::SampleRange range) {
  audio::AudioStream stream(path, audio.sample_rate, audio.resample_quality, range);
  std::vector<float> samples(static_cast<std::size_t>(stream.total_samples()));
  audio::read_all(stream, samples.data());
  return samples;
}

}  // namespace

InputBuilder::InputBuilder(const data::Dataset& dataset, const audio::AudioConfig& audio,
                           const features::FeatureConfig& features, const data::DataConfig& data,
                           const augment::AugmentConfig& augment,
                           const features::FeatureStore* cache,
                           const augment::BackgroundNoise* background)
    : dataset_(dataset),
      audio_(audio),
      data_(data),
      augment_(augment),
      cache_(augment::has_waveform_augmentations(augment) ? nullptr : cache),
      background_(background),
      extractor_(features, audio.sample_rate),
      augment_waveforms_(augment::has_waveform_augmentations(augment)) {
  audio.validate();
  features.validate(audio.sample_rate);
  data.validate();
  augment.validate();
  CHORUS_CHECK_AS(
      ConfigError, augment.background_p == 0 || (background != nullptr && background->size() > 0),
      "augment.background_p = {}: no background recordings loaded", augment.background_p);
  const auto window = std::llround(data.window_seconds * audio.sample_rate);
  frames_ = static_cast<int>(extractor_.mel().frame_count(window));
  CHORUS_CHECK_AS(ConfigError, frames_ >= 2 * data.halves,
                  "data.window_seconds = {}: {} frames, too short for an input of {} halves",
                  data.window_seconds, frames_, data.halves);
  if (cache_) {
    CHORUS_CHECK(cache_->size() == dataset.files.size(),
                 "feature store of {} files for a dataset of {}", cache_->size(),
                 dataset.files.size());
    for (std::size_t f = 0; f < cache_->size(); ++f)
      CHORUS_CHECK_AS(FormatError, (*cache_)[f].n_mels == n_mels(),
                      "{}: cached features have {} mel bands, the configuration {}",
                      dataset.files[f].string(), (*cache_)[f].n_mels, n_mels());
  }
}

features::Spectrogram InputBuilder::cached_part(const data::Item& item, int frames,
                                                std::mt19937_64& rng) const {
  const features::MelView& view = (*cache_)[item.file];
  const auto [first, end] = span_frames(item, dataset_, audio_.sample_rate,
                                        extractor_.mel().stft().hop_length, view.frames);
  const Crop crop = draw_crop(first, end, frames, rng);
  auto part = features::Spectrogram::uninitialized(n_mels(), frames);
  for (int m = 0; m < n_mels(); ++m) {
    const float* row =
        view.values.data() + static_cast<std::size_t>(m) * static_cast<std::size_t>(view.frames);
    for (int t = 0; t < frames; ++t) part.at(m, t) = row[crop.at(t)];
  }
  return part;
}

features::Spectrogram InputBuilder::decoded_part(const data::Item& item, int frames,
                                                 std::mt19937_64& rng) const {
  const features::MelSpectrogram& mel = extractor_.mel();
  const features::StftSettings& stft = mel.stft();
  const std::filesystem::path& path = dataset_.files[item.file];
  const std::int64_t length = file_samples(path, audio_.sample_rate);
  const auto [first, end] =
      span_frames(item, dataset_, audio_.sample_rate, stft.hop_length, mel.frame_count(length));
  const Crop crop = draw_crop(first, end, frames, rng);
  // The samples the crop's frames read, reflections about the file's edges included.
  const audio::SampleRange range{
      std::clamp<std::int64_t>(crop.first * stft.hop_length - stft.n_fft, 0, length),
      std::clamp<std::int64_t>((crop.first + crop.distinct() - 1) * stft.hop_length + stft.n_fft, 0,
                               length)};
  const std::vector<float> samples = decode(path, audio_, range);
  features::StftFrames workspace(stft);
  features::Spectrogram distinct(n_mels(), static_cast<int>(crop.distinct()));
  mel.compute_frames(workspace, samples, range.begin, length, crop.first, crop.distinct(),
                     distinct.view(), 0);
  auto part = features::Spectrogram::uninitialized(n_mels(), frames);
  for (int m = 0; m < n_mels(); ++m)
    for (int t = 0; t < frames; ++t)
      part.at(m, t) = distinct.at(m, static_cast<int>(t % crop.distinct()));
  return part;
}

features::Spectrogram InputBuilder::augmented_part(const data::Item& item, int frames,
                                                   std::mt19937_64& rng) const {
  const std::filesystem::path& path = dataset_.files[item.file];
  const auto [begin, end] =
      span_samples(item, dataset_, audio_.sample_rate, file_samples(path, audio_.sample_rate));
  const std::int64_t length = extractor_.mel().stft().samples_for_frames(frames);
  const double rate = augment::draw_stretch_rate(augment_, rng);
  const std::int64_t needed =
      std::max<std::int64_t>(1, std::llround(static_cast<double>(length) * rate));
  const Crop crop = draw_crop(begin, end, needed, rng);
  std::vector<float> samples = decode(path, audio_, {crop.first, crop.first + crop.distinct()});
  if (static_cast<std::int64_t>(samples.size()) < needed)
    samples = data::cyclic_pad(samples, static_cast<std::size_t>(needed));
  samples =
      augment::apply_waveform_augmentations(std::move(samples), static_cast<std::size_t>(length),
                                            rate, audio_.sample_rate, augment_, background_, rng);
  features::Spectrogram part = extractor_.mel().compute(samples, 1);
  CHORUS_DCHECK(part.n_frames == frames);
  return part;
}

Input InputBuilder::build(std::span<const std::size_t> items, std::mt19937_64& rng,
                          std::optional<InputFailure>& failure) const {
  CHORUS_DCHECK(static_cast<int>(items.size()) == data_.halves);
  Input input{features::Spectrogram(n_mels(), frames_), {}};
  const std::size_t classes = dataset_.classes.size();
  input.target = {std::vector<float>(classes, 0.0f), std::vector<float>(classes, 1.0f), 0.0f};
  const double share = 1.0 / static_cast<double>(items.size());
  int column = 0;
  for (std::size_t h = 0; h < items.size(); ++h) {
    const data::Item& item = dataset_.items[items[h]];
    // The first half takes the odd frame of an odd window.
    const int frames =
        (frames_ + static_cast<int>(items.size() - 1 - h)) / static_cast<int>(items.size());
    features::Spectrogram part;
    try {
      part = cache_               ? cached_part(item, frames, rng)
             : augment_waveforms_ ? augmented_part(item, frames, rng)
                                  : decoded_part(item, frames, rng);
    } catch (const Error& e) {
      failure = InputFailure{item.file, e.what()};
      return {};
    }
    augment::apply_band_filter(part, extractor_.mel().filterbank().centres_hz(), item.low_hz,
                               item.high_hz, augment_, rng);
    for (int m = 0; m < n_mels(); ++m)
      std::copy_n(part.row(m).begin(), frames, input.spectrogram.row(m).begin() + column);
    column += frames;
    CHORUS_CHECK(item.target.values.size() == classes && item.target.mask.size() == classes,
                 "item {} has a target of {} classes, the dataset {}", items[h],
                 item.target.values.size(), classes);
    for (std::size_t c = 0; c < classes; ++c) {
      input.target.values[c] += static_cast<float>(share * item.target.values[c]);
      input.target.mask[c] *= item.target.mask[c];
    }
    input.target.weight += static_cast<float>(share * item.target.weight);
  }
  CHORUS_DCHECK(column == frames_);
  extractor_.finish(input.spectrogram.view(), 1);
  augment::apply_spectrogram_augmentations(input.spectrogram, augment_, rng);
  return input;
}

}  // namespace chorus::loader
