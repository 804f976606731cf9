#pragma once
// The number format a compiled network computes in (infer.precision, `--precision`).
//
// fp32 is what the network was trained in. bf16 keeps fp32's exponent with an 8-bit mantissa:
// weights and activations are stored in bf16 while every convolution accumulates in fp32 (oneDNN
// does this on the AVX512-BF16 dot-product instructions or on AMX tiles), so a window's
// activations take half the bytes and, where the CPU has the instructions, a convolution runs
// faster (1.3–1.7× measured with AVX512-BF16, 3–4× reported with AMX). Where it has AVX-512 but
// not those instructions oneDNN emulates bf16, slower than
// fp32; below AVX-512 it has no bf16 kernels at all. `automatic` therefore takes bf16 only
// where it is native.
//
// int8 runs the convolutions that `chorus calibrate` measured on 8-bit integers, accumulated in
// int32 (graph/int8_plan.hpp): oneDNN has int8 kernels from AVX2 up, and the VNNI dot-product
// instructions (AVX512-VNNI, AVX-VNNI, AMX) make them faster. It needs calibrated checkpoints:
// `automatic` takes it where every model is calibrated (calibrating opts a model in), except for
// networks with depthwise convolutions unless the CPU has VNNI and not bf16 natively: oneDNN
// 2.6's int8 depthwise kernels are no faster than float ones and its SiLUs before u8 outputs stay
// fused (graph/silu.hpp), so such a network ran faster in bf16 (EfficientNet-B0 with
// AVX512-BF16: 3.25 s against 3.41 s) and ten times closer to fp32, and without VNNI no faster
// than in fp32 (AVX2: 0.99–1.06×). Networks of dense and grouped convolutions gain with VNNI or
// without: RegNetY-800MF ran 1.3–1.4× faster in int8 than in bf16, and 1.7× faster than in fp32
// on an AVX2 CPU without VNNI (its weights then on ±63 levels, which cost ResNet-18 and
// EfficientNet-B0 at most 0.0011 macro ROC-AUC). What each costs in accuracy and gains in speed:
// BENCHMARKS.md, "Precision".

#include <array>
#include <string>
#include <string_view>

#include "core/enum_names.hpp"

namespace chorus::graph {

enum class Precision { automatic, fp32, bf16, int8 };

// What a requested precision comes to on this CPU, as oneDNN sees it (ONEDNN_MAX_CPU_ISA caps it).
struct PrecisionChoice {
  Precision precision = Precision::fp32;  // never `automatic`
  std::string isa;                        // oneDNN's effective ISA, e.g. "avx512_core_bf16"
  bool native = true;                     // the CPU has instructions for `precision`

  // "bf16 (oneDNN ISA avx512_core_bf16)", or with ", emulated: slower than fp32" (bf16) or
  // ", without VNNI" (int8).
  std::string describe() const;
};

// The name of oneDNN's effective ISA ("avx2", "avx512_core", "avx512_core_amx", …).
std::string effective_isa();
// Whether the CPU (as capped) runs bf16 dot products natively: AVX512-BF16 or AMX.
bool has_native_bf16();
// Whether it has int8 dot-product instructions: AVX512-VNNI, AVX-VNNI or AMX.
bool has_vnni();
// The levels chorus's own kernels (graph/silu.hpp) need oneDNN to run at, so that a run held
// below one (ONEDNN_MAX_CPU_ISA) keeps oneDNN's kernels, as oneDNN itself does.
enum class IsaLevel { avx2, avx512_core };
// Whether oneDNN's effective ISA includes `level` (the CPU's own flags are the caller's to check).
bool effective_isa_includes(IsaLevel level);

// What `automatic` weighs besides the CPU: the models a run scores.
struct ModelsToRun {
  bool calibrated = false;  // every one has an int8 calibration
  bool depthwise = false;   // some one has depthwise convolutions
};

// `automatic` → int8 where every model is calibrated, unless a model has depthwise convolutions
// and the CPU lacks VNNI or has bf16 natively; else bf16 where native, else fp32;
// fp32 → fp32; bf16 → bf16 where oneDNN has kernels for it (AVX-512 and up, emulated without
// AVX512-BF16), a ConfigError naming `key` and the ISA below that; int8 → int8 (the checkpoint
// must be calibrated: CompiledModel checks).
PrecisionChoice resolve_precision(Precision requested, std::string_view key = "infer.precision",
                                  const ModelsToRun& models = {});

}  // namespace chorus::graph

template <>
struct chorus::core::EnumNames<chorus::graph::Precision> {
  static constexpr std::array<std::string_view, 4> names{"auto", "fp32", "bf16", "int8"};
};
