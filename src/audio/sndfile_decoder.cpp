#include "audio/sndfile_decoder.hpp"

#include <sndfile.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace chorus::audio {
namespace {

std::string format_name(int format) {
  SF_FORMAT_INFO info{};
  info.format = format;
  if (sf_command(nullptr, SFC_GET_FORMAT_INFO, &info, sizeof info) == 0 && info.name)
    return info.name;
  return fmt::format("0x{:x}", format);
}

std::string log_of(SNDFILE* handle) {
  std::string log(4096, '\0');
  const int n = sf_command(handle, SFC_GET_LOG_INFO, log.data(), static_cast<int>(log.size()));
  log.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
  return log;
}

// libsndfile clamps a WAV/AIFF data chunk that runs past the end of the file and only notes it
// in its log ("data : 192000 (should be 95978)"); for chorus that is a truncated file.
bool header_claims_more_data(const std::string& log) {
  static const std::regex data_line(R"((?:data|SSND)\s*:\s*(\d+)\s*\(should be (\d+)\))");
  std::smatch m;
  return std::regex_search(log, m, data_line) && std::stoll(m[1]) > std::stoll(m[2]);
}

// An MP3's length in libsndfile's header is exact when the encoder wrote a length tag in the
// first frame (Xing or Info by LAME, VBRI by Fraunhofer): decoding then ends there, and ending
// earlier means the file is truncated. Without a tag (sox's files, many recorders') the length is
// an estimate, the file size over the bitrate, and the decoder, which then keeps the encoder's
// delay and padding, ends elsewhere. Such a file is decoded once through to count its frames, the
// length Python's soundfile.read gives; MP3 decodes at several hundred times real time.
bool has_length_tag(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string head(65536, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  std::size_t frame = 0;
  // An ID3v2 tag first: "ID3", version, flags, then its size in four 7-bit bytes.
  if (head.size() >= 10 && head.compare(0, 3, "ID3") == 0) {
    std::size_t size = 0;
    for (int i = 6; i < 10; ++i) size = size << 7 | (static_cast<unsigned char>(head[i]) & 0x7F);
    frame = 10 + size + ((static_cast<unsigned char>(head[5]) & 0x10) ? 10 : 0);
  }
  // The tag sits after the first frame's header and side information (at most 36 bytes in).
  const std::size_t end = std::min(head.size(), frame + 4 + 36 + 4);
  for (const char* tag : {"Xing", "Info", "VBRI"}) {
    const std::size_t at = head.find(tag, frame);
    if (at != std::string::npos && at + 4 <= end) return true;
  }
  return false;
}

std::uint32_t little_endian(const std::string& bytes, std::size_t at, int size) {
  std::uint32_t value = 0;
  for (int i = size - 1; i >= 0; --i)
    value = value << 8 | static_cast<unsigned char>(bytes[at + static_cast<std::size_t>(i)]);
  return value;
}

// libsndfile's words for a WAV whose fmt chunk gives 0 Hz or 0 channels ("SF_INFO struct
// incomplete", "Channel count is zero") speak of its own internals; the chunk itself says what is
// wrong. Nothing when the file is no RIFF/WAVE or the chunk looks sound.
std::optional<std::string> wav_header_problem(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string head(4096, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  if (head.size() < 12 || head.compare(0, 4, "RIFF") != 0 || head.compare(8, 4, "WAVE") != 0)
    return std::nullopt;
  const std::size_t chunk = head.find("fmt ", 12);
  // "fmt ", its size (4), the format tag (2), then channels (2) and the rate (4).
  if (chunk == std::string::npos || chunk + 16 > head.size()) return std::nullopt;
  if (little_endian(head, chunk + 10, 2) == 0) return "the header gives 0 channels";
  if (little_endian(head, chunk + 12, 4) == 0) return "the header gives a sample rate of 0 Hz";
  return std::nullopt;
}

sf_count_t decoded_frames(SNDFILE* handle, int channels, const std::string& name) {
  constexpr sf_count_t kBlock = 65536;
  std::vector<float> block(static_cast<std::size_t>(kBlock * channels));
  sf_count_t total = 0;
  for (sf_count_t n; (n = sf_readf_float(handle, block.data(), kBlock)) > 0;) total += n;
  CHORUS_CHECK_AS(FormatError, sf_error(handle) == SF_ERR_NO_ERROR,
                  "{}: corrupt or truncated audio data ({})", name, sf_strerror(handle));
  CHORUS_CHECK_AS(FormatError, sf_seek(handle, 0, SEEK_SET) == 0,
                  "{}: cannot seek back to the start: {}", name, sf_strerror(handle));
  return total;
}

}  // namespace

SndfileDecoder::SndfileDecoder(const std::filesystem::path& path) {
  info_.path = path.string();
  const std::string& name = info_.path;
  SF_INFO sfinfo{};
  handle_ = sf_open(name.c_str(), SFM_READ, &sfinfo);
  if (handle_ == nullptr) {
    const int code = sf_error(nullptr);
    const std::string reason = sf_strerror(nullptr);
    CHORUS_CHECK_AS(FormatError, code != SF_ERR_UNRECOGNISED_FORMAT,
                    "{}: unsupported or unrecognised audio format ({})", name, reason);
    if (const auto problem = wav_header_problem(name))
      throw FormatError(fmt::format("{}: {} (a damaged header?)", name, *problem));
    // open_audio has seen a regular file: libsndfile says this of one whose start it cannot
    // parse (an MP3 cut within its first frames).
    CHORUS_CHECK_AS(FormatError, reason.find("not a regular file") == std::string::npos,
                    "{}: cannot decode: its header cannot be read (truncated or damaged?)", name);
    throw FormatError(fmt::format("{}: cannot decode: {}", name, reason));
  }
  major_format_ = sfinfo.format & SF_FORMAT_TYPEMASK;
  subtype_ = sfinfo.format & SF_FORMAT_SUBMASK;
  info_.format = format_name(major_format_);
  info_.encoding = format_name(subtype_);
  info_.frames = sfinfo.frames;
  info_.sample_rate = sfinfo.samplerate;
  info_.channels = sfinfo.channels;

  try {
    CHORUS_CHECK_AS(FormatError, sfinfo.samplerate > 0 && sfinfo.channels > 0,
                    "{}: invalid header ({} Hz, {} channels)", name, sfinfo.samplerate,
                    sfinfo.channels);
    CHORUS_CHECK_AS(FormatError, sfinfo.frames != SF_COUNT_MAX,
                    "{}: truncated or damaged: the stream's length cannot be determined", name);
    if (major_format_ == SF_FORMAT_MPEG && !has_length_tag(name))
      info_.frames = decoded_frames(handle_, sfinfo.channels, name);
    CHORUS_CHECK_AS(FormatError, info_.frames > 0, "{}: contains no audio samples", name);
    CHORUS_CHECK_AS(FormatError, !header_claims_more_data(log_of(handle_)),
                    "{}: truncated: the header announces more audio data than the file holds",
                    name);
  } catch (...) {
    sf_close(handle_);
    throw;
  }
}

SndfileDecoder::~SndfileDecoder() {
  if (handle_ != nullptr) sf_close(handle_);
}

std::int64_t SndfileDecoder::read_frames(std::span<float> out, std::int64_t frames) {
  CHORUS_DCHECK(static_cast<std::int64_t>(out.size()) >= frames * info_.channels);
  const sf_count_t n = sf_readf_float(handle_, out.data(), frames);
  const int code = sf_error(handle_);
  CHORUS_CHECK_AS(FormatError, code == SF_ERR_NO_ERROR, "{}: corrupt or truncated audio data ({})",
                  info_.path, sf_strerror(handle_));
  return n;
}

void SndfileDecoder::seek_to(std::int64_t frame) {
  const sf_count_t at = sf_seek(handle_, frame, SEEK_SET);
  CHORUS_CHECK_AS(FormatError, at == frame, "{}: cannot seek to frame {}: {}", info_.path, frame,
                  sf_strerror(handle_));
}

bool SndfileDecoder::seeks_exactly() const {
  switch (subtype_) {
    case SF_FORMAT_VORBIS:  // libsndfile's Vorbis seek is exact since 1.1
      return true;
    case SF_FORMAT_OPUS:
    case SF_FORMAT_MPEG_LAYER_I:
    case SF_FORMAT_MPEG_LAYER_II:
    case SF_FORMAT_MPEG_LAYER_III:
      return false;
    default:  // PCM, float, FLAC: every frame is independently addressable
      return major_format_ == SF_FORMAT_FLAC || major_format_ == SF_FORMAT_WAV ||
             major_format_ == SF_FORMAT_WAVEX || major_format_ == SF_FORMAT_AIFF ||
             major_format_ == SF_FORMAT_RF64 || major_format_ == SF_FORMAT_W64;
  }
}

}  // namespace chorus::audio
