#pragma once
// SiLU (x · sigmoid(x), "swish") in place over a graph's activations, on AVX-512.
//
// Why not oneDNN's: fused into a convolution as a post-op (eltwise_swish), oneDNN 2.6 computes
// it with a full exp and a division per element, and on these CPUs that costs more than the
// convolution itself (EfficientNet-B0's 16 → 96 expansion on 64 × 321: 0.33 ms without it,
// 1.50 ms with it; its SiLUs together about a quarter of a prediction run; BENCHMARKS.md, "SiLU").
// Here exp is a polynomial scaled by vscalefps and 1 / (1 + e) a reciprocal estimate (refined by
// one Newton step for float32): under 20 vector operations for 16 elements, run as a pass over
// the convolution's output (in place), which costs less than the fused post-op (1.12× on the
// whole EfficientNet-B0 prediction run). float32 results lie within a few units in the last place
// of x / (1 + exp(−x)); bf16 results are that value rounded to bf16, the arithmetic being only as
// exact as bf16 needs (a last-bit difference where the value lies within 7e-5 of a rounding
// midpoint).

#include <cstddef>
#include <cstdint>

namespace chorus::graph {

// Whether these kernels can run: the CPU has AVX-512 (F, BW and VL) and oneDNN's effective ISA
// (ONEDNN_MAX_CPU_ISA caps it) includes avx512_core, so a run held to AVX2 keeps oneDNN's SiLU.
bool has_silu_kernel();

// y[i] = x[i] · sigmoid(x[i]) for `count` floats (x and y may be one array), on the calling
// thread: this kernel where has_silu_kernel(), else a loop through glibc's vector expf (within
// 1e-6 relative too; about a third of the speed). For LibTorch's inference (models::FastSiLU).
void silu(const float* x, float* y, std::size_t count);

// x ← x · sigmoid(x) over a graph's `count` float32 values, or bf16 values (rounded to nearest
// even, as oneDNN converts). A NaN stays NaN. Split over the calling thread's OpenMP thread count;
// has_silu_kernel() must hold.
void silu_in_place(float* data, std::size_t count);
void silu_in_place_bf16(std::uint16_t* data, std::size_t count);

// For training (models::FastSiLU under autograd, where LibTorch 1.13's own SiLU converts bf16
// one element at a time): y = x · sigmoid(x) of bf16 values, and SiLU's gradient times the
// incoming one, dx = dy · σ(x) · (1 + x · (1 − σ(x))), in float32 or bf16 (computed in float32,
// rounded to nearest even). On the calling thread; has_silu_kernel() must hold.
void silu_bf16(const std::uint16_t* x, std::uint16_t* y, std::size_t count);
void silu_gradient(const float* x, const float* dy, float* dx, std::size_t count);
void silu_gradient_bf16(const std::uint16_t* x, const std::uint16_t* dy, std::uint16_t* dx,
                        std::size_t count);

}  // namespace chorus::graph
