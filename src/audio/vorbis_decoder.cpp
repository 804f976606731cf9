#include "audio/vorbis_decoder.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <fstream>
#include <string_view>
#include <vector>

#include "audio/audio_files.hpp"
#include "audio/ffmpeg_library.hpp"
#include "audio/ogg_reader.hpp"
#include "core/error.hpp"

namespace chorus::audio {
namespace {

// The most frames one packet decodes to (half of each of two 8192-sample blocks).
constexpr std::int64_t kMaxPacketFrames = 4096;
// A seek starts decoding at a page whose granule lies at least this many frames before the frame
// asked for: more than the one packet's output that decoding after a seek spends on priming.
constexpr std::int64_t kSeekLead = 2 * kMaxPacketFrames;

// The three header packets (identification, comments, setup) as FFmpeg takes them: Xiph lacing
// (a count, the sizes of all but the last, the packets).
std::vector<unsigned char> xiph_laced(const std::array<std::vector<unsigned char>, 3>& headers) {
  std::vector<unsigned char> laced{2};
  for (int i = 0; i < 2; ++i) {
    std::size_t size = headers[static_cast<std::size_t>(i)].size();
    for (; size >= 255; size -= 255) laced.push_back(255);
    laced.push_back(static_cast<unsigned char>(size));
  }
  for (const auto& header : headers) laced.insert(laced.end(), header.begin(), header.end());
  return laced;
}

}  // namespace

// Positions come from the pages' granules, never from FFmpeg's timestamps: a granule is the frame
// where the last packet completed on its page ends, so the frames decoded from where decoding
// began (the first audio page, or a page a seek found) up to the first such packet are placed to
// end there, and everything after follows by count.
struct VorbisDecoder::Handle {
  explicit Handle(const std::filesystem::path& path)
      : ffmpeg(ffmpeg_library(path.string())), ogg(path) {}
  ~Handle() {
    ffmpeg.frame_free(&frame);
    ffmpeg.packet_free(&packet);
    ffmpeg.free_context(&codec);
  }

  const FfmpegLibrary& ffmpeg;
  OggReader ogg;
  std::string name;
  AVCodecContext* codec = nullptr;
  AVPacket* packet = nullptr;
  AVFrame* frame = nullptr;
  int channels = 0;

  std::int64_t data_start = 0;  // the first page after the headers
  std::int64_t base = 0;        // the granule of frame 0
  std::int64_t frames = 0;      // the stream's length (its last granule − base)

  // Decoded frames, interleaved; once `placed`, pending[0] is frame `pending_first`, and the
  // first `pending_used` were handed out or dropped. `next` is the frame the next read hands out.
  std::vector<float> pending;
  std::size_t pending_used = 0;
  std::int64_t pending_first = 0;
  bool placed = false;
  std::int64_t next = 0;
  bool exhausted = false;  // no packets left
  bool from_start = true;  // decoding began at the first audio page

  std::size_t held() const { return pending.size() / static_cast<std::size_t>(channels); }

  // Decoding starts again at the page at byte `offset`, handing out frames from `frame_wanted` on.
  void start_decoding(std::int64_t offset, std::int64_t frame_wanted) {
    ogg.restart_at(offset);
    ffmpeg.flush_buffers(codec);
    pending.clear();
    pending_used = 0;
    placed = false;
    exhausted = false;
    from_start = offset == data_start;
    next = frame_wanted;
  }

  // Decodes `p`, appending its frames to `pending`.
  void decode(const ogg_packet& p) {
    packet->data = p.packet;
    packet->size = static_cast<int>(p.bytes);
    const int sent = ffmpeg.send_packet(codec, packet);
    CHORUS_CHECK_AS(FormatError, sent == 0, "{}: corrupt audio data before byte {} ({})", name,
                    ogg.position(), ffmpeg_error(ffmpeg, sent));
    for (;;) {
      const int received = ffmpeg.receive_frame(codec, frame);
      if (received == AVERROR(EAGAIN)) return;
      CHORUS_CHECK_AS(FormatError, received == 0, "{}: corrupt audio data before byte {} ({})",
                      name, ogg.position(), ffmpeg_error(ffmpeg, received));
      const auto n = static_cast<std::size_t>(frame->nb_samples);
      const auto c_count = static_cast<std::size_t>(channels);
      const std::size_t at = pending.size();
      pending.resize(at + n * c_count);
      float* dst = pending.data() + at;
      const auto plane = [&](std::size_t c) {
        return reinterpret_cast<const float*>(frame->extended_data[c]);
      };
      // Mono (most field recordings) as one copy: the strided loop below runs scalar.
      if (c_count == 1) {
        std::copy_n(plane(0), n, dst);
        continue;
      }
      for (std::size_t c = 0; c < c_count; ++c)
        for (std::size_t i = 0; i < n; ++i) dst[i * c_count + c] = plane(c)[i];
    }
  }

