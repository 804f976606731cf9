#include "checkpoint/safetensors_header.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>

#include "core/error.hpp"

namespace chorus::checkpoint {
namespace {

using nlohmann::json;

// The reference implementation refuses headers over 100 MB; so do we, before allocating.
constexpr std::uint64_t kMaxHeaderBytes = 100'000'000;

struct DtypeInfo {
  SafetensorsDtype dtype;
  std::string_view name;
  std::size_t size;
};
constexpr std::array<DtypeInfo, 5> kDtypes{{{SafetensorsDtype::F32, "F32", 4},
                                            {SafetensorsDtype::F16, "F16", 2},
                                            {SafetensorsDtype::BF16, "BF16", 2},
                                            {SafetensorsDtype::F64, "F64", 8},
                                            {SafetensorsDtype::I64, "I64", 8}}};

const DtypeInfo& info(SafetensorsDtype dtype) {
  for (const DtypeInfo& d : kDtypes)
    if (d.dtype == dtype) return d;
  CHORUS_DCHECK(false);
  return kDtypes[0];
}

std::uint64_t read_le64(std::string_view bytes) {
  std::uint64_t value = 0;
  for (int i = 7; i >= 0; --i) value = (value << 8) | static_cast<unsigned char>(bytes[i]);
  return value;
}

SafetensorsEntry parse_entry(const std::string& name, const json& j, std::string_view source) {
  const bool well_formed = j.is_object() && j.contains("dtype") && j["dtype"].is_string() &&
                           j.contains("shape") && j["shape"].is_array() &&
                           j.contains("data_offsets") && j["data_offsets"].is_array() &&
                           j["data_offsets"].size() == 2;
  CHORUS_CHECK_AS(
      FormatError, well_formed,
      "{}: tensor '{}': expected an object with dtype, shape and data_offsets [begin, end]", source,
      name);
  SafetensorsEntry entry;
  entry.name = name;
  const std::string dtype = j["dtype"].get<std::string>();
  const auto known = std::find_if(kDtypes.begin(), kDtypes.end(),
                                  [&](const DtypeInfo& d) { return d.name == dtype; });
  CHORUS_CHECK_AS(FormatError, known != kDtypes.end(),
                  "{}: tensor '{}': unsupported dtype '{}' (expected F32, F16, BF16, F64 or I64)",
                  source, name, dtype);
  entry.dtype = known->dtype;

  // Element count with an overflow check: a hostile shape must not wrap around to a small size.
  std::uint64_t elements = 1;
  for (const json& d : j["shape"]) {
    CHORUS_CHECK_AS(FormatError, d.is_number_unsigned(),
                    "{}: tensor '{}': shape {} has an entry that is not a non-negative integer",
                    source, name, j["shape"].dump());
    const std::uint64_t extent = d.get<std::uint64_t>();
    CHORUS_CHECK_AS(FormatError,
                    extent == 0 || elements <= std::numeric_limits<std::uint32_t>::max() / extent,
                    "{}: tensor '{}': shape {} is too large", source, name, j["shape"].dump());
    elements *= extent;
    entry.shape.push_back(static_cast<std::int64_t>(extent));
  }
  const json& offsets = j["data_offsets"];
  CHORUS_CHECK_AS(FormatError, offsets[0].is_number_unsigned() && offsets[1].is_number_unsigned(),
                  "{}: tensor '{}': data_offsets {} are not non-negative integers", source, name,
                  offsets.dump());
  entry.begin = offsets[0].get<std::size_t>();
  entry.end = offsets[1].get<std::size_t>();
  CHORUS_CHECK_AS(FormatError, entry.begin <= entry.end,
                  "{}: tensor '{}': data_offsets [{}, {}] end before they begin", source, name,
                  entry.begin, entry.end);
  const std::uint64_t expected = elements * known->size;
  CHORUS_CHECK_AS(FormatError, entry.end - entry.begin == expected,
                  "{}: tensor '{}': data_offsets [{}, {}] hold {} bytes, but {} {} needs {}",
                  source, name, entry.begin, entry.end, entry.end - entry.begin, dtype,
                  j["shape"].dump(), expected);
  return entry;
}

std::map<std::string, std::string> parse_metadata(const json& j, std::string_view source) {
  std::map<std::string, std::string> metadata;
  CHORUS_CHECK_AS(FormatError, j.is_object(), "{}: __metadata__ is not an object", source);
  for (const auto& [key, value] : j.items()) {
    CHORUS_CHECK_AS(FormatError, value.is_string(), "{}: __metadata__ '{}' is not a string", source,
                    key);
    metadata[key] = value.get<std::string>();
  }
  return metadata;
}

}  // namespace

std::string_view dtype_name(SafetensorsDtype dtype) { return info(dtype).name; }
std::size_t dtype_size(SafetensorsDtype dtype) { return info(dtype).size; }

SafetensorsHeader parse_safetensors_header(std::string_view head, std::uint64_t file_size,
                                           std::string_view source) {
  CHORUS_CHECK_AS(FormatError, file_size >= 8,
                  "{}: {} bytes, too short for a safetensors file (8-byte header length)", source,
                  file_size);
  CHORUS_DCHECK(head.size() >= 8);
  const std::uint64_t header_bytes = read_le64(head.substr(0, 8));
  CHORUS_CHECK_AS(FormatError, header_bytes <= file_size - 8,
                  "{}: header length {} runs past the end of the file ({} bytes)", source,
                  header_bytes, file_size);
  CHORUS_CHECK_AS(FormatError, header_bytes <= kMaxHeaderBytes,
                  "{}: header length {} is over the 100 MB limit", source, header_bytes);
  CHORUS_DCHECK(head.size() >= 8 + header_bytes);

  const std::string_view text = head.substr(8, header_bytes);
  json root;
  try {
    root = json::parse(text);
  } catch (const json::parse_error& e) {
    throw FormatError(
        fmt::format("{}: header is not valid JSON (error at byte {})", source, e.byte));
  } catch (const json::exception& e) {  // a number too large for any type (found by fuzzing)
    throw FormatError(fmt::format("{}: header is not valid JSON ({})", source, e.what()));
  }
  CHORUS_CHECK_AS(FormatError, root.is_object(), "{}: header is not a JSON object", source);

  SafetensorsHeader header;
  header.data_start = 8 + header_bytes;
  const std::uint64_t data_bytes = file_size - header.data_start;
  for (const auto& [name, value] : root.items()) {
    if (name == "__metadata__") {
      header.metadata = parse_metadata(value, source);
      continue;
    }
    SafetensorsEntry entry = parse_entry(name, value, source);
    CHORUS_CHECK_AS(FormatError, entry.end <= data_bytes,
                    "{}: tensor '{}': data_offsets [{}, {}] run past the data section ({} bytes)",
                    source, name, entry.begin, entry.end, data_bytes);
    header.entries.push_back(std::move(entry));
  }
  std::sort(header.entries.begin(), header.entries.end(),
            [](const SafetensorsEntry& a, const SafetensorsEntry& b) {
              return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
            });
  // As the reference reader: the tensors tile the data section exactly, so trailing bytes or
  // gaps (a file spliced or padded by something else) are refused, not ignored.
  std::uint64_t covered = 0;
  const SafetensorsEntry* reaching = nullptr;  // the entry that ends at `covered`
  for (const SafetensorsEntry& current : header.entries) {
    CHORUS_CHECK_AS(FormatError, current.begin >= covered || current.begin == current.end,
                    "{}: tensors '{}' [{}, {}] and '{}' [{}, {}] overlap", source, reaching->name,
                    reaching->begin, reaching->end, current.name, current.begin, current.end);
    CHORUS_CHECK_AS(FormatError, current.begin <= covered,
                    "{}: bytes [{}, {}] of the data section belong to no tensor", source, covered,
                    current.begin);
    if (current.end > covered) {
      covered = current.end;
      reaching = &current;
    }
  }
  CHORUS_CHECK_AS(FormatError, covered == data_bytes,
                  "{}: bytes [{}, {}] of the data section belong to no tensor", source, covered,
                  data_bytes);
  return header;
}

SafetensorsHeader read_safetensors_header(const std::filesystem::path& path) {
  return open_safetensors(path).header;
}

OpenSafetensors open_safetensors(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  CHORUS_CHECK_AS(IoError, in.good(), "cannot open {}", path.string());
  std::error_code error;
  const std::uint64_t file_size = std::filesystem::file_size(path, error);
  CHORUS_CHECK_AS(IoError, !error, "cannot read {}: {}", path.string(), error.message());
  // The length first, then the header it gives when it can be one (else parsing says why).
  std::string head(std::min<std::uint64_t>(file_size, 8), '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  if (head.size() == 8 && !in.fail()) {
    const std::uint64_t header_bytes = read_le64(head);
    if (header_bytes <= kMaxHeaderBytes && header_bytes <= file_size - 8) {
      head.resize(8 + header_bytes);
      in.read(head.data() + 8, static_cast<std::streamsize>(header_bytes));
    }
  }
  CHORUS_CHECK_AS(IoError, !in.fail(), "cannot read {}", path.string());
  SafetensorsHeader header = parse_safetensors_header(head, file_size, path.string());
  return {std::move(in), std::move(header)};
}

}  // namespace chorus::checkpoint
