// chorus decoding against the soundfile package (libsndfile through Python): the same samples,
// for real recordings and for every format chorus writes. Ogg Vorbis is decoded by another
// implementation of the same specification (FFmpeg's decoder, not libvorbis): the same samples to
// float rounding.

#include <gtest/gtest.h>

#include <cmath>

#include "audio/audio_writer.hpp"
#include "audio/vorbis_decoder.hpp"
#include "audio/waveform.hpp"
#include "core/npy.hpp"
#include "support/signals.hpp"
#include "support/test_support.hpp"

namespace chorus {
namespace {

void expect_same_as_soundfile(const std::filesystem::path& file, const testing::TempDir& dir) {
  audio::AudioConfig native;
  native.sample_rate = audio::open_audio(file)->info().sample_rate;  // no resampling
  const audio::Waveform ours = audio::load_audio(file, native);
  const auto reference_path = dir / (file.filename().string() + ".npy");
  testing::run_oracle("decode_oracle.py", {file.string(), reference_path.string()});
  const core::NpyArray reference = core::read_npy(reference_path);
  ASSERT_EQ(reference.data.size(), ours.samples.size()) << file;
  float worst = 0;
  for (std::size_t i = 0; i < ours.samples.size(); ++i)
    worst = std::max(worst, std::fabs(ours.samples[i] - reference.data[i]));
  // Identical library, identical samples; the stereo mean may round differently. Vorbis: two
  // float32 inverse MDCTs of up to 8192 points, each through 13 radix-2 stages whose partial sums
  // stay within the block's peak (full scale, 1): each stage rounds to half a unit at 1 in both
  // decoders, 2 × 13 × 2^-24 apart at most.
  const float tolerance = audio::is_ogg_vorbis(file) ? 2 * 13 * 0x1p-24f : 1e-7f;
  EXPECT_LE(worst, tolerance) << file;
}

TEST(DecodeOracle, RealRecordingsMatchSoundfile) {
  if (!testing::have_shared_data()) GTEST_SKIP() << "../shared/data not found";
  testing::TempDir dir;
  for (const char* clip :
       {"esc50_dev/train_audio/chirping_birds/esc50k-14-s00.ogg",
        "bird_extras/train_audio/gowwar/XC13738.ogg", "esc50_dev/soundscapes/esc50mix_dev_00.ogg"})
    expect_same_as_soundfile(testing::shared_data() / clip, dir);
}

TEST(DecodeOracle, EveryWrittenFormatMatchesSoundfile) {
  testing::TempDir dir;
  const std::vector<float> sweep = testing::sine_sweep(48000, 1.5, 100, 12000, 0.4);
  for (const char* name : {"s.wav", "s.flac", "s.ogg", "s.opus", "s.mp3"}) {
    audio::write_audio(dir / name, sweep, 48000);
    expect_same_as_soundfile(dir / name, dir);
  }
}

TEST(DecodeOracle, AnMp3WithoutALengthTagMatchesSoundfile) {
  // Its header length is an estimate (the file size over the bitrate): the decoded samples, all
  // of them and no more, are the recording, as soundfile.read gives them.
  testing::TempDir dir;
  testing::write_mp3_without_tag(dir / "untagged.mp3",
                                 testing::sine_sweep(44100, 20.0, 100, 12000, 0.4), 44100);
  expect_same_as_soundfile(dir / "untagged.mp3", dir);
}

}  // namespace
}  // namespace chorus
