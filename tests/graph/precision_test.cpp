// What `auto` resolves to, for each kind of run, on this CPU as oneDNN sees it: ctest runs these
// under the full ISA, under ONEDNN_MAX_CPU_ISA=AVX512_CORE_VNNI (int8 dot products, no native
// bf16) and, with the whole suite, under AVX2 (neither).

#include "graph/precision.hpp"

#include <gtest/gtest.h>

namespace chorus {
namespace {

using graph::Precision;

TEST(Precision, AutomaticWeighsTheCpuCalibrationAndDepthwiseConvolutions) {
  const bool vnni = graph::has_vnni(), native = graph::has_native_bf16();
  const auto automatic = [](bool calibrated, bool depthwise) {
    return graph::resolve_precision(Precision::automatic, "infer.precision",
                                    {.calibrated = calibrated, .depthwise = depthwise})
        .precision;
  };
  const Precision without_int8 = native ? Precision::bf16 : Precision::fp32;
  EXPECT_EQ(automatic(false, false), without_int8);
  EXPECT_EQ(automatic(false, true), without_int8);
  // Dense networks gain from int8 with VNNI or without (RegNetY-800MF 1.7× fp32 on AVX2);
  // depthwise ones nothing over native bf16, nor over fp32 without VNNI (oneDNN 2.6's kernels).
  EXPECT_EQ(automatic(true, false), Precision::int8);
  EXPECT_EQ(automatic(true, true), vnni && !native ? Precision::int8 : without_int8);
  // The explicit choices stay what they say.
  EXPECT_EQ(graph::resolve_precision(Precision::int8, "infer.precision", {}).precision,
            Precision::int8);
  EXPECT_EQ(graph::resolve_precision(Precision::fp32, "infer.precision",
                                     {.calibrated = true, .depthwise = true})
                .precision,
            Precision::fp32);
}

}  // namespace
}  // namespace chorus
