#include "checkpoint/float_tensors.hpp"

#include <bit>
#include <cstdint>
#include <cstring>

#include "checkpoint/safetensors_header.hpp"
#include "core/error.hpp"

namespace chorus::checkpoint {
namespace {

// IEEE 754 half precision to single: every half is exactly a float.
float from_half(std::uint16_t h) {
  const std::uint32_t sign = static_cast<std::uint32_t>(h & 0x8000u) << 16;
  const std::uint32_t exponent = (h >> 10) & 0x1fu, mantissa = h & 0x3ffu;
  if (exponent == 0x1f) return std::bit_cast<float>(sign | 0x7f800000u | (mantissa << 13));
  if (exponent != 0)
    return std::bit_cast<float>(sign | ((exponent + 112) << 23) | (mantissa << 13));
  // Zero or subnormal: mantissa · 2^-24.
  const float magnitude = static_cast<float>(mantissa) * 0x1p-24f;
  return sign != 0 ? -magnitude : magnitude;
}

}  // namespace

bool all_finite(std::span<const float> values) {
  constexpr std::uint32_t kExponent = 0x7f800000;
  for (const float v : values)
    if ((std::bit_cast<std::uint32_t>(v) & kExponent) == kExponent) return false;
  return true;
}

std::shared_ptr<FloatTensors> FloatTensors::read(const std::filesystem::path& path) {
  return read(open_safetensors(path), path);
}

std::shared_ptr<FloatTensors> FloatTensors::read(OpenSafetensors file,
                                                 const std::filesystem::path& path) {
  auto out = std::shared_ptr<FloatTensors>(new FloatTensors());
  out->source_ = path.string();
  std::size_t total = 0;
  for (const SafetensorsEntry& e : file.header.entries)
    if (e.dtype != SafetensorsDtype::I64) total += (e.end - e.begin) / dtype_size(e.dtype);
  out->values_.resize(total);
  // The tensors tile the data section in offset order (the header check says so): each is read
  // in turn, a float32 one straight into its place.
  std::size_t next = 0, position = 0;
  std::vector<char> stored;
  for (const SafetensorsEntry& e : file.header.entries) {
    const std::size_t bytes = e.end - e.begin;
    if (bytes > 0) CHORUS_DCHECK(e.begin == position);
    position = e.end;
    if (e.dtype == SafetensorsDtype::I64) {
      file.stream.seekg(static_cast<std::streamoff>(bytes), std::ios::cur);
      continue;
    }
    const std::size_t count = bytes / dtype_size(e.dtype);
    float* dst = out->values_.data() + next;
    char* into = reinterpret_cast<char*>(dst);
    if (e.dtype != SafetensorsDtype::F32) {
      stored.resize(bytes);
      into = stored.data();
    }
    file.stream.read(into, static_cast<std::streamsize>(bytes));
    CHORUS_CHECK_AS(IoError, file.stream.gcount() == static_cast<std::streamsize>(bytes),
                    "cannot read {}: the file ended inside tensor '{}'", path.string(), e.name);
    for (std::size_t i = 0; i < count && e.dtype != SafetensorsDtype::F32; ++i) {
      const char* at = stored.data() + i * dtype_size(e.dtype);
      if (e.dtype == SafetensorsDtype::F64) {
        double d;
        std::memcpy(&d, at, sizeof d);
        dst[i] = static_cast<float>(d);
      } else {
        std::uint16_t h;
        std::memcpy(&h, at, sizeof h);
        dst[i] = e.dtype == SafetensorsDtype::BF16 ? std::bit_cast<float>(std::uint32_t{h} << 16)
                                                   : from_half(h);
      }
    }
    CHORUS_CHECK_AS(FormatError, all_finite({dst, count}),
                    "{}: weight '{}' holds NaN or infinite values (a diverged or damaged model)",
                    path.string(), e.name);
    out->tensors_.emplace(e.name, std::pair{next, count});
    next += count;
  }
  return out;
}

std::span<const float> FloatTensors::get(const std::string& name) const {
  const auto it = tensors_.find(name);
  CHORUS_CHECK_AS(ModelError, it != tensors_.end(), "{} has no float32 weight '{}'", source_, name);
  return {values_.data() + it->second.first, it->second.second};
}

}  // namespace chorus::checkpoint
