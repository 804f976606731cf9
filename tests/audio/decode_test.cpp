// Decoding: every format round-trips, channels mix to mono, streams hand out fixed blocks, and
// parallel segment decoding equals sequential decoding.

#include <gtest/gtest.h>
#include <link.h>
#include <sndfile.h>

#include <algorithm>
#include <cmath>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "audio/audio_stream.hpp"
#include "audio/audio_writer.hpp"
#include "audio/resampler.hpp"
#include "audio/vorbis_decoder.hpp"
#include "audio/waveform.hpp"
#include "support/signals.hpp"
#include "support/test_support.hpp"

namespace chorus {
namespace {

using testing::TempDir;

double correlation(std::span<const float> a, std::span<const float> b, std::size_t n) {
  double ab = 0, aa = 0, bb = 0;
  for (std::size_t i = 0; i < n; ++i) {
    ab += static_cast<double>(a[i]) * b[i];
    aa += static_cast<double>(a[i]) * a[i];
    bb += static_cast<double>(b[i]) * b[i];
  }
  return ab / std::sqrt(aa * bb);
}

TEST(Decode, LosslessFormatsRoundTrip) {
  TempDir dir;
  const std::vector<float> tone = testing::sine(32000, 1.0, 1000, 0.5);
  audio::AudioConfig config;
  for (const char* name : {"t.wav", "t.flac"}) {
    audio::write_audio(dir / name, tone, 32000);
    const audio::Waveform wave = audio::load_audio(dir / name, config);
    ASSERT_EQ(wave.samples.size(), tone.size()) << name;
    EXPECT_EQ(wave.sample_rate, 32000);
    for (std::size_t i = 0; i < tone.size(); ++i)
      ASSERT_NEAR(wave.samples[i], tone[i], 1.0 / 32768) << name << " at " << i;
  }
}

TEST(Decode, LossyFormatsKeepTheSignal) {
  TempDir dir;
  const std::vector<float> sweep = testing::sine_sweep(48000, 2.0, 200, 8000, 0.4);
  audio::AudioConfig config;
  config.sample_rate = 48000;
  for (const char* name : {"t.ogg", "t.opus", "t.mp3"}) {
    audio::write_audio(dir / name, sweep, 48000, {.quality = 0.8});
    const audio::Waveform wave = audio::load_audio(dir / name, config);
    // Encoders may pad a few milliseconds; the length must be the input's within 50 ms.
    EXPECT_NEAR(static_cast<double>(wave.samples.size()), static_cast<double>(sweep.size()), 2400)
        << name;
    EXPECT_GT(correlation(wave.samples, sweep, std::min(sweep.size(), wave.samples.size())), 0.99)
        << name;
  }
}

TEST(Decode, StereoIsMixedToTheMeanOfChannels) {
  TempDir dir;
  const auto path = dir / "stereo.wav";
  testing::write_raw_wav(path, {0.5f, -0.5f, 0.25f, 0.75f, 1.0f, 0.0f}, 2, SF_FORMAT_FLOAT);
  const audio::Waveform wave = audio::load_audio(path, audio::AudioConfig{});
  ASSERT_EQ(wave.samples.size(), 3u);
  EXPECT_FLOAT_EQ(wave.samples[0], 0.0f);
  EXPECT_FLOAT_EQ(wave.samples[1], 0.5f);
  EXPECT_FLOAT_EQ(wave.samples[2], 0.5f);
  EXPECT_EQ(wave.source.channels, 2);
}

TEST(Decode, StreamHandsOutFixedBlocksAndTheExactTotal) {
  TempDir dir;
  const std::vector<float> noise = testing::white_noise(44100, 3.3, 0.1, 1);
  audio::write_audio(dir / "n.wav", noise, 44100, {.float_wav = true});
  audio::AudioStream stream(dir / "n.wav", 32000, audio::ResampleQuality::hq);
  EXPECT_EQ(stream.total_samples(), audio::resampled_length(noise.size(), 44100, 32000));
  std::vector<float> block(10000);
  std::int64_t total = 0;
  std::size_t n;
  std::vector<std::size_t> sizes;
  while ((n = stream.read(block)) > 0) {
    sizes.push_back(n);
    total += static_cast<std::int64_t>(n);
  }
  EXPECT_EQ(total, stream.total_samples());
  for (std::size_t i = 0; i + 1 < sizes.size(); ++i) EXPECT_EQ(sizes[i], 10000u);
  // Whole-signal resampling gives the same samples as streaming.
  const std::vector<float> whole = audio::resample(noise, 44100, 32000, audio::ResampleQuality::hq);
  const audio::Waveform streamed = audio::load_audio(dir / "n.wav", audio::AudioConfig{});
  ASSERT_EQ(whole.size(), streamed.samples.size());
  for (std::size_t i = 0; i < whole.size(); ++i) ASSERT_NEAR(streamed.samples[i], whole[i], 1e-6);
}

// Long files are decoded in concurrent segments (seek + pre-roll); the result must equal the
// sequential decode, with and without resampling, for every format that is split.
TEST(Decode, ParallelSegmentsEqualSequentialDecode) {
  TempDir dir;
  for (const char* name : {"long.flac", "long.ogg", "long.wav", "long44.wav"}) {
    // 44.1 kHz → 32 kHz has a coarse alignment grid (441 : 320), so segments start off it.
    const int source_rate = std::string(name) == "long44.wav" ? 44100 : 48000;
    audio::write_audio(dir / name, testing::sine_sweep(source_rate, 95.0, 60, 15000, 0.3),
                       source_rate);
    for (int rate : {48000, 32000}) {
      audio::AudioConfig config;
      config.sample_rate = rate;
      const audio::Waveform one = audio::load_audio(dir / name, config, 1);
      const audio::Waveform three = audio::load_audio(dir / name, config, 3);
      ASSERT_EQ(one.samples.size(), three.samples.size()) << name << " " << rate;
      float worst = 0;
      for (std::size_t i = 0; i < one.samples.size(); ++i)
        worst = std::max(worst, std::fabs(one.samples[i] - three.samples[i]));
      EXPECT_LE(worst, 2e-6f) << name << " at " << rate << " Hz";
    }
  }
}

// The Predictor opens a file once and reads its blocks through one decoder, each block a stream
// that seeks it: for every format that claims exact seeks, every block must be what a fresh open
// of the file gives for that range. (MP3 does not: after a seek it depends on what it decoded
// before, so the Predictor reopens such files.)
TEST(Decode, StreamsOverOneDecoderEqualFreshOpens) {
  TempDir dir;
  audio::write_audio(dir / "s.mp3", testing::sine_sweep(48000, 2.0, 60, 15000, 0.3), 48000);
  EXPECT_FALSE(audio::open_audio(dir / "s.mp3")->seeks_exactly());
  for (const char* name : {"s.flac", "s.ogg", "s.wav"}) {
    audio::write_audio(dir / name, testing::sine_sweep(48000, 12.0, 60, 15000, 0.3), 48000);
    const auto decoder = audio::open_audio(dir / name);
    ASSERT_TRUE(decoder->seeks_exactly()) << name;
    // Forwards, backwards and from the start again, as blocks with overlapping margins go.
    for (const audio::SampleRange range :
         {audio::SampleRange{0, 96000}, audio::SampleRange{90000, 250000},
          audio::SampleRange{20000, 30000}, audio::SampleRange{0, 5000}}) {
      for (int rate : {48000, 32000}) {
        audio::AudioStream borrowed(*decoder, rate, audio::ResampleQuality::hq, range);
        audio::AudioStream fresh(dir / name, rate, audio::ResampleQuality::hq, range);
        ASSERT_EQ(borrowed.total_samples(), fresh.total_samples());
        std::vector<float> a(static_cast<std::size_t>(borrowed.total_samples()));
        std::vector<float> b(a.size());
        audio::read_all(borrowed, a.data());
        audio::read_all(fresh, b.data());
        EXPECT_EQ(a, b) << name << " [" << range.begin << ", " << range.end << ") at " << rate;
      }
    }
  }
}

// Ogg Vorbis positions come from the pages' granules: a seek anywhere, forwards or backwards, in
// a long file and in one whose audio fits on its last page (where the granule only cuts the end),
// gives what decoding from the start gives there.
TEST(Decode, VorbisSeeksAreSampleExactEverywhere) {
  TempDir dir;
  for (const auto& [name, seconds] : {std::pair{"long.ogg", 12.0}, std::pair{"short.ogg", 0.4}}) {
    audio::write_audio(dir / name, testing::sine_sweep(48000, seconds, 60, 15000, 0.3), 48000);
    const auto decoder = audio::open_audio(dir / name);
    const std::int64_t total = decoder->info().frames;
    ASSERT_EQ(total, static_cast<std::int64_t>(seconds * 48000)) << name;
    std::vector<float> all(static_cast<std::size_t>(total));
    ASSERT_EQ(decoder->read(all, total), total);
    for (const std::int64_t frame :
         {total - 1, std::int64_t{0}, std::int64_t{1}, std::int64_t{4095}, total / 2, total - 5000,
          std::int64_t{48001}, total - 100}) {
      if (frame < 0 || frame >= total) continue;
      const std::int64_t count = std::min<std::int64_t>(3000, total - frame);
      std::vector<float> part(static_cast<std::size_t>(count));
      decoder->seek(frame);
      ASSERT_EQ(decoder->read(part, count), count) << name << " at " << frame;
      EXPECT_TRUE(std::equal(part.begin(), part.end(), all.begin() + frame))
          << name << " at " << frame;
    }
  }
}

// Whether this process has mapped FFmpeg's libavcodec.
bool libavcodec_loaded() {
  bool found = false;
  dl_iterate_phdr(
      [](dl_phdr_info* info, std::size_t, void* data) {
        if (std::string_view(info->dlpi_name).find("libavcodec") != std::string_view::npos)
          *static_cast<bool*>(data) = true;
        return 0;
      },
      &found);
  return found;
}

// FFmpeg's library is loaded by the first Ogg Vorbis file opened, not before (a WAV does not).
TEST(Decode, FfmpegIsLoadedForOggVorbisOnly) {
  TempDir dir;
  audio::write_audio(dir / "t.wav", testing::sine(32000, 0.5, 440, 0.3), 32000);
  audio::write_audio(dir / "t.ogg", testing::sine(32000, 0.5, 440, 0.3), 32000);
  const bool before = libavcodec_loaded();
  audio::open_audio(dir / "t.wav");
  EXPECT_EQ(libavcodec_loaded(), before);
  audio::open_audio(dir / "t.ogg");
  EXPECT_TRUE(libavcodec_loaded());
}

// predict and pseudo load it on a thread beside the models where an input is named like Ogg
// (any case), and not at all for other inputs.
TEST(Decode, FfmpegLoadsInTheBackgroundForOggInputsOnly) {
  const bool before = libavcodec_loaded();
  const std::vector<std::filesystem::path> others{"a.wav", "b.flac", "c.mp3", "ogg"};
  EXPECT_FALSE(audio::load_vorbis_decoder_in_background(others).joinable());
  EXPECT_EQ(libavcodec_loaded(), before);
  const std::vector<std::filesystem::path> with_ogg{"a.wav", "dawn/B.OGG"};
  std::jthread loading = audio::load_vorbis_decoder_in_background(with_ogg);
  ASSERT_TRUE(loading.joinable());
  loading.join();
  EXPECT_TRUE(libavcodec_loaded());
}

TEST(Decode, SpanStartsAtTheRequestedTime) {
  TempDir dir;
  std::vector<float> signal(32000 * 4, 0.0f);
  signal[32000 * 2 + 100] = 1.0f;  // an impulse at 2 s + 100 samples
  audio::write_audio(dir / "impulse.wav", signal, 32000, {.float_wav = true});
  const audio::Waveform span =
      audio::load_audio_span(dir / "impulse.wav", audio::AudioConfig{}, 2.0, 1.0);
  ASSERT_EQ(span.samples.size(), 32000u);
  EXPECT_EQ(std::max_element(span.samples.begin(), span.samples.end()) - span.samples.begin(), 100);
}

}  // namespace
}  // namespace chorus
