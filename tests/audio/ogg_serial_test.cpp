// Ogg serial numbers: written files are reproducible (the serial comes from the file name, not
// libsndfile's clock-seeded draw), restamped pages still decode, and what is not a well-formed
// single-stream Ogg file is a clear error rather than silently rewritten bytes.

#include "audio/ogg_serial.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <regex>
#include <vector>

#include "audio/audio_writer.hpp"
#include "audio/waveform.hpp"
#include "core/error.hpp"
#include "support/signals.hpp"
#include "support/test_support.hpp"

namespace chorus {
namespace {

using testing::TempDir;

std::uint32_t first_page_serial(const std::string& bytes) {
  std::uint32_t serial = 0;
  for (int i = 3; i >= 0; --i) serial = (serial << 8) | static_cast<std::uint8_t>(bytes.at(14 + i));
  return serial;
}

std::vector<std::uint8_t> as_bytes(const std::string& text) { return {text.begin(), text.end()}; }

TEST(OggSerial, SameSamplesUnderTheSameNameGiveTheSameBytes) {
  TempDir dir;
  std::filesystem::create_directories(dir / "a");
  std::filesystem::create_directories(dir / "b");
  const std::vector<float> tone = testing::sine(48000, 2.0, 440, 0.5);
  for (const char* name : {"call.ogg", "call.opus"}) {
    audio::write_audio(dir / "a" / name, tone, 48000);
    audio::write_audio(dir / "b" / name, tone, 48000);
    const std::string a = testing::read_text(dir / "a" / name);
    EXPECT_TRUE(a == testing::read_text(dir / "b" / name))
        << name << " differs";  // not EXPECT_EQ: bytes
    EXPECT_EQ(first_page_serial(a), audio::ogg_serial_for(name)) << name;
  }
}

TEST(OggSerial, RestampedFilesDecodeAndOnlyTheSerialDiffersBetweenNames) {
  TempDir dir;
  const std::vector<float> tone = testing::sine(32000, 3.0, 1000, 0.5);
  audio::write_audio(dir / "one.ogg", tone, 32000);
  audio::write_audio(dir / "two.ogg", tone, 32000);
  const std::string one = testing::read_text(dir / "one.ogg"),
                    two = testing::read_text(dir / "two.ogg");
  ASSERT_NE(audio::ogg_serial_for("one.ogg"), audio::ogg_serial_for("two.ogg"));
  EXPECT_TRUE(one != two);
  EXPECT_EQ(one.size(), two.size());
  // A page whose checksum fails is an error to the decoder, so equal decodes mean the CRCs are
  // right.
  const audio::AudioConfig config;
  const audio::Waveform a = audio::load_audio(dir / "one.ogg", config);
  const audio::Waveform b = audio::load_audio(dir / "two.ogg", config);
  ASSERT_EQ(a.samples.size(), tone.size());
  EXPECT_EQ(a.samples, b.samples);

  // Restamping one with two's serial gives two, byte for byte.
  std::vector<std::uint8_t> bytes = as_bytes(one);
  audio::set_ogg_serial(bytes, audio::ogg_serial_for("two.ogg"), "one.ogg");
  EXPECT_TRUE(std::string(bytes.begin(), bytes.end()) == two);
}

TEST(OggSerial, MalformedStreamsAreFormatErrors) {
  TempDir dir;
  audio::write_audio(dir / "x.ogg", testing::sine(32000, 1.0, 1000, 0.5), 32000);
  const std::vector<std::uint8_t> good = as_bytes(testing::read_text(dir / "x.ogg"));

  auto error_of = [](std::vector<std::uint8_t> bytes) -> std::string {
    try {
      audio::set_ogg_serial(bytes, 1, "x.ogg");
    } catch (const FormatError& e) {
      return e.what();
    }
    return "no error";
  };
  EXPECT_EQ(error_of({}), "x.ogg: not an Ogg file (0 bytes)");
  std::vector<std::uint8_t> wav = good;
  wav[0] = 'R';
  EXPECT_EQ(error_of(wav), "x.ogg: no Ogg page at byte 0");
  std::vector<std::uint8_t> truncated(good.begin(), good.end() - 10);
  EXPECT_TRUE(
      std::regex_match(error_of(truncated), std::regex("x.ogg: truncated Ogg page at byte [0-9]+")))
      << error_of(truncated);
  std::vector<std::uint8_t> flipped = good;
  flipped[good.size() / 2] ^= 0x40;
  std::vector<std::uint8_t> refused = flipped;
  EXPECT_THROW(audio::set_ogg_serial(refused, 1, "x.ogg"), FormatError);
  EXPECT_TRUE(refused == flipped);  // nothing was restamped before the bad page was found
  EXPECT_TRUE(std::regex_match(error_of(flipped),
                               std::regex("x.ogg: Ogg page at byte [0-9]+ fails its checksum")))
      << error_of(flipped);
  // Two streams one after the other (chained Ogg): not something chorus writes, so refused.
  std::vector<std::uint8_t> chained = good;
  std::vector<std::uint8_t> second = good;
  audio::set_ogg_serial(second, 12345, "second");
  chained.insert(chained.end(), second.begin(), second.end());
  EXPECT_TRUE(std::regex_match(
      error_of(chained), std::regex("x.ogg: more than one Ogg stream \\(page at byte [0-9]+\\)")))
      << error_of(chained);
}

}  // namespace
}  // namespace chorus
