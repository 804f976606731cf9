#include "audio/ogg_reader.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <optional>
#include <vector>

#include "core/error.hpp"

namespace chorus::audio {
namespace {

constexpr long kReadSize = 65536;
// A seek's bisection stops when the byte range is this small (about a second of audio).
constexpr std::int64_t kSeekSpan = 16384;

struct LastPage {
  std::int64_t offset = 0;
  std::int64_t granule = -1;
  std::uint32_t serial = 0;
  bool end_of_stream = false;
};

// The file's last Ogg page: the latest "OggS" whose header and lacing add up exactly to the
// file's end (an Ogg page is at most 27 + 255 + 255·255 bytes). A file cut short (a recorder
// losing power, a partial download) ends inside a page, or on one not flagged end-of-stream.
std::optional<LastPage> last_page(int fd, std::int64_t size) {
  constexpr std::int64_t kMaxPage = 27 + 255 + 255 * 255;
  const std::int64_t start = std::max<std::int64_t>(0, size - kMaxPage);
  std::vector<unsigned char> tail(static_cast<std::size_t>(size - start));
  const ssize_t got = ::pread(fd, tail.data(), tail.size(), start);
  tail.resize(static_cast<std::size_t>(std::max<ssize_t>(got, 0)));
  for (std::size_t pos = tail.size() >= 27 ? tail.size() - 27 + 1 : 0; pos-- > 0;) {
    if (std::memcmp(tail.data() + pos, "OggS", 4) != 0) continue;
    const std::size_t segments = tail[pos + 26];
    if (pos + 27 + segments > tail.size()) continue;
    std::size_t body = 0;
    for (std::size_t s = 0; s < segments; ++s) body += tail[pos + 27 + s];
    if (pos + 27 + segments + body != tail.size()) continue;
    std::int64_t granule = 0;
    for (int b = 7; b >= 0; --b) granule = (granule << 8) | tail[pos + 6 + b];
    std::uint32_t serial = 0;
    for (int b = 3; b >= 0; --b) serial = (serial << 8) | tail[pos + 14 + b];
    constexpr unsigned char kEndOfStream = 0x04;
    return LastPage{start + static_cast<std::int64_t>(pos), granule, serial,
                    (tail[pos + 5] & kEndOfStream) != 0};
  }
  return std::nullopt;
}

}  // namespace

OggReader::OggReader(const std::filesystem::path& path) : name_(path.string()) {
  file_.fd = ::open(name_.c_str(), O_RDONLY | O_CLOEXEC);
  CHORUS_CHECK_AS(IoError, file_.fd >= 0, "{}: cannot open", name_);
  struct stat status {};
  CHORUS_CHECK_AS(IoError, ::fstat(file_.fd, &status) == 0, "{}: cannot read its size", name_);
  file_size_ = status.st_size;
  const std::optional<LastPage> last = last_page(file_.fd, file_size_);
  CHORUS_CHECK_AS(
      FormatError, last && last->end_of_stream,
      "{}: truncated or damaged: the Ogg stream does not end with a complete final page", name_);
  last_granule_ = last->granule;
  ogg_page page;
  CHORUS_CHECK_AS(FormatError, next_page(page) && ogg_page_bos(&page),
                  "{}: cannot decode: not an Ogg stream", name_);
  serial_ = ogg_page_serialno(&page);
  CHORUS_CHECK_AS(FormatError, static_cast<std::uint32_t>(serial_) == last->serial,
                  "{}: more than one Ogg stream (a chained or multiplexed file: the last page, at "
                  "byte {}, belongs to another): not supported",
                  name_, last->offset);
  ogg_stream_init(&stream_.state, serial_);
  CHORUS_CHECK_AS(FormatError, ogg_stream_pagein(&stream_.state, &page) == 0,
                  "{}: cannot decode: an Ogg page of an unknown version", name_);
}

OggReader::File::~File() {
  if (fd >= 0) ::close(fd);
}

bool OggReader::next_page(ogg_page& page) {
  for (;;) {
    const long got = ogg_sync_pageseek(&sync_.state, &page);
    if (got > 0) {
      page_offset_ += got;
      synced_ = true;
      return true;
    }
    if (got < 0) {
      // Bytes that are not a page, or a page whose checksum fails: damage, unless reading
      // started inside a page (a seek's bisection).
      CHORUS_CHECK_AS(FormatError, !synced_,
                      "{}: corrupt audio data: an Ogg page at byte {} is damaged (its checksum "
                      "fails or it is not a page)",
                      name_, page_offset_);
      page_offset_ -= got;
      continue;
    }
    char* buffer = ogg_sync_buffer(&sync_.state, kReadSize);
    const ssize_t n = ::pread(file_.fd, buffer, kReadSize, read_offset_);
    CHORUS_CHECK_AS(IoError, n >= 0, "{}: read error at byte {}", name_, read_offset_);
    if (n == 0) return false;
    ogg_sync_wrote(&sync_.state, static_cast<long>(n));
    read_offset_ += n;
  }
}

bool OggReader::next_packet(ogg_packet& packet) {
  for (;;) {
    const int got = ogg_stream_packetout(&stream_.state, &packet);
    if (got == 1) return true;
    CHORUS_CHECK_AS(FormatError, got == 0,
                    "{}: corrupt audio data: an interruption before byte {} (a missing or damaged "
                    "page)",
                    name_, page_offset_);
    if (end_of_stream_) return false;
    ogg_page page;
    if (!next_page(page)) return false;
    CHORUS_CHECK_AS(FormatError, ogg_page_serialno(&page) == serial_,
                    "{}: more than one Ogg stream (a chained or multiplexed file; page at byte "
                    "{}): not supported",
                    name_, page_offset_ - page.header_len - page.body_len);
    CHORUS_CHECK_AS(FormatError, ogg_stream_pagein(&stream_.state, &page) == 0,
                    "{}: corrupt audio data: the Ogg page before byte {} is of an unknown version",
                    name_, page_offset_);
    end_of_stream_ = ogg_page_eos(&page) != 0;
  }
}

void OggReader::restart(std::int64_t offset, bool at_page_start) {
  ogg_sync_reset(&sync_.state);
  ogg_stream_reset(&stream_.state);
  read_offset_ = page_offset_ = offset;
  synced_ = at_page_start;
  end_of_stream_ = false;
}

void OggReader::restart_at(std::int64_t offset) { restart(offset, true); }

std::int64_t OggReader::page_before(std::int64_t granule, std::int64_t from) {
  std::int64_t low = from, high = file_size_;
  while (high - low > kSeekSpan) {
    const std::int64_t middle = low + (high - low) / 2;
    restart(middle, false);
    ogg_page page;
    std::int64_t found = -1, start = -1;
    while (found < 0 && next_page(page)) {
      if (start < 0) start = page_offset_ - page.header_len - page.body_len;
      found = ogg_page_granulepos(&page);
    }
    if (found >= 0 && found <= granule)
      low = start;
    else
      high = middle;
  }
  return low;
}

}  // namespace chorus::audio
