#include "core/npy.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <fstream>
#include <numeric>
#include <regex>
#include <string>
#include <utility>

#include "core/atomic_file.hpp"
#include "core/error.hpp"

namespace chorus::core {
namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr std::size_t kMagicSize = 6;

std::int64_t element_count(std::span<const std::int64_t> shape) {
  return std::accumulate(shape.begin(), shape.end(), std::int64_t{1}, std::multiplies<>());
}

std::string shape_text(std::span<const std::int64_t> shape) {
  std::string s = "(";
  for (auto d : shape) s += std::to_string(d) + ",";
  if (shape.size() > 1) s.pop_back();
  return s + ")";
}

}  // namespace

void write_npy(const std::filesystem::path& path, std::span<const float> data,
               std::span<const std::int64_t> shape) {
  CHORUS_CHECK(element_count(shape) == static_cast<std::int64_t>(data.size()),
               "npy {}: shape {} does not hold {} values", path.string(), shape_text(shape),
               data.size());
  std::string header =
      fmt::format("{{'descr': '<f4', 'fortran_order': False, 'shape': {}, }}", shape_text(shape));
  // Magic + version + length + header + '\n' is padded to a multiple of 64 bytes.
  const std::size_t unpadded = kMagicSize + 2 + 2 + header.size() + 1;
  header.append((64 - unpadded % 64) % 64, ' ');
  header += '\n';
  std::string bytes(kMagic, kMagicSize);
  bytes += '\x01';
  bytes += '\x00';
  const auto length = static_cast<std::uint16_t>(header.size());
  bytes += static_cast<char>(length & 0xff);
  bytes += static_cast<char>(length >> 8);
  bytes += header;
  bytes.append(reinterpret_cast<const char*>(data.data()), data.size_bytes());
  write_file_atomically(path, bytes);
}

namespace {

struct NpyHeader {
  std::vector<std::int64_t> shape;
  bool float64 = false;
  std::size_t data_offset = 0;
  std::int64_t count = 0;
};

// Reads and checks the magic, version and header dict; leaves `in` at the data.
NpyHeader read_header(std::ifstream& in, const std::string& name) {
  char preamble[kMagicSize + 2];
  in.read(preamble, sizeof preamble);
  CHORUS_CHECK_AS(FormatError,
                  in.gcount() == sizeof preamble && std::memcmp(preamble, kMagic, kMagicSize) == 0,
                  "{}: not a .npy file (bad magic)", name);
  const int major = static_cast<unsigned char>(preamble[kMagicSize]);
  CHORUS_CHECK_AS(FormatError, major >= 1 && major <= 3, "{}: unsupported .npy version {}", name,
                  major);
  std::uint32_t header_length = 0;
  unsigned char length_bytes[4] = {0, 0, 0, 0};
  const int length_size = major == 1 ? 2 : 4;
  in.read(reinterpret_cast<char*>(length_bytes), length_size);
  for (int i = 3; i >= 0; --i) header_length = (header_length << 8) | length_bytes[i];
  CHORUS_CHECK_AS(FormatError, in.good() && header_length < (1u << 20), "{}: truncated .npy header",
                  name);
  std::string header(header_length, '\0');
  in.read(header.data(), header_length);
  CHORUS_CHECK_AS(FormatError, static_cast<std::uint32_t>(in.gcount()) == header_length,
                  "{}: truncated .npy header", name);

  std::smatch m;
  CHORUS_CHECK_AS(FormatError,
                  std::regex_search(header, m, std::regex(R"('descr'\s*:\s*'([^']*)')")),
                  "{}: .npy header has no dtype", name);
  const std::string descr = m[1];
  CHORUS_CHECK_AS(FormatError, descr == "<f4" || descr == "<f8",
                  "{}: dtype '{}' is not supported (expected float32 '<f4' or float64 '<f8')", name,
                  descr);
  CHORUS_CHECK_AS(FormatError,
                  std::regex_search(header, std::regex(R"('fortran_order'\s*:\s*False)")),
                  "{}: Fortran-order arrays are not supported", name);
  CHORUS_CHECK_AS(FormatError,
                  std::regex_search(header, m, std::regex(R"('shape'\s*:\s*\(([^)]*)\))")),
                  "{}: .npy header has no shape", name);
  NpyHeader h;
  h.float64 = descr == "<f8";
  h.data_offset = kMagicSize + 2 + static_cast<std::size_t>(length_size) + header_length;
  // Each dimension a plain count, checked one by one: "(-2, 3)" is not (2, 3), and a product of
  // huge dimensions must not overflow before it is found implausible.
  constexpr std::int64_t kMaxElements = std::int64_t{1} << 36;
  const std::string dims = m[1];
  static const std::regex item(R"(\s*([^,]*?)\s*(,|$))");
  h.count = 1;
  for (std::sregex_iterator it(dims.begin(), dims.end(), item), end; it != end; ++it) {
    const std::string text = (*it)[1];
    if (text.empty()) continue;  // the trailing comma of "(5,)"
    std::int64_t d = -1;
    const auto [stop, ec] = std::from_chars(text.data(), text.data() + text.size(), d);
    CHORUS_CHECK_AS(FormatError, ec == std::errc() && stop == text.data() + text.size() && d >= 0,
                    "{}: .npy shape ({}) holds '{}', not a dimension", name, dims, text);
    CHORUS_CHECK_AS(FormatError, d == 0 || h.count <= kMaxElements / d,
                    "{}: implausible shape ({})", name, dims);
    h.count *= d;
    h.shape.push_back(d);
  }
  return h;
}

}  // namespace

