#include "graph/silu.hpp"

#include <immintrin.h>
#include <omp.h>

#include <algorithm>
#include <iterator>
#include <oneapi/dnnl/dnnl.hpp>

#include "graph/precision.hpp"

// GCC 12 warns that its own intrinsics' undefined pass-through operands may be used
// uninitialised (its bug 105593); they are not read.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

namespace chorus::graph {
namespace detail {
void silu_portable(const float* x, float* y, std::size_t count);  // silu_portable.cpp
}  // namespace detail
namespace {

constexpr std::size_t kLanes = 16;

#define CHORUS_AVX512 __attribute__((target("avx512f,avx512bw,avx512vl")))
#define CHORUS_AVX512_BF16 __attribute__((target("avx512f,avx512bw,avx512vl,avx512bf16")))

// How exact a result must be: float32 to a few units in its last place; bf16 keeps 8 bits, so
// the kernel for it drops what only float32 needs (17 % faster on Zen 4, where the pass is
// bound by its floating-point operations, not by memory).
enum class Accuracy { float32, bf16 };

// exp(r) − 1 − r ≈ r²·(c2 + r·(c3 + …)) on |r| ≤ ln2/2, coefficients fitted to the relative
// error (least squares at Chebyshev nodes): at most 1.2e-7 with degree 5 (float32's resolution),
// 6.2e-6 with degree 4 (far below bf16's 2^-9, which is all a bf16 output keeps).
template <Accuracy>
struct ExpPolynomial;
template <>
struct ExpPolynomial<Accuracy::float32> {
  static constexpr float c[] = {0.49999141693115234f, 0.1666688621044159f, 0.04189861938357353f,
                                0.008333846926689148f};
};
template <>
struct ExpPolynomial<Accuracy::bf16> {
  static constexpr float c[] = {0.5000893473625183f, 0.16753996908664703f, 0.040917374193668365f};
};

// x / (1 + exp(−x)) for 16 floats.
template <Accuracy kAccuracy>
CHORUS_AVX512 inline __m512 silu16(__m512 x) {
  constexpr bool exact = kAccuracy == Accuracy::float32;
  // exp(−x) = 2^n · exp(−m), n = round(−x·log2 e), m = x + n·ln2, |m| ≤ ln2/2. x is held at −88
  // and above: below, exp(−x) would not fit a float (1 + e infinite, the Newton step inf · 0)
  // and SiLU is below 1e-36 in magnitude, as −88 / (1 + e^88) is. The exponential's argument is
  // also held at 88 and below: above, exp(−x) < 1e-38 and SiLU is x to float precision (and
  // n·ln2 would overflow near the largest floats). maxps returns its second operand where
  // either is NaN: a NaN stays NaN in `lower` (and so in the result), while `held` is 88 there.
  const __m512 lower = _mm512_max_ps(_mm512_set1_ps(-88.0f), x);
  const __m512 held = _mm512_min_ps(lower, _mm512_set1_ps(88.0f));
  const __m512 n = _mm512_roundscale_ps(_mm512_mul_ps(held, _mm512_set1_ps(-1.44269504088896341f)),
                                        _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  __m512 m;
  if constexpr (exact) {
    // ln2 in two parts (Cody–Waite): n·ln2 exact to float32's resolution for |n| ≤ 127.
    m = _mm512_fmadd_ps(n, _mm512_set1_ps(0.693359375f), held);
    m = _mm512_fmadd_ps(n, _mm512_set1_ps(-2.12194440e-4f), m);
  } else {
    // ln2 rounded to a float (1.9e-9 off): at most 2.4e-7 off in m for |n| ≤ 127.
    m = _mm512_fmadd_ps(n, _mm512_set1_ps(0.693147182f), held);
  }
  // exp(−m) by Horner's scheme in −m: the odd coefficients change sign.
  constexpr const float* c = ExpPolynomial<kAccuracy>::c;
  constexpr int last = static_cast<int>(std::size(ExpPolynomial<kAccuracy>::c)) - 1;
  __m512 p = _mm512_set1_ps(last % 2 == 0 ? c[last] : -c[last]);
  for (int k = last - 1; k >= 0; --k)
    p = _mm512_fmadd_ps(p, m, _mm512_set1_ps(k % 2 == 0 ? c[k] : -c[k]));
  p = _mm512_fmadd_ps(p, m, _mm512_set1_ps(-1.0f));
  p = _mm512_fmadd_ps(p, m, _mm512_set1_ps(1.0f));
  const __m512 denominator = _mm512_add_ps(_mm512_scalef_ps(p, n), _mm512_set1_ps(1.0f));
  // 1 / d: a 14-bit estimate (relative error below 2^-14), refined by one Newton step for
  // float32; cheaper than a division. For bf16 the estimate is kept: with the polynomial and m,
  // the result lies within 6.9e-5 of x / (1 + exp(−x)), so it is rounded to the nearest bf16
  // except where that value lies that close to a midpoint.
  __m512 inverse = _mm512_rcp14_ps(denominator);
  if constexpr (exact)
    inverse = _mm512_mul_ps(inverse, _mm512_fnmadd_ps(denominator, inverse, _mm512_set1_ps(2.0f)));
  return _mm512_mul_ps(lower, inverse);
}

CHORUS_AVX512 void silu_range(const float* x, float* y, std::size_t count) {
  std::size_t i = 0;
  for (; i + kLanes <= count; i += kLanes)
    _mm512_storeu_ps(y + i, silu16<Accuracy::float32>(_mm512_loadu_ps(x + i)));
  if (i < count) {
    const auto tail = static_cast<__mmask16>((1u << (count - i)) - 1);
    _mm512_mask_storeu_ps(y + i, tail,
                          silu16<Accuracy::float32>(_mm512_maskz_loadu_ps(tail, x + i)));
  }
}

CHORUS_AVX512 void silu_range_in_place(float* data, std::size_t count) {
  silu_range(data, data, count);
}

// bf16 → float32 is the upper half of the float's bits.
CHORUS_AVX512 inline __m512 widen(__m256i halves) {
  return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(halves), 16));
}

// float32 → bf16 rounded to nearest even, as oneDNN converts: the AVX512-BF16 instruction, or
// the same rounding in integer operations where oneDNN emulates bf16 (AVX-512 without it).
CHORUS_AVX512_BF16 inline __m256i narrow_native(__m512 x) {
  return reinterpret_cast<__m256i>(_mm512_cvtneps_pbh(x));
}

CHORUS_AVX512 inline __m256i narrow_emulated(__m512 x) {
  const __m512i bits = _mm512_castps_si512(x);
  const __m512i odd = _mm512_and_si512(_mm512_srli_epi32(bits, 16), _mm512_set1_epi32(1));
  __m512i rounded = _mm512_add_epi32(bits, _mm512_add_epi32(odd, _mm512_set1_epi32(0x7fff)));
  // A NaN is a quiet NaN, as the instruction makes it (rounding could carry its mantissa into
  // the sign: −0).
  rounded = _mm512_mask_mov_epi32(rounded, _mm512_cmp_ps_mask(x, x, _CMP_UNORD_Q),
                                  _mm512_set1_epi32(0x7fc00000));
  return _mm512_cvtepi32_epi16(_mm512_srli_epi32(rounded, 16));
}

// Compiled for AVX512-BF16, but only narrow_native uses its instructions: with narrow_emulated it
// runs on any AVX-512 CPU.
template <__m256i (*kNarrow)(__m512)>
CHORUS_AVX512_BF16 void silu_range_bf16(std::uint16_t* data, std::size_t count) {
  std::size_t i = 0;
  for (; i + kLanes <= count; i += kLanes) {
    auto* at = reinterpret_cast<__m256i*>(data + i);
    _mm256_storeu_si256(at, kNarrow(silu16<Accuracy::bf16>(widen(_mm256_loadu_si256(at)))));
  }
  if (i < count) {
    const auto tail = static_cast<__mmask16>((1u << (count - i)) - 1);
    const __m256i x = _mm256_maskz_loadu_epi16(tail, data + i);
    _mm256_mask_storeu_epi16(data + i, tail, kNarrow(silu16<Accuracy::bf16>(widen(x))));
  }
}

// [0, count) in one run per OpenMP thread of the caller (whole vectors but the last), as
// oneDNN's kernels split their work.
template <typename T>
void split(T* data, std::size_t count, void (*kernel)(T*, std::size_t)) {
  constexpr std::size_t kSmallest = 4096;  // below, a thread's start costs more than it saves
  const int threads = omp_get_max_threads();
  if (threads <= 1 || count < kSmallest) {
    kernel(data, count);
    return;
  }
  const std::size_t vectors = (count + kLanes - 1) / kLanes;
  const std::size_t per_thread = (vectors + static_cast<std::size_t>(threads) - 1) /
                                 static_cast<std::size_t>(threads) * kLanes;
#pragma omp parallel for num_threads(threads) schedule(static)
  for (int t = 0; t < threads; ++t) {
    const std::size_t begin = std::min(count, static_cast<std::size_t>(t) * per_thread);
    kernel(data + begin, std::min(count, begin + per_thread) - begin);
  }
}

}  // namespace

bool has_silu_kernel() {
  static const bool available = [] {
    const auto isa = static_cast<unsigned>(dnnl::get_effective_cpu_isa());
    const auto avx512 = static_cast<unsigned>(dnnl::cpu_isa::avx512_core);
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512vl") && (isa & avx512) == avx512;
  }();
  return available;
}

void silu(const float* x, float* y, std::size_t count) {
  if (has_silu_kernel())
    silu_range(x, y, count);
  else
    detail::silu_portable(x, y, count);
}

void silu_in_place(float* data, std::size_t count) { split(data, count, silu_range_in_place); }

void silu_in_place_bf16(std::uint16_t* data, std::size_t count) {
  static const bool native = has_native_bf16();
  split(data, count, native ? silu_range_bf16<narrow_native> : silu_range_bf16<narrow_emulated>);
}

}  // namespace chorus::graph
