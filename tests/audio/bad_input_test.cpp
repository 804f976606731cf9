// Bad audio never crashes: each failure raises chorus::Error naming the file and the problem.

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sndfile.h>

#include <cmath>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include "audio/audio_writer.hpp"
#include "audio/waveform.hpp"
#include "core/error.hpp"
#include "support/signals.hpp"
#include "support/test_support.hpp"

namespace chorus {
namespace {

using testing::TempDir;

// Loads `path` and returns the error message; fails the test if nothing was thrown.
std::string load_error(const std::filesystem::path& path) {
  try {
    audio::load_audio(path, audio::AudioConfig{});
  } catch (const Error& e) {
    return e.what();
  }
  ADD_FAILURE() << "no error for " << path;
  return {};
}

void truncate_to_half(const std::filesystem::path& path) {
  std::filesystem::resize_file(path, std::filesystem::file_size(path) / 2);
}

TEST(BadAudio, MissingFile) {
  TempDir dir;
  EXPECT_EQ(load_error(dir / "nope.wav"), (dir / "nope.wav").string() + ": no such file");
}

TEST(BadAudio, EmptyFile) {
  TempDir dir;
  std::ofstream(dir / "empty.ogg").close();
  EXPECT_EQ(load_error(dir / "empty.ogg"), (dir / "empty.ogg").string() + ": empty file (0 bytes)");
}

TEST(BadAudio, TextIsAnUnsupportedFormat) {
  TempDir dir;
  std::ofstream(dir / "notes.wav") << "these are field notes, not audio\n";
  const std::string message = load_error(dir / "notes.wav");
  EXPECT_EQ(
      message.rfind((dir / "notes.wav").string() + ": unsupported or unrecognised audio format", 0),
      0u)
      << message;
}

TEST(BadAudio, HeaderOnlyWavHasNoSamples) {
  TempDir dir;
  testing::write_raw_wav(dir / "h.wav", {}, 1, SF_FORMAT_PCM_16);
  EXPECT_EQ(load_error(dir / "h.wav"), (dir / "h.wav").string() + ": contains no audio samples");
}

TEST(BadAudio, TruncatedFilesOfEveryFormat) {
  TempDir dir;
  const std::vector<float> sweep = testing::sine_sweep(48000, 3.0, 100, 9000, 0.4);
  for (const char* name : {"t.wav", "t.flac", "t.ogg", "t.opus", "t.mp3"}) {
    audio::write_audio(dir / name, sweep, 48000);
    truncate_to_half(dir / name);
    const std::string message = load_error(dir / name);
    EXPECT_EQ(message.rfind((dir / name).string() + ": ", 0), 0u) << message;
    // Each names the problem: truncation, lost sync or a malformed stream.
    EXPECT_TRUE(message.find("truncated") != std::string::npos ||
                message.find("malformed") != std::string::npos ||
                message.find("corrupt") != std::string::npos)
        << name << ": " << message;
  }
}

// An Ogg Vorbis file damaged inside: a page whose checksum fails, a page missing, a second stream
// after the first (a chained file). Each is an error naming the file and where, not a gap.
TEST(BadAudio, DamagedAndMissingOggPagesAreErrors) {
  TempDir dir;
  audio::write_audio(dir / "good.ogg", testing::sine_sweep(48000, 30.0, 100, 9000, 0.4), 48000);
  const std::string good = testing::read_text(dir / "good.ogg");
  // The byte offsets of the pages (27-byte header, segment table, body).
  std::vector<std::size_t> pages;
  for (std::size_t at = 0; at + 27 <= good.size();) {
    ASSERT_EQ(good.compare(at, 4, "OggS"), 0);
    pages.push_back(at);
    const auto segments = static_cast<unsigned char>(good[at + 26]);
    std::size_t size = 27 + segments;
    for (std::size_t i = 0; i < segments; ++i)
      size += static_cast<unsigned char>(good[at + 27 + i]);
    at += size;
  }
  ASSERT_GT(pages.size(), 6u);
  const std::size_t middle = pages[pages.size() / 2];

  std::string flipped = good;
  flipped[middle + 100] = static_cast<char>(flipped[middle + 100] ^ 0x20);
  testing::write_text(dir / "flipped.ogg", flipped);
  EXPECT_EQ(load_error(dir / "flipped.ogg"),
            fmt::format("{}: corrupt audio data: an Ogg page at byte {} is damaged (its checksum "
                        "fails or it is not a page)",
                        (dir / "flipped.ogg").string(), middle));

  std::string missing = good;
  missing.erase(middle, pages[pages.size() / 2 + 1] - middle);
  testing::write_text(dir / "missing.ogg", missing);
  const std::string gap = load_error(dir / "missing.ogg");
  EXPECT_EQ(gap.rfind((dir / "missing.ogg").string() + ": corrupt audio data: an interruption", 0),
            0u)
      << gap;

  audio::write_audio(dir / "second.ogg", testing::sine(48000, 1.0, 440, 0.3), 48000);
  testing::write_text(dir / "chained.ogg", good + testing::read_text(dir / "second.ogg"));
  const std::string chained = load_error(dir / "chained.ogg");
  EXPECT_EQ(chained.rfind((dir / "chained.ogg").string() + ": more than one Ogg stream", 0), 0u)
      << chained;
}

TEST(BadAudio, NanAndInfSamplesAreRejectedWithTheirPosition) {
  TempDir dir;
  std::vector<float> samples(32000, 0.1f);
  samples[16000] = std::numeric_limits<float>::quiet_NaN();
  audio::write_audio(dir / "nan.wav", samples, 32000, {.float_wav = true});
  EXPECT_EQ(load_error(dir / "nan.wav"),
            (dir / "nan.wav").string() + ": sample 16000 (at 0.500 s) is NaN: damaged audio data");
  samples[16000] = 0.0f;
  samples[100] = std::numeric_limits<float>::infinity();
  audio::write_audio(dir / "inf.wav", samples, 32000, {.float_wav = true});
  EXPECT_EQ(
      load_error(dir / "inf.wav"),
      (dir / "inf.wav").string() + ": sample 100 (at 0.003 s) is infinite: damaged audio data");
}

// ±1e38 is finite, but squared in a spectrogram it is inf: a float WAV holding it gave an all-inf
// mel matrix and NaN scores. Samples beyond ±1e6 are damage, found as they are decoded; the frame
// counts from 0 in every channel of an interleaved file.
TEST(BadAudio, SamplesFarBeyondFullScaleAreRejected) {
  TempDir dir;
  std::vector<float> stereo(2 * 32000, 0.1f);
  stereo[2 * 20000 + 1] = -1e38f;
  testing::write_raw_wav(dir / "huge.wav", stereo, 2, SF_FORMAT_FLOAT);
  EXPECT_EQ(load_error(dir / "huge.wav"),
            (dir / "huge.wav").string() +
                ": sample 20000 (at 0.625 s) is -1e+38, beyond ±1e+06 (120 dB above full scale): "
                "damaged audio data");
  // Loud but plausible float audio (+20 dBFS) is sound.
  stereo[2 * 20000 + 1] = 10.0f;
  testing::write_raw_wav(dir / "loud.wav", stereo, 2, SF_FORMAT_FLOAT);
  EXPECT_NO_THROW(static_cast<void>(audio::load_audio(dir / "loud.wav", audio::AudioConfig{})));
}

// A header rate outside 1 kHz–1 MHz is damage: a 64 KB file "at 1 Hz" used to cost 7 GB of memory
// and a 1 GB spectrogram once resampled.
TEST(BadAudio, SampleRatesOutsideTheReadableRangeAreRejected) {
  TempDir dir;
  for (const std::uint32_t rate : {1u, 999u, 1000001u}) {
    const auto path = dir / fmt::format("r{}.wav", rate);
    audio::write_audio(path, std::vector<float>(8000, 0.1f), 32000);
    testing::patch_wav_sample_rate(path, rate);
    EXPECT_EQ(load_error(path), fmt::format("{}: the header gives a sample rate of {} Hz; chorus "
                                            "reads 1000–1000000 Hz (a damaged header?)",
                                            path.string(), rate));
  }
}

TEST(BadAudio, DirectoryIsNotAFile) {
  TempDir dir;
  EXPECT_EQ(load_error(dir.path()), dir.path().string() + ": a folder, not a file");
}

TEST(BadAudio, WriterRejectsUnknownExtensionAndLeavesNothing) {
  TempDir dir;
  EXPECT_THROW(audio::write_audio(dir / "x.aac", std::vector<float>(10), 32000), IoError);
  EXPECT_THROW(audio::write_audio(dir / "x.opus", std::vector<float>(10), 32000), IoError);
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
}

}  // namespace
}  // namespace chorus
