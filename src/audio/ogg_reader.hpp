#pragma once
// One logical Ogg stream, packet by packet, through libogg: pages found by their capture pattern
// and checked by their CRC, packets put together across pages. Every damage is an error naming
// the file and the byte: a page whose checksum fails, a page missing (a gap in the page
// sequence), a file cut short (no final page flagged end-of-stream), a second stream (a chained
// or multiplexed file, which chorus does not read).

#include <ogg/ogg.h>

#include <cstdint>
#include <filesystem>
#include <string>

namespace chorus::audio {

class OggReader {
 public:
  // Opens `path` at its first page, which must begin a stream.
  explicit OggReader(const std::filesystem::path& path);
  OggReader(const OggReader&) = delete;
  OggReader& operator=(const OggReader&) = delete;

  // The stream's next packet (valid until the next call); false after its last.
  bool next_packet(ogg_packet& packet);

  // Reading goes on from the page that starts at byte `offset`.
  void restart_at(std::int64_t offset);

  // The start of the latest page at or after byte `from` whose granule (or, where no packet
  // ends on it, the next page's) lies at or before `granule`, to within kSeekSpan bytes: a
  // bisection over the file. `from` itself when none does.
  std::int64_t page_before(std::int64_t granule, std::int64_t from);

  // Where the page after the last one read starts.
  std::int64_t position() const { return page_offset_; }
  // The granule of the stream's last page (the frame its audio ends at).
  std::int64_t last_granule() const { return last_granule_; }
  std::int64_t file_size() const { return file_size_; }

 private:
  // The next page into `page`; false at the end of the file.
  bool next_page(ogg_page& page);
  // Reading restarts at byte `offset`; `at_page_start` false: it may fall inside a page.
  void restart(std::int64_t offset, bool at_page_start);

  // libogg's states and the file, released however the constructor ends (a refused file throws
  // from it, and then no destructor of OggReader runs).
  struct Sync {
    Sync() { ogg_sync_init(&state); }
    ~Sync() { ogg_sync_clear(&state); }
    ogg_sync_state state{};
  };
  struct Stream {
    ~Stream() { ogg_stream_clear(&state); }  // a zeroed state clears as well
    ogg_stream_state state{};
  };
  struct File {
    ~File();
    int fd = -1;
  };

  std::string name_;
  File file_;
  std::int64_t file_size_ = 0;
  std::int64_t last_granule_ = -1;
  std::int64_t read_offset_ = 0;  // where the next bytes for libogg come from
  std::int64_t page_offset_ = 0;  // where the page libogg hands out next starts
  bool synced_ = true;            // reading page after page: a skipped byte is damage
  bool end_of_stream_ = false;    // the stream's last page was read
  int serial_ = 0;
  Sync sync_;
  Stream stream_;
};

}  // namespace chorus::audio
