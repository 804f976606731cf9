#pragma once
// The header of a safetensors file (https://github.com/huggingface/safetensors, "Format"):
// 8 bytes little-endian header length N, N bytes of JSON
//   {name: {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, "__metadata__": {..}},
// then the data section, which the offsets index. Parsing is separate from tensor creation so
// every bound is checked before a byte of data is touched: a hostile file fails here, cleanly.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace chorus::checkpoint {

// Element types chorus reads. Floating types become float32 tensors, I64 stays int64
// (BatchNorm's num_batches_tracked in torchvision state dicts).
enum class SafetensorsDtype { F32, F16, BF16, F64, I64 };

std::string_view dtype_name(SafetensorsDtype dtype);
std::size_t dtype_size(SafetensorsDtype dtype);  // bytes per element

struct SafetensorsEntry {
  std::string name;
  SafetensorsDtype dtype = SafetensorsDtype::F32;
  std::vector<std::int64_t> shape;
  std::size_t begin = 0;  // byte offsets into the data section
  std::size_t end = 0;
};

struct SafetensorsHeader {
  std::vector<SafetensorsEntry> entries;        // in order of data offset
  std::map<std::string, std::string> metadata;  // "__metadata__" (string → string)
  std::size_t data_start = 0;                   // file offset of the data section
};

// Parses and checks the header of a file of `file_size` bytes, of which `head` holds the first
// 8 + header length: the length fits the file, the JSON is an object of well-formed entries,
// known dtypes, offsets inside the data section, each entry's byte count equal to dtype size ×
// elements, no two entries overlapping. Failures are FormatErrors that start with `source` (the
// file name).
SafetensorsHeader parse_safetensors_header(std::string_view head, std::uint64_t file_size,
                                           std::string_view source);

// Reads and checks only the header of the file at `path` (its metadata, where its tensors lie),
// as parse_safetensors_header; the data section is not read.
SafetensorsHeader read_safetensors_header(const std::filesystem::path& path);

// The file at `path` opened and its header read and checked as read_safetensors_header does,
// the stream left at the start of the data section, for a reader that reads the tensors in
// order straight into their own memory.
struct OpenSafetensors {
  std::ifstream stream;
  SafetensorsHeader header;
};
OpenSafetensors open_safetensors(const std::filesystem::path& path);

}  // namespace chorus::checkpoint
