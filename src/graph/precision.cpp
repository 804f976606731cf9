#include "graph/precision.hpp"

#include <fmt/format.h>

#include <oneapi/dnnl/dnnl.hpp>

#include "core/error.hpp"

namespace chorus::graph {
namespace {

using dnnl::cpu_isa;

// oneDNN's ISA values are bit sets: each level holds the bits of those it extends.
bool includes(cpu_isa isa, cpu_isa level) {
  const auto bits = static_cast<unsigned>(isa), wanted = static_cast<unsigned>(level);
  return (bits & wanted) == wanted;
}

}  // namespace

std::string effective_isa() {
  switch (dnnl::get_effective_cpu_isa()) {
    case cpu_isa::all:
      return "all";
    case cpu_isa::sse41:
      return "sse41";
    case cpu_isa::avx:
      return "avx";
    case cpu_isa::avx2:
      return "avx2";
    case cpu_isa::avx2_vnni:
      return "avx2_vnni";
    case cpu_isa::avx512_mic:
      return "avx512_mic";
    case cpu_isa::avx512_mic_4ops:
      return "avx512_mic_4ops";
    case cpu_isa::avx512_core:
      return "avx512_core";
    case cpu_isa::avx512_core_vnni:
      return "avx512_core_vnni";
    case cpu_isa::avx512_core_bf16:
      return "avx512_core_bf16";
    case cpu_isa::avx512_core_amx:
      return "avx512_core_amx";
  }
  return fmt::format("isa {:#x}", static_cast<unsigned>(dnnl::get_effective_cpu_isa()));
}

bool has_native_bf16() {
  return includes(dnnl::get_effective_cpu_isa(), cpu_isa::avx512_core_bf16);
}

bool has_vnni() {
  const cpu_isa isa = dnnl::get_effective_cpu_isa();
  return includes(isa, cpu_isa::avx512_core_vnni) || includes(isa, cpu_isa::avx2_vnni);
}

bool effective_isa_includes(IsaLevel level) {
  return includes(dnnl::get_effective_cpu_isa(),
                  level == IsaLevel::avx2 ? cpu_isa::avx2 : cpu_isa::avx512_core);
}

std::string PrecisionChoice::describe() const {
  const char* shortfall =
      precision == Precision::int8 ? ", without VNNI" : ", emulated: slower than fp32";
  return fmt::format("{} (oneDNN ISA {}{})", core::enum_name(precision), isa,
                     native ? "" : shortfall);
}

PrecisionChoice resolve_precision(Precision requested, std::string_view key,
                                  const ModelsToRun& models) {
  PrecisionChoice choice{.precision = Precision::fp32, .isa = effective_isa(), .native = true};
  const bool native_bf16 = has_native_bf16();
  switch (requested) {
    case Precision::automatic: {
      // Dense networks gain most from int8, with VNNI or without; depthwise ones only where VNNI
      // makes it pay and bf16 is not native (precision.hpp).
      const bool int8_pays = !models.depthwise || (has_vnni() && !native_bf16);
      if (models.calibrated && int8_pays)
        choice.precision = Precision::int8;
      else if (native_bf16)
        choice.precision = Precision::bf16;
      break;
    }
    case Precision::fp32:
      break;
    case Precision::bf16:
      CHORUS_CHECK_AS(ConfigError, includes(dnnl::get_effective_cpu_isa(), cpu_isa::avx512_core),
                      "{} = bf16 needs a CPU with AVX-512 (oneDNN's ISA here is {}); use fp32, "
                      "or auto to take bf16 only where the CPU has it",
                      key, choice.isa);
      choice.precision = Precision::bf16;
      choice.native = native_bf16;
      break;
    case Precision::int8:
      choice.precision = Precision::int8;
      choice.native = has_vnni();
      break;
  }
  return choice;
}

}  // namespace chorus::graph