NpyArray read_npy(const std::filesystem::path& path) {
  const std::string name = path.string();
  std::ifstream in(path, std::ios::binary);
  CHORUS_CHECK_AS(IoError, in.good(), "cannot open {}", name);
  const NpyHeader h = read_header(in, name);
  const std::int64_t width = h.float64 ? 8 : 4;
  // Checked before allocating: a 200-byte file may claim billions of values (found by fuzz_npy).
  std::error_code ec;
  const auto file_bytes = static_cast<std::int64_t>(std::filesystem::file_size(path, ec));
  const std::int64_t data_bytes = ec ? 0 : file_bytes - static_cast<std::int64_t>(h.data_offset);
  CHORUS_CHECK_AS(FormatError, data_bytes >= h.count * width,
                  "{}: truncated data: shape {} needs {} bytes, file has {}", name,
                  shape_text(h.shape), h.count * width, std::max<std::int64_t>(data_bytes, 0));
  NpyArray array;
  array.shape = h.shape;
  array.data.resize(static_cast<std::size_t>(h.count));
  std::vector<double> wide(h.float64 ? static_cast<std::size_t>(h.count) : 0);
  char* target =
      h.float64 ? reinterpret_cast<char*>(wide.data()) : reinterpret_cast<char*>(array.data.data());
  in.read(target, h.count * width);
  CHORUS_CHECK_AS(FormatError, in.gcount() == h.count * width,
                  "{}: truncated data: shape {} needs {} bytes, file has {}", name,
                  shape_text(h.shape), h.count * width, in.gcount());
  if (h.float64) std::copy(wide.begin(), wide.end(), array.data.begin());
  return array;
}

MappedNpy::MappedNpy(const std::filesystem::path& path) {
  const std::string name = path.string();
  std::ifstream in(path, std::ios::binary);
  CHORUS_CHECK_AS(IoError, in.good(), "cannot open {}", name);
  const NpyHeader h = read_header(in, name);
  CHORUS_CHECK_AS(FormatError, !h.float64, "{}: only float32 arrays can be memory-mapped", name);
  shape_ = h.shape;
  const auto file_size = std::filesystem::file_size(path);
  const std::size_t needed = h.data_offset + static_cast<std::size_t>(h.count) * 4;
  CHORUS_CHECK_AS(FormatError, file_size >= needed,
                  "{}: truncated data: shape {} needs {} bytes after the header, file has {}", name,
                  shape_text(h.shape), needed - h.data_offset, file_size - h.data_offset);
  const int fd = ::open(name.c_str(), O_RDONLY);
  CHORUS_CHECK_AS(IoError, fd >= 0, "cannot open {}", name);
  mapping_size_ = file_size;
  mapping_ =
      mapping_size_ ? ::mmap(nullptr, mapping_size_, PROT_READ, MAP_PRIVATE, fd, 0) : nullptr;
  ::close(fd);
  CHORUS_CHECK_AS(IoError, mapping_size_ == 0 || mapping_ != MAP_FAILED, "cannot map {}", name);
  data_ = {reinterpret_cast<const float*>(static_cast<const char*>(mapping_) + h.data_offset),
           static_cast<std::size_t>(h.count)};
}

MappedNpy::~MappedNpy() {
  if (mapping_ != nullptr && mapping_ != MAP_FAILED) ::munmap(mapping_, mapping_size_);
}

MappedNpy::MappedNpy(MappedNpy&& other) noexcept
    : shape_(std::move(other.shape_)),
      data_(other.data_),
      mapping_(std::exchange(other.mapping_, nullptr)),
      mapping_size_(other.mapping_size_) {}

}  // namespace chorus::core
