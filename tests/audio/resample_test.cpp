// soxr resampling on its own: a sweep up to 14 kHz generated at 44.1 and 48 kHz and resampled
// to 32 kHz equals the same sweep generated at 32 kHz to ≥ 80 dB SNR (edges excluded); DC and
// a 1 kHz tone keep their level within 0.01 dB.

#include <gtest/gtest.h>

#include <cmath>

#include "audio/audio_config.hpp"
#include "audio/resampler.hpp"
#include "core/config_fields.hpp"
#include "core/error.hpp"
#include "support/signals.hpp"
#include "support/test_support.hpp"

namespace chorus {
namespace {

double rms(const std::vector<float>& x, std::size_t first, std::size_t last) {
  double s = 0;
  for (std::size_t i = first; i < last; ++i) s += static_cast<double>(x[i]) * x[i];
  return std::sqrt(s / static_cast<double>(last - first));
}

TEST(Resample, SweepTo14kHzMatchesNativeGenerationAbove80dB) {
  const std::vector<float> native = testing::sine_sweep(32000, 4.0, 50, 14000, 0.5);
  for (int rate : {44100, 48000}) {
    const std::vector<float> source = testing::sine_sweep(rate, 4.0, 50, 14000, 0.5);
    const std::vector<float> converted =
        audio::resample(source, rate, 32000, audio::ResampleQuality::hq);
    ASSERT_EQ(converted.size(), native.size()) << rate;
    const std::size_t edge = 3200;  // 0.1 s at each end, where the filters see the cut
    const double snr = testing::snr_db(converted, native, edge, native.size() - edge);
    EXPECT_GE(snr, 80.0) << rate << " Hz -> 32 kHz";
  }
}

TEST(Resample, DcAndToneKeepTheirLevel) {
  for (int rate : {44100, 48000, 16000}) {
    const std::vector<float> dc(static_cast<std::size_t>(rate), 0.5f);
    const std::vector<float> dc_out = audio::resample(dc, rate, 32000, audio::ResampleQuality::hq);
    const double dc_db = 20 * std::log10(rms(dc_out, 3200, dc_out.size() - 3200) / 0.5);
    EXPECT_NEAR(dc_db, 0.0, 0.01) << rate;
    const std::vector<float> tone = testing::sine(rate, 1.0, 1000, 0.5);
    const std::vector<float> tone_out =
        audio::resample(tone, rate, 32000, audio::ResampleQuality::hq);
    const double tone_db =
        20 * std::log10(rms(tone_out, 3200, tone_out.size() - 3200) / (0.5 / std::sqrt(2.0)));
    EXPECT_NEAR(tone_db, 0.0, 0.01) << rate;
  }
}

TEST(Resample, LengthIsCeilOfTheRatio) {
  EXPECT_EQ(audio::resampled_length(48000, 48000, 32000), 32000);
  EXPECT_EQ(audio::resampled_length(1, 48000, 32000), 1);
  EXPECT_EQ(audio::resampled_length(44101, 44100, 32000), 32001);
  EXPECT_EQ(
      audio::resample(std::vector<float>(1, 0.5f), 48000, 32000, audio::ResampleQuality::hq).size(),
      1u);
}

// The quality is an enum: an unknown name is refused when the configuration is read.
TEST(Resample, UnknownQualityIsAConfigError) {
  audio::AudioConfig config;
  core::ConfigFields fields("audio");
  config.register_fields(fields);
  EXPECT_EQ(testing::error_message([&] { fields.set("resample_quality", "best", "--set"); }),
            "--set: audio.resample_quality = 'best' is not one of: quick, lq, mq, hq, vhq");
  fields.set("resample_quality", "vhq", "--set");
  EXPECT_EQ(config.resample_quality, audio::ResampleQuality::vhq);
}

}  // namespace
}  // namespace chorus
