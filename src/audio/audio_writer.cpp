#include "audio/audio_writer.hpp"

#include <sndfile.h>

#include <algorithm>

#include "audio/ogg_serial.hpp"
#include "core/atomic_file.hpp"
#include "core/error.hpp"

namespace chorus::audio {
namespace {

int format_for(const std::filesystem::path& path, const WriteOptions& options) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), ::tolower);
  if (ext == ".wav")
    return SF_FORMAT_WAV | (options.float_wav ? SF_FORMAT_FLOAT : SF_FORMAT_PCM_16);
  if (ext == ".flac") return SF_FORMAT_FLAC | SF_FORMAT_PCM_16;
  if (ext == ".ogg") return SF_FORMAT_OGG | SF_FORMAT_VORBIS;
  if (ext == ".opus") return SF_FORMAT_OGG | SF_FORMAT_OPUS;
  if (ext == ".mp3") return SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III;
  throw IoError(
      fmt::format("{}: cannot write audio with extension '{}' (use .wav, .flac, .ogg, "
                  ".opus or .mp3)",
                  path.string(), ext));
}

// libsndfile 1.2's Vorbis encoder crashes on very large single writes, so audio goes out in
// blocks of this many frames.
constexpr std::size_t kWriteBlock = 65536;

}  // namespace

void write_audio(const std::filesystem::path& path, std::span<const float> samples, int sample_rate,
                 const WriteOptions& options) {
  const int format = format_for(path, options);
  core::write_atomically(path, [&](const std::filesystem::path& temporary) {
    SF_INFO info{};
    info.samplerate = sample_rate;
    info.channels = 1;
    info.format = format;
    CHORUS_CHECK_AS(IoError, sf_format_check(&info),
                    "{}: libsndfile cannot write {} Hz audio in this format", path.string(),
                    sample_rate);
    SNDFILE* file = sf_open(temporary.c_str(), SFM_WRITE, &info);
    CHORUS_CHECK_AS(IoError, file != nullptr, "{}: cannot write: {}", path.string(),
                    sf_strerror(nullptr));
    double quality = options.quality;
    sf_command(file, SFC_SET_VBR_ENCODING_QUALITY, &quality, sizeof quality);
    // Samples beyond ±1 are clipped for integer formats rather than wrapping around (or making
    // the FLAC encoder fail).
    sf_command(file, SFC_SET_CLIPPING, nullptr, SF_TRUE);
    std::size_t done = 0;
    while (done < samples.size()) {
      const std::size_t n = std::min(kWriteBlock, samples.size() - done);
      const sf_count_t written =
          sf_writef_float(file, samples.data() + done, static_cast<sf_count_t>(n));
      if (written != static_cast<sf_count_t>(n)) {
        const std::string reason = sf_strerror(file);
        sf_close(file);
        throw IoError(fmt::format("{}: write failed: {}", path.string(), reason));
      }
      done += n;
    }
    CHORUS_CHECK_AS(IoError, sf_close(file) == 0, "{}: cannot finish writing", path.string());
    // The same samples under the same name give the same bytes (see ogg_serial.hpp).
    if ((format & SF_FORMAT_TYPEMASK) == SF_FORMAT_OGG)
      set_ogg_serial(temporary, ogg_serial_for(path.filename().string()));
  });
}

}  // namespace chorus::audio
