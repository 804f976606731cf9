#include "audio/vorbis_decoder.hpp"

#include <vorbis/vorbisfile.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <fstream>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace chorus::audio {
namespace {

std::string vorbis_error(int code) {
  switch (code) {
    case OV_EREAD:
      return "read error";
    case OV_ENOTVORBIS:
      return "not Vorbis data";
    case OV_EVERSION:
      return "unsupported Vorbis version";
    case OV_EBADHEADER:
      return "invalid Vorbis header";
    case OV_EFAULT:
      return "internal decoder error";
    case OV_HOLE:
      return "an interruption in the data (corrupt or missing pages)";
    case OV_EBADLINK:
      return "an invalid stream section";
    case OV_EINVAL:
      return "the stream's length cannot be determined";
    default:
      return "error " + std::to_string(code);
  }
}

std::vector<unsigned char> read_bytes(std::ifstream& in, std::streamoff offset, std::size_t count) {
  std::vector<unsigned char> bytes(count);
  in.seekg(offset);
  in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(count));
  bytes.resize(static_cast<std::size_t>(std::max<std::streamsize>(in.gcount(), 0)));
  return bytes;
}

}  // namespace

struct VorbisDecoder::Handle {
  OggVorbis_File file{};
};

bool is_ogg_vorbis(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  const std::vector<unsigned char> head = read_bytes(in, 0, 64);
  const std::string_view text(reinterpret_cast<const char*>(head.data()), head.size());
  return text.starts_with("OggS") && text.find("\x01vorbis") != std::string_view::npos;
}

bool ogg_stream_is_complete(const std::filesystem::path& path) {
  // An Ogg page is at most 27 + 255 + 255·255 bytes; the last one lies within that of the end.
  constexpr std::size_t kMaxPage = 27 + 255 + 255 * 255;
  std::ifstream in(path, std::ios::binary);
  const auto size = static_cast<std::streamoff>(std::filesystem::file_size(path));
  const std::streamoff start =
      std::max<std::streamoff>(0, size - static_cast<std::streamoff>(kMaxPage));
  const std::vector<unsigned char> tail =
      read_bytes(in, start, static_cast<std::size_t>(size - start));
  // The last page is the latest "OggS" whose header and lacing add up exactly to the file's end.
  for (std::size_t pos = tail.size() >= 27 ? tail.size() - 27 + 1 : 0; pos-- > 0;) {
    if (std::memcmp(tail.data() + pos, "OggS", 4) != 0) continue;
    const std::size_t segments = tail[pos + 26];
    if (pos + 27 + segments > tail.size()) continue;
    std::size_t body = 0;
    for (std::size_t s = 0; s < segments; ++s) body += tail[pos + 27 + s];
    if (pos + 27 + segments + body != tail.size()) continue;
    constexpr unsigned char kEndOfStream = 0x04;
    return (tail[pos + 5] & kEndOfStream) != 0;
  }
  return false;
}

VorbisDecoder::VorbisDecoder(const std::filesystem::path& path)
    : handle_(std::make_unique<Handle>()) {
  info_.path = path.string();
  const std::string& name = info_.path;
  CHORUS_CHECK_AS(
      FormatError, ogg_stream_is_complete(path),
      "{}: truncated or damaged: the Ogg stream does not end with a complete final page", name);
  const int opened = ov_fopen(name.c_str(), &handle_->file);
  CHORUS_CHECK_AS(FormatError, opened == 0, "{}: cannot decode: {}", name, vorbis_error(opened));
  try {
    const vorbis_info* first = ov_info(&handle_->file, 0);
    CHORUS_CHECK_AS(FormatError, first != nullptr && first->rate > 0 && first->channels > 0,
                    "{}: invalid Vorbis header", name);
    // A chained file (several logical streams one after another) is read as one signal, so
    // its links must agree on rate and channels.
    for (long link = 1; link < ov_streams(&handle_->file); ++link) {
      const vorbis_info* v = ov_info(&handle_->file, static_cast<int>(link));
      CHORUS_CHECK_AS(FormatError, v && v->rate == first->rate && v->channels == first->channels,
                      "{}: chained Ogg streams with different sample rates or channel counts are "
                      "not supported",
                      name);
    }
    const ogg_int64_t total = ov_pcm_total(&handle_->file, -1);
    CHORUS_CHECK_AS(FormatError, total >= 0, "{}: truncated or damaged: {}", name,
                    vorbis_error(static_cast<int>(total)));
    CHORUS_CHECK_AS(FormatError, total > 0, "{}: contains no audio samples", name);
    info_.format = "OGG (OGG Container format)";
    info_.encoding = "Vorbis";
    info_.frames = total;
    info_.sample_rate = static_cast<int>(first->rate);
    info_.channels = first->channels;
  } catch (...) {
    ov_clear(&handle_->file);
    throw;
  }
}

VorbisDecoder::~VorbisDecoder() { ov_clear(&handle_->file); }

std::int64_t VorbisDecoder::read_frames(std::span<float> out, std::int64_t frames) {
  const int channels = info_.channels;
  CHORUS_DCHECK(static_cast<std::int64_t>(out.size()) >= frames * channels);
  std::int64_t done = 0;
  while (done < frames) {
    float** pcm = nullptr;
    int section = 0;
    const long n =
        ov_read_float(&handle_->file, &pcm,
                      static_cast<int>(std::min<std::int64_t>(frames - done, 1 << 16)), &section);
    if (n == 0) break;  // end of the stream
    CHORUS_CHECK_AS(FormatError, n > 0, "{}: corrupt or truncated audio data ({})", info_.path,
                    vorbis_error(static_cast<int>(n)));
    float* dst = out.data() + done * channels;
    if (channels == 1) {
      std::copy_n(pcm[0], n, dst);
    } else {
      for (long i = 0; i < n; ++i)
        for (int c = 0; c < channels; ++c) dst[i * channels + c] = pcm[c][i];
    }
    done += n;
  }
  return done;
}

void VorbisDecoder::seek_to(std::int64_t frame) {
  const int result = ov_pcm_seek(&handle_->file, frame);
  CHORUS_CHECK_AS(FormatError, result == 0, "{}: cannot seek to frame {}: {}", info_.path, frame,
                  vorbis_error(result));
}

}  // namespace chorus::audio
