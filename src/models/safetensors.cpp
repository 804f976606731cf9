#include "models/safetensors.hpp"

#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "models/safetensors_header.hpp"

namespace chorus::models {
namespace {

// One read of the known size (a stream iterator, one byte at a time, cost about 13 ms of every
// `chorus predict` on a 17 MB checkpoint).
std::string read_whole_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  CHORUS_CHECK_AS(IoError, in.good(), "cannot open {}", path.string());
  // The file system's size, not the stream's end: a directory opens as a stream too.
  std::error_code error;
  const std::uintmax_t size = std::filesystem::file_size(path, error);
  CHORUS_CHECK_AS(IoError, !error, "cannot read {}: {}", path.string(), error.message());
  std::string bytes(size, '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(size));
  CHORUS_CHECK_AS(IoError, static_cast<std::uintmax_t>(in.gcount()) == size,
                  "cannot read {}: {} of {} bytes read", path.string(), in.gcount(), size);
  return bytes;
}

torch::Dtype stored_dtype(SafetensorsDtype dtype) {
  switch (dtype) {
    case SafetensorsDtype::F32:
      return torch::kFloat32;
    case SafetensorsDtype::F16:
      return torch::kFloat16;
    case SafetensorsDtype::BF16:
      return torch::kBFloat16;
    case SafetensorsDtype::F64:
      return torch::kFloat64;
    case SafetensorsDtype::I64:
      return torch::kInt64;
  }
  CHORUS_DCHECK(false);
  return torch::kFloat32;
}

// Copies (the data section need not be aligned for the element type), then widens floats.
torch::Tensor make_tensor(const SafetensorsEntry& entry, const char* data) {
  torch::Tensor stored = torch::empty(entry.shape, torch::TensorOptions(stored_dtype(entry.dtype)));
  // An empty tensor has no storage (a null data_ptr), and memcpy from or to null is undefined
  // even for 0 bytes (UBSan, make test-asan).
  if (entry.end > entry.begin)
    std::memcpy(stored.data_ptr(), data + entry.begin, entry.end - entry.begin);
  if (entry.dtype == SafetensorsDtype::I64 || entry.dtype == SafetensorsDtype::F32) return stored;
  return stored.to(torch::kFloat32);
}

std::string_view writable_dtype(const std::string& name, const torch::Tensor& tensor) {
  if (tensor.scalar_type() == torch::kFloat32) return "F32";
  if (tensor.scalar_type() == torch::kInt64) return "I64";
  throw ModelError(fmt::format("cannot write tensor '{}': dtype {} (expected float32 or int64)",
                               name, std::string(c10::toString(tensor.scalar_type()))));
}

}  // namespace

SafetensorsFile read_safetensors(const std::filesystem::path& path) {
  const std::string bytes = read_whole_file(path);
  const SafetensorsHeader header = parse_safetensors_header(bytes, path.string());
  SafetensorsFile file;
  file.metadata = header.metadata;
  const char* data = bytes.data() + header.data_start;
  for (const SafetensorsEntry& entry : header.entries)
    file.tensors.emplace(entry.name, make_tensor(entry, data));
  return file;
}

void write_safetensors(const std::filesystem::path& path, const TensorMap& tensors,
                       const std::map<std::string, std::string>& metadata) {
  nlohmann::json header = nlohmann::json::object();
  if (!metadata.empty()) header["__metadata__"] = metadata;
  std::vector<torch::Tensor> contiguous;
  std::size_t offset = 0;
  for (const auto& [name, tensor] : tensors) {
    const std::string_view dtype = writable_dtype(name, tensor);
    contiguous.push_back(tensor.detach().to(torch::kCPU).contiguous());
    const std::size_t bytes = contiguous.back().nbytes();
    header[name] = {{"dtype", dtype},
                    {"shape", tensor.sizes().vec()},
                    {"data_offsets", {offset, offset + bytes}}};
    offset += bytes;
  }
  std::string text = header.dump();
  text.append((8 - text.size() % 8) % 8, ' ');

  std::string out;
  out.reserve(8 + text.size() + offset);
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((text.size() >> (8 * i)) & 0xff));
  out += text;
  for (const torch::Tensor& t : contiguous)
    out.append(static_cast<const char*>(t.data_ptr()), t.nbytes());
  core::write_file_atomically(path, out);
}

}  // namespace chorus::models
