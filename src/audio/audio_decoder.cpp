#include "audio/audio_decoder.hpp"

#include "audio/sndfile_decoder.hpp"
#include "audio/vorbis_decoder.hpp"
#include "core/error.hpp"

namespace chorus::audio {

std::unique_ptr<AudioDecoder> open_audio(const std::filesystem::path& path) {
  const std::string name = path.string();
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  CHORUS_CHECK_AS(IoError, std::filesystem::exists(status), "{}: no such file", name);
  CHORUS_CHECK_AS(IoError, std::filesystem::is_regular_file(status), "{}: not a regular file",
                  name);
  CHORUS_CHECK_AS(FormatError, std::filesystem::file_size(path, ec) > 0, "{}: empty file (0 bytes)",
                  name);
  if (is_ogg_vorbis(path)) return std::make_unique<VorbisDecoder>(path);
  return std::make_unique<SndfileDecoder>(path);
}

}  // namespace chorus::audio
