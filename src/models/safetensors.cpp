#include "models/safetensors.hpp"

#include <fstream>
#include <nlohmann/json.hpp>

#include "checkpoint/safetensors_header.hpp"
#include "core/atomic_file.hpp"
#include "core/error.hpp"

namespace chorus::models {
namespace {

using checkpoint::OpenSafetensors;
using checkpoint::SafetensorsDtype;
using checkpoint::SafetensorsEntry;

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

// A tensor as read (`stored`, in the file's dtype) as chorus holds it: floats widened to float32.
torch::Tensor widened(torch::Tensor stored, SafetensorsDtype dtype) {
  if (dtype == SafetensorsDtype::I64 || dtype == SafetensorsDtype::F32) return stored;
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
  OpenSafetensors file = checkpoint::open_safetensors(path);
  SafetensorsFile out;
  out.metadata = std::move(file.header.metadata);
  // The tensors tile the data section in offset order (the header check says so), so each is
  // read in turn straight into its own memory: no copy of the file, no second copy of a tensor.
  std::size_t position = 0;
  for (const SafetensorsEntry& entry : file.header.entries) {
    torch::Tensor stored =
        torch::empty(entry.shape, torch::TensorOptions(stored_dtype(entry.dtype)));
    // An empty tensor has no storage (a null data_ptr), and reads nothing.
    if (entry.end > entry.begin) {
      CHORUS_DCHECK(entry.begin == position);
      const auto bytes = static_cast<std::streamsize>(entry.end - entry.begin);
      file.stream.read(static_cast<char*>(stored.data_ptr()), bytes);
      CHORUS_CHECK_AS(IoError, file.stream.gcount() == bytes,
                      "cannot read {}: the file ended inside tensor '{}'", path.string(),
                      entry.name);
      position = entry.end;
    }
    out.tensors.emplace(entry.name, widened(std::move(stored), entry.dtype));
  }
  return out;
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
