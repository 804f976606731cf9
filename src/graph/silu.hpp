#pragma once
// SiLU (x · sigmoid(x), "swish") in place over a graph's activations, on AVX-512 (float32 and
// bf16) and on AVX2 with FMA (float32).
//
// Why not oneDNN's: fused into a convolution as a post-op (eltwise_swish), oneDNN 2.6 computes
// it with a full exp and a division per element, and on these CPUs that costs more than the
// convolution itself (EfficientNet-B0's 16 → 96 expansion on 64 × 321: 0.33 ms without it,
// 1.50 ms with it; its SiLUs together about a quarter of a prediction run; BENCHMARKS.md, "SiLU").
// Here exp is a polynomial scaled by 2^n and 1 / (1 + e) a reciprocal estimate (refined by one
// Newton step for float32; a division on AVX2, whose estimate is coarser): under 20 vector
// operations per vector, run as a pass over the convolution's output (in place), which costs less
// than the fused post-op (1.12× on the whole EfficientNet-B0 prediction run on AVX-512). float32
// results lie within a few units in the last place of x / (1 + exp(−x)); bf16 results are that
// value rounded to bf16, the arithmetic being only as exact as bf16 needs (a last-bit difference
// where the value lies within 7e-5 of a rounding midpoint).

#include <cstddef>
#include <cstdint>

namespace chorus::graph {

// Whether all these kernels can run (float32, bf16 and the gradients): the CPU has AVX-512 (F, BW
// and VL) and oneDNN's effective ISA (ONEDNN_MAX_CPU_ISA caps it) includes avx512_core.
bool has_silu_kernel();

// Whether the float32 forward kernels (silu, silu_in_place) can run: has_silu_kernel(), or the
// CPU has AVX2 and FMA and oneDNN's effective ISA includes avx2 (a run held below that keeps
// oneDNN's SiLU).
bool has_float32_silu_kernel();

// y[i] = x[i] · sigmoid(x[i]) for `count` floats (x and y may be one array), on the calling
// thread. For LibTorch's inference (models::FastSiLU); has_float32_silu_kernel() must hold.
void silu(const float* x, float* y, std::size_t count);

// x ← x · sigmoid(x) over a graph's `count` float32 values, or bf16 values (rounded to nearest
// even, as oneDNN converts). A NaN stays NaN. Split over the calling thread's OpenMP thread count;
// has_float32_silu_kernel() must hold for float32, has_silu_kernel() for bf16.
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
