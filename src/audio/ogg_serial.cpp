#include "audio/ogg_serial.hpp"

#include <array>
#include <fstream>
#include <iterator>
#include <vector>

#include "core/error.hpp"

namespace chorus::audio {
namespace {

// Page header layout (RFC 3533, section 6): capture pattern "OggS", version, flags, granule
// position (8 bytes), serial (4, little-endian), sequence number (4), CRC (4), segment count,
// then the segment table.
constexpr std::size_t kSerialOffset = 14;
constexpr std::size_t kCrcOffset = 22;
constexpr std::size_t kSegmentCountOffset = 26;
constexpr std::size_t kHeaderSize = 27;

// Ogg's CRC-32: polynomial 0x04c11db7, fed most significant bit first, initial value 0 and no
// final inversion (libogg's framing.c) — not the reflected CRC-32 of zlib.
constexpr std::array<std::uint32_t, 256> make_crc_table() {
  std::array<std::uint32_t, 256> table{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t r = i << 24;
    for (int bit = 0; bit < 8; ++bit) r = (r & 0x80000000u) ? (r << 1) ^ 0x04c11db7u : r << 1;
    table[i] = r;
  }
  return table;
}
constexpr std::array<std::uint32_t, 256> kCrcTable = make_crc_table();

std::uint32_t page_crc(std::span<const std::uint8_t> page) {
  std::uint32_t crc = 0;
  for (std::size_t i = 0; i < page.size(); ++i) {
    const std::uint8_t byte = (i >= kCrcOffset && i < kCrcOffset + 4) ? 0 : page[i];
    crc = (crc << 8) ^ kCrcTable[((crc >> 24) & 0xffu) ^ byte];
  }
  return crc;
}

void put_le32(std::uint8_t* at, std::uint32_t value) {
  for (int i = 0; i < 4; ++i) at[i] = static_cast<std::uint8_t>(value >> (8 * i));
}

std::uint32_t get_le32(const std::uint8_t* at) {
  std::uint32_t value = 0;
  for (int i = 3; i >= 0; --i) value = (value << 8) | at[i];
  return value;
}

}  // namespace

std::uint32_t ogg_serial_for(std::string_view file_name) {
  // FNV-1a: tiny, stable across platforms and releases, which is all a serial needs.
  std::uint32_t hash = 2166136261u;
  for (const char c : file_name) hash = (hash ^ static_cast<std::uint8_t>(c)) * 16777619u;
  return hash;
}

void set_ogg_serial(std::span<std::uint8_t> bytes, std::uint32_t serial, std::string_view where) {
  CHORUS_CHECK_AS(FormatError, bytes.size() >= kHeaderSize, "{}: not an Ogg file ({} bytes)", where,
                  bytes.size());
  // Every page is checked before any is changed, so bad input leaves the bytes as they were.
  const std::uint32_t original = get_le32(bytes.data() + kSerialOffset);
  std::vector<std::span<std::uint8_t>> pages;
  std::size_t offset = 0;
  while (offset < bytes.size()) {
    const std::span<std::uint8_t> rest = bytes.subspan(offset);
    CHORUS_CHECK_AS(FormatError,
                    rest.size() >= kHeaderSize && rest[0] == 'O' && rest[1] == 'g' &&
                        rest[2] == 'g' && rest[3] == 'S',
                    "{}: no Ogg page at byte {}", where, offset);
    const std::size_t segments = rest[kSegmentCountOffset];
    CHORUS_CHECK_AS(FormatError, rest.size() >= kHeaderSize + segments,
                    "{}: truncated Ogg page at byte {}", where, offset);
    std::size_t size = kHeaderSize + segments;
    for (std::size_t s = 0; s < segments; ++s) size += rest[kHeaderSize + s];
    CHORUS_CHECK_AS(FormatError, rest.size() >= size, "{}: truncated Ogg page at byte {}", where,
                    offset);
    const std::span<std::uint8_t> page = rest.first(size);
    CHORUS_CHECK_AS(FormatError, get_le32(page.data() + kCrcOffset) == page_crc(page),
                    "{}: Ogg page at byte {} fails its checksum", where, offset);
    CHORUS_CHECK_AS(FormatError, get_le32(page.data() + kSerialOffset) == original,
                    "{}: more than one Ogg stream (page at byte {})", where, offset);
    pages.push_back(page);
    offset += size;
  }
  for (const std::span<std::uint8_t> page : pages) {
    put_le32(page.data() + kSerialOffset, serial);
    put_le32(page.data() + kCrcOffset, page_crc(page));
  }
}

void set_ogg_serial(const std::filesystem::path& path, std::uint32_t serial) {
  std::vector<std::uint8_t> bytes;
  {
    std::ifstream in(path, std::ios::binary);
    CHORUS_CHECK_AS(IoError, in.good(), "{}: cannot read", path.string());
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  set_ogg_serial(bytes, serial, path.string());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
  CHORUS_CHECK_AS(IoError, out.good(), "{}: cannot write", path.string());
}

}  // namespace chorus::audio