  // Places the frames decoded so far by the granule of `p`, the last packet completed on its page.
  // False where it cannot: the last page's granule cuts the end of its last packet instead of
  // marking where it ends, so it places only frames decoded from the stream's start (they begin
  // at frame 0: a stream on one page).
  bool place(const ogg_packet& p) {
    if (p.e_o_s) {
      if (!from_start) return false;
      pending_first = 0;
    } else {
      pending_first = p.granulepos - base - static_cast<std::int64_t>(held());
    }
    placed = true;
    return true;
  }

  // Decodes until `pending` holds frames at or after `next`; false when the stream ends first,
  // or when decoding from a seek reached the last page before any granule placed its frames.
  bool fill() {
    for (;;) {
      if (placed) {
        // Drop what lies before `next` (after a seek, or the start's trimmed frames).
        const auto count = static_cast<std::int64_t>(held());
        const std::int64_t skip = std::clamp<std::int64_t>(next - pending_first, 0, count);
        pending_used = std::max(pending_used, static_cast<std::size_t>(skip));
        if (static_cast<std::int64_t>(pending_used) < count) return true;
        pending_first += count;
        pending.clear();
        pending_used = 0;
      }
      ogg_packet p;
      if (exhausted || !ogg.next_packet(p)) {
        exhausted = true;
        return false;
      }
      decode(p);
      if (!placed && p.granulepos >= 0 && !place(p)) return false;
    }
  }
};

std::jthread load_vorbis_decoder_in_background(std::span<const std::filesystem::path> files) {
  const bool ogg = std::any_of(files.begin(), files.end(), [](const std::filesystem::path& f) {
    const std::string extension = lowercase_extension(f);
    return extension == ".ogg" || extension == ".oga";
  });
  if (!ogg) return {};
  return std::jthread(load_ffmpeg_library);
}

bool is_ogg_vorbis(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::array<char, 64> head{};
  in.read(head.data(), head.size());
  const std::string_view text(head.data(), static_cast<std::size_t>(in.gcount()));
  return text.starts_with("OggS") && text.find("\x01vorbis") != std::string_view::npos;
}

VorbisDecoder::VorbisDecoder(const std::filesystem::path& path)
    : handle_(std::make_unique<Handle>(path)) {
  info_.path = path.string();
  const std::string& name = info_.path;
  Handle& h = *handle_;
  const FfmpegLibrary& ffmpeg = h.ffmpeg;
  h.name = name;

  std::array<std::vector<unsigned char>, 3> headers;
  for (auto& header : headers) {
    ogg_packet p;
    CHORUS_CHECK_AS(FormatError, h.ogg.next_packet(p),
                    "{}: invalid Vorbis header (the stream ends)", name);
    header.assign(p.packet, p.packet + p.bytes);
  }
  const std::vector<unsigned char>& id = headers[0];
  CHORUS_CHECK_AS(FormatError,
                  id.size() >= 30 && id[0] == 1 && std::memcmp(id.data() + 1, "vorbis", 6) == 0 &&
                      headers[1].size() >= 7 && headers[1][0] == 3 && headers[2].size() >= 7 &&
                      headers[2][0] == 5,
                  "{}: invalid Vorbis header", name);
  // Audio starts on a page of its own after the headers (Vorbis I, section A.2).
  h.data_start = h.ogg.position();

  const AVCodec* codec = ffmpeg.find_decoder(AV_CODEC_ID_VORBIS);
  CHORUS_CHECK_AS(FormatError, codec != nullptr, "{}: cannot decode: no Vorbis decoder", name);
  h.codec = ffmpeg.alloc_context(codec);
  h.packet = ffmpeg.packet_alloc();
  h.frame = ffmpeg.frame_alloc();
  CHORUS_CHECK(h.codec && h.packet && h.frame, "{}: out of memory opening the decoder", name);
  const std::vector<unsigned char> extradata = xiph_laced(headers);
  h.codec->extradata =
      static_cast<std::uint8_t*>(ffmpeg.mallocz(extradata.size() + AV_INPUT_BUFFER_PADDING_SIZE));
  CHORUS_CHECK(h.codec->extradata != nullptr, "{}: out of memory opening the decoder", name);
  std::memcpy(h.codec->extradata, extradata.data(), extradata.size());
  h.codec->extradata_size = static_cast<int>(extradata.size());
  h.codec->thread_count = 1;  // chorus decodes files and segments in parallel itself
  h.codec->err_recognition |= AV_EF_EXPLODE;
  const int ready = ffmpeg.open(h.codec, codec, nullptr);
  CHORUS_CHECK_AS(FormatError, ready == 0, "{}: invalid Vorbis header ({})", name,
                  ffmpeg_error(ffmpeg, ready));
  CHORUS_CHECK_AS(FormatError,
                  h.codec->sample_fmt == AV_SAMPLE_FMT_FLTP && h.codec->sample_rate > 0 &&
                      h.codec->ch_layout.nb_channels > 0,
                  "{}: invalid Vorbis header", name);
  h.channels = h.codec->ch_layout.nb_channels;

  // Frame 0: where the first granule places the first frames decoded. Frames it places before 0
  // are the encoder's priming, trimmed (Vorbis I, A.2); a stream that starts later (a capture of
  // a live stream) counts from its first frame.
  h.fill();
  CHORUS_CHECK_AS(FormatError, h.placed, "{}: contains no audio samples", name);
  if (h.pending_first > 0) {
    h.base = h.pending_first;
    h.pending_first = 0;
  }
  h.frames = h.ogg.last_granule() - h.base;
  CHORUS_CHECK_AS(FormatError, h.frames > 0, "{}: contains no audio samples", name);
  // A packet of at least a byte decodes to at most kMaxPacketFrames: a last granule beyond that
  // for the file's size is damage (and would have callers allocate for it).
  CHORUS_CHECK_AS(FormatError, h.frames / kMaxPacketFrames <= h.ogg.file_size(),
                  "{}: damaged: its last page says {} frames, more than {} bytes of Vorbis hold",
                  name, h.frames, h.ogg.file_size());
  info_.format = "OGG (OGG Container format)";
  info_.encoding = "Vorbis";
  info_.frames = h.frames;
  info_.sample_rate = h.codec->sample_rate;
  info_.channels = h.channels;
}

VorbisDecoder::~VorbisDecoder() = default;

std::int64_t VorbisDecoder::read_frames(std::span<float> out, std::int64_t frames) {
  Handle& h = *handle_;
  const auto channels = static_cast<std::size_t>(h.channels);
  CHORUS_DCHECK(out.size() >= static_cast<std::size_t>(frames) * channels);
  // The last page's granule ends the stream: frames decoded beyond it are the end's padding.
  frames = std::clamp<std::int64_t>(h.frames - h.next, 0, frames);
  std::int64_t done = 0;
  while (done < frames && h.fill()) {
    const auto n = static_cast<std::size_t>(std::min<std::int64_t>(
        frames - done, static_cast<std::int64_t>(h.held() - h.pending_used)));
    std::copy_n(h.pending.data() + h.pending_used * channels, n * channels,
                out.data() + static_cast<std::size_t>(done) * channels);
    h.pending_used += n;
    h.next += static_cast<std::int64_t>(n);
    done += static_cast<std::int64_t>(n);
  }
  CHORUS_CHECK_AS(FormatError, done == frames,
                  "{}: corrupt or truncated audio data: the stream ends at frame {} of {}",
                  info_.path, h.next, h.frames);
  return done;
}

void VorbisDecoder::seek_to(std::int64_t frame) {
  Handle& h = *handle_;
  const std::int64_t target = h.base + std::max<std::int64_t>(0, frame - kSeekLead);
  h.start_decoding(h.ogg.page_before(target, h.data_start), frame);
  // A seek into the last page decodes from the start: only there does its granule place frames.
  if (!h.fill() && !h.placed && !h.from_start) {
    h.start_decoding(h.data_start, frame);
    h.fill();
  }
  CHORUS_CHECK_AS(FormatError, frame >= h.frames || (h.placed && h.pending_first <= frame),
                  "{}: cannot seek to frame {} exactly", info_.path, frame);
}

}  // namespace chorus::audio
