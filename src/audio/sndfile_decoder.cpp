#include "audio/sndfile_decoder.hpp"

#include <sndfile.h>

#include <regex>

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
    CHORUS_CHECK_AS(FormatError, sfinfo.frames > 0, "{}: contains no audio samples", name);
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
