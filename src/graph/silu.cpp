#include "graph/silu.hpp"

#include <immintrin.h>
#include <omp.h>

#include <algorithm>
#include <iterator>
#include <type_traits>

#include "core/error.hpp"
#include "graph/precision.hpp"

// GCC 12 warns that its own intrinsics' undefined pass-through operands may be used
// uninitialised (its bug 105593); they are not read.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"

namespace chorus::graph {
namespace {

constexpr std::size_t kLanes = 16;

#define CHORUS_AVX512 __attribute__((target("avx512f,avx512bw,avx512vl")))
#define CHORUS_AVX512_BF16 __attribute__((target("avx512f,avx512bw,avx512vl,avx512bf16")))
#define CHORUS_AVX2 __attribute__((target("avx2,fma")))

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
static_assert(std::size(ExpPolynomial<Accuracy::bf16>::c) == 3, "silu16<bf16> unrolls three");

// exp(−m) by Horner's scheme in −m: coefficient k of the polynomial above (of r^(k+2)) with the
// sign (−1)^k, and the index of the last.
template <Accuracy kAccuracy>
constexpr float coefficient_in_minus_m(int k) {
  const float c = ExpPolynomial<kAccuracy>::c[k];
  return k % 2 == 0 ? c : -c;
}
template <Accuracy kAccuracy>
constexpr int kLastCoefficient = static_cast<int>(std::size(ExpPolynomial<kAccuracy>::c)) - 1;

// exp(−x) = 2^n · exp(−m), n = round(−x·log2 e), m = x + n·ln2, |m| ≤ ln2/2.
constexpr float kMinusLog2e = -1.44269504088896341f;
// ln2 in two parts (Cody–Waite): n·kLn2Upper is exact for |n| ≤ 127, so n·ln2 is exact to
// float32's resolution; or ln2 rounded to one float (1.9e-9 off: at most 2.4e-7 off in m).
constexpr float kLn2Upper = 0.693359375f, kLn2Lower = -2.12194440e-4f, kLn2 = 0.693147182f;
// (y + 1.5 · 2^23) − 1.5 · 2^23 rounds y to a whole number (that float's resolution) for
// |y| < 2^22, and the sum's low mantissa bits hold it.
constexpr float kRoundingShifter = 0x1.8p23f;

// σ(x) = 1 / (1 + exp(−x)) for 16 floats, beside exp(−x) and x held at −88 and above (`lower`:
// SiLU and its gradient read x there).
struct Sigmoid16 {
  __m512 lower, exp_minus, sigmoid;
};

template <Accuracy kAccuracy>
CHORUS_AVX512 inline Sigmoid16 sigmoid16(__m512 x) {
  constexpr bool exact = kAccuracy == Accuracy::float32;
  // exp(−x) = 2^n · exp(−m), n = round(−x·log2 e), m = x + n·ln2, |m| ≤ ln2/2. x is held at −88
  // and above: below, exp(−x) would not fit a float (1 + e infinite, the Newton step inf · 0)
  // and SiLU is below 1e-36 in magnitude, as −88 / (1 + e^88) is. The exponential's argument is
  // also held at 88 and below: above, exp(−x) < 1e-38 and SiLU is x to float precision (and
  // n·ln2 would overflow near the largest floats). maxps returns its second operand where
  // either is NaN: a NaN stays NaN in `lower` (and so in the result), while `held` is 88 there.
  const __m512 lower = _mm512_max_ps(_mm512_set1_ps(-88.0f), x);
  const __m512 held = _mm512_min_ps(lower, _mm512_set1_ps(88.0f));
  const __m512 n = _mm512_roundscale_ps(_mm512_mul_ps(held, _mm512_set1_ps(kMinusLog2e)),
                                        _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  __m512 m;
  if constexpr (exact) {
    m = _mm512_fmadd_ps(n, _mm512_set1_ps(kLn2Upper), held);
    m = _mm512_fmadd_ps(n, _mm512_set1_ps(kLn2Lower), m);
  } else {
    m = _mm512_fmadd_ps(n, _mm512_set1_ps(kLn2), held);
  }
  __m512 p = _mm512_set1_ps(coefficient_in_minus_m<kAccuracy>(kLastCoefficient<kAccuracy>));
  for (int k = kLastCoefficient<kAccuracy> - 1; k >= 0; --k)
    p = _mm512_fmadd_ps(p, m, _mm512_set1_ps(coefficient_in_minus_m<kAccuracy>(k)));
  p = _mm512_fmadd_ps(p, m, _mm512_set1_ps(-1.0f));
  p = _mm512_fmadd_ps(p, m, _mm512_set1_ps(1.0f));
  const __m512 exp_minus = _mm512_scalef_ps(p, n);
  const __m512 denominator = _mm512_add_ps(exp_minus, _mm512_set1_ps(1.0f));
  // 1 / d: a 14-bit estimate (relative error below 2^-14), refined by one Newton step for
  // float32; cheaper than a division. For bf16 the estimate is kept: with the polynomial and m,
  // σ(x) (and SiLU) lies within 6.9e-5 of its exact value, so it is rounded to the nearest bf16
  // except where that value lies that close to a midpoint.
  __m512 inverse = _mm512_rcp14_ps(denominator);
  if constexpr (exact)
    inverse = _mm512_mul_ps(inverse, _mm512_fnmadd_ps(denominator, inverse, _mm512_set1_ps(2.0f)));
  return {lower, exp_minus, inverse};
}

// x · σ(x).
template <Accuracy kAccuracy>
CHORUS_AVX512 inline __m512 silu16(__m512 x) {
  const Sigmoid16 s = sigmoid16<kAccuracy>(x);
  return _mm512_mul_ps(s.lower, s.sigmoid);
}

// x · σ(x) for a bf16 output, in three instructions fewer than sigmoid16 (the pass is bound by
// its instructions: 17 against 20 per 16 values). x is held at 88 above only, where exp(−x)
// would underflow and n·ln2 overflow; minps gives 88 for a NaN, and x · σ stays NaN. Below
// −88.7, 2^n overflows: exp(−x) is +∞, σ is 0 and the result −0, where SiLU lies below 1e-36 in
// magnitude (−∞ gives NaN, as torch.nn.functional.silu does). n is rounded by adding and
// subtracting 1.5 · 2^23 (whole numbers are that float's resolution) instead of vrndscaleps,
// two operations on Intel's vector ports; beyond ±2^22 it is off by one, where 2^n overflows
// anyway.
template <>
CHORUS_AVX512 inline __m512 silu16<Accuracy::bf16>(__m512 x) {
  const __m512 held = _mm512_min_ps(x, _mm512_set1_ps(88.0f));
  const __m512 shifter = _mm512_set1_ps(kRoundingShifter);
  const __m512 n =
      _mm512_sub_ps(_mm512_fmadd_ps(held, _mm512_set1_ps(kMinusLog2e), shifter), shifter);
  const __m512 m = _mm512_fmadd_ps(n, _mm512_set1_ps(kLn2), held);
  constexpr Accuracy kBf16 = Accuracy::bf16;
  __m512 p = _mm512_fmadd_ps(_mm512_set1_ps(coefficient_in_minus_m<kBf16>(2)), m,
                             _mm512_set1_ps(coefficient_in_minus_m<kBf16>(1)));
  p = _mm512_fmadd_ps(p, m, _mm512_set1_ps(coefficient_in_minus_m<kBf16>(0)));
  p = _mm512_fmadd_ps(p, m, _mm512_set1_ps(-1.0f));
  p = _mm512_fmadd_ps(p, m, _mm512_set1_ps(1.0f));
  const __m512 denominator = _mm512_add_ps(_mm512_scalef_ps(p, n), _mm512_set1_ps(1.0f));
  return _mm512_mul_ps(x, _mm512_rcp14_ps(denominator));
}

// SiLU's gradient times the incoming one: dy · σ(x) · (1 + x · (1 − σ(x))), with 1 − σ(x) as
// exp(−x) · σ(x): x − x·σ(x) would cancel for large x and lose |x| units in the last place. A NaN
// in x or dy stays NaN.
template <Accuracy kAccuracy>
CHORUS_AVX512 inline __m512 silu_gradient16(__m512 x, __m512 dy) {
  const Sigmoid16 s = sigmoid16<kAccuracy>(x);
  const __m512 slope =
      _mm512_fmadd_ps(s.lower, _mm512_mul_ps(s.exp_minus, s.sigmoid), _mm512_set1_ps(1.0f));
  return _mm512_mul_ps(_mm512_mul_ps(dy, s.sigmoid), slope);
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

using Narrow = __m256i (*)(__m512);

// 16 values of an array as floats, and back; `mask` picks the lanes of a last, partial vector.
CHORUS_AVX512 inline __m512 load16(const float* p, __mmask16 mask) {
  return _mm512_maskz_loadu_ps(mask, p);
}
CHORUS_AVX512 inline __m512 load16(const std::uint16_t* p, __mmask16 mask) {
  return widen(_mm256_maskz_loadu_epi16(mask, p));
}
template <Narrow>
CHORUS_AVX512 inline void store16(float* p, __mmask16 mask, __m512 v) {
  _mm512_mask_storeu_ps(p, mask, v);
}
template <Narrow kNarrow>
CHORUS_AVX512_BF16 inline void store16(std::uint16_t* p, __mmask16 mask, __m512 v) {
  _mm256_mask_storeu_epi16(p, mask, kNarrow(v));
}

// op(i, mask) over [0, count), 16 values at a time, the last vector under a mask. Compiled for
// the same target as its callers' `op`: GCC inlines a function only into one whose target
// includes its own, and a call per vector (constants loaded again, vzeroupper) ran the bf16 pass
// at half its speed.
template <typename Op>
CHORUS_AVX512_BF16 inline void for_vectors(std::size_t count, Op op) {
  std::size_t i = 0;
  for (; i + kLanes <= count; i += kLanes) op(i, static_cast<__mmask16>(0xffff));
  if (i < count) op(i, static_cast<__mmask16>((1u << (count - i)) - 1));
}

// T is float (float32 at its accuracy) or std::uint16_t (bf16, narrowed by kNarrow). Compiled
// for AVX512-BF16, but only narrow_native uses its instructions: with narrow_emulated (or float)
// it runs on any AVX-512 CPU.
template <typename T>
constexpr Accuracy kAccuracyOf = std::is_same_v<T, float> ? Accuracy::float32 : Accuracy::bf16;

template <typename T, Narrow kNarrow = narrow_emulated>
CHORUS_AVX512_BF16 void silu_range(const T* x, T* y, std::size_t count) {
  for_vectors(count, [&](std::size_t i, __mmask16 mask) CHORUS_AVX512_BF16 {
    store16<kNarrow>(y + i, mask, silu16<kAccuracyOf<T>>(load16(x + i, mask)));
  });
}

// bf16 narrowed natively, 32 values at a time: words 2k and 2k + 1 of a vector are the upper
// halves of the floats in its even and odd lanes, so one shift or one mask widens 16 of them
// (vpmovzxwd and a shift for 16 otherwise), and vcvtne2ps2bf16 narrows 32 at once, its two
// halves interleaved again by one vpermw (two instructions fewer per 32 values).
template <>
CHORUS_AVX512_BF16 void silu_range<std::uint16_t, narrow_native>(const std::uint16_t* x,
                                                                 std::uint16_t* y,
                                                                 std::size_t count) {
  alignas(64) static constexpr std::uint16_t kInterleave[32] = {
      0, 16, 1, 17, 2,  18, 3,  19, 4,  20, 5,  21, 6,  22, 7,  23,
      8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31};
  const __m512i interleave = _mm512_load_si512(kInterleave);
  const __m512i upper = _mm512_set1_epi32(static_cast<int>(0xffff0000u));
  const auto step = [&](std::size_t i, __mmask32 mask) CHORUS_AVX512_BF16 {
    const __m512i words = _mm512_maskz_loadu_epi16(mask, x + i);
    const __m512 even = _mm512_castsi512_ps(_mm512_slli_epi32(words, 16));
    const __m512 odd = _mm512_castsi512_ps(_mm512_and_si512(words, upper));
    // Words 0–15: the even lanes' results; 16–31: the odd lanes'.
    const auto halves = reinterpret_cast<__m512i>(
        _mm512_cvtne2ps_pbh(silu16<Accuracy::bf16>(odd), silu16<Accuracy::bf16>(even)));
    _mm512_mask_storeu_epi16(y + i, mask, _mm512_permutexvar_epi16(interleave, halves));
  };
  constexpr std::size_t kWords = 2 * kLanes;
  std::size_t i = 0;
  for (; i + kWords <= count; i += kWords) step(i, ~__mmask32{0});
  if (i < count) step(i, static_cast<__mmask32>((std::uint64_t{1} << (count - i)) - 1));
}

template <typename T, Narrow kNarrow = narrow_emulated>
CHORUS_AVX512_BF16 void silu_in_place_range(T* data, std::size_t count) {
  silu_range<T, kNarrow>(data, data, count);
}

template <typename T, Narrow kNarrow = narrow_emulated>
CHORUS_AVX512_BF16 void silu_gradient_range(const T* x, const T* dy, T* dx, std::size_t count) {
  for_vectors(count, [&](std::size_t i, __mmask16 mask) CHORUS_AVX512_BF16 {
    store16<kNarrow>(dx + i, mask,
                     silu_gradient16<kAccuracyOf<T>>(load16(x + i, mask), load16(dy + i, mask)));
  });
}

// x · σ(x) for 8 floats on AVX2 and FMA (CPUs without AVX-512): sigmoid16<float32>'s arithmetic,
// held at ±88 in the same way, with two differences. 2^n is built in the exponent's bits (AVX2 has
// no vscalefps): n is rounded by adding 1.5 · 2^23, whose low mantissa bits then hold n, so
// (n + 127) · 2^23 are 2^n's bits (|n| ≤ 127 for |x| ≤ 88; n = −127 gives 0 where exp(−x) is below
// 1e-38, lost beside 1 anyway). And 1 / (1 + e) is a division: AVX2's reciprocal estimate holds 12
// bits, which one Newton step leaves near 2^-23 instead of the AVX-512 estimate's 2^-27, and that
// pair measured slower than vdivps on Zen 3 besides (BENCHMARKS.md, "SiLU's own pass on AVX2").
CHORUS_AVX2 inline __m256 silu8(__m256 x) {
  const __m256 lower = _mm256_max_ps(_mm256_set1_ps(-88.0f), x);
  const __m256 held = _mm256_min_ps(lower, _mm256_set1_ps(88.0f));
  const __m256 shifter = _mm256_set1_ps(kRoundingShifter);
  const __m256 shifted = _mm256_fmadd_ps(held, _mm256_set1_ps(kMinusLog2e), shifter);
  const __m256 n = _mm256_sub_ps(shifted, shifter);
  __m256 m = _mm256_fmadd_ps(n, _mm256_set1_ps(kLn2Upper), held);
  m = _mm256_fmadd_ps(n, _mm256_set1_ps(kLn2Lower), m);
  constexpr Accuracy kFloat32 = Accuracy::float32;
  __m256 p = _mm256_set1_ps(coefficient_in_minus_m<kFloat32>(kLastCoefficient<kFloat32>));
  for (int k = kLastCoefficient<kFloat32> - 1; k >= 0; --k)
    p = _mm256_fmadd_ps(p, m, _mm256_set1_ps(coefficient_in_minus_m<kFloat32>(k)));
  p = _mm256_fmadd_ps(p, m, _mm256_set1_ps(-1.0f));
  p = _mm256_fmadd_ps(p, m, _mm256_set1_ps(1.0f));
  const __m256i two_n = _mm256_add_epi32(_mm256_slli_epi32(_mm256_castps_si256(shifted), 23),
                                         _mm256_set1_epi32(127 << 23));
  const __m256 exp_minus = _mm256_mul_ps(p, _mm256_castsi256_ps(two_n));
  return _mm256_div_ps(lower, _mm256_add_ps(exp_minus, _mm256_set1_ps(1.0f)));
}

CHORUS_AVX2 void silu_range_avx2(const float* x, float* y, std::size_t count) {
  constexpr std::size_t kAvx2Lanes = 8;
  std::size_t i = 0;
  for (; i + kAvx2Lanes <= count; i += kAvx2Lanes)
    _mm256_storeu_ps(y + i, silu8(_mm256_loadu_ps(x + i)));
  if (i < count) {  // the last, partial vector: lanes below the remainder
    const __m256i mask = _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(count - i)),
                                            _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
    _mm256_maskstore_ps(y + i, mask, silu8(_mm256_maskload_ps(x + i, mask)));
  }
}

CHORUS_AVX2 void silu_in_place_avx2(float* data, std::size_t count) {
  silu_range_avx2(data, data, count);
}

// Whether bf16 is narrowed by the AVX512-BF16 instruction (else in integers, as oneDNN does).
bool native_narrowing() {
  static const bool native = has_native_bf16();
  return native;
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
  static const bool available =
      __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
      __builtin_cpu_supports("avx512vl") && effective_isa_includes(IsaLevel::avx512_core);
  return available;
}

bool has_float32_silu_kernel() {
  static const bool available =
      has_silu_kernel() || (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") &&
                            effective_isa_includes(IsaLevel::avx2));
  return available;
}

void silu(const float* x, float* y, std::size_t count) {
  CHORUS_DCHECK(has_float32_silu_kernel());
  (has_silu_kernel() ? silu_range<float> : silu_range_avx2)(x, y, count);
}

void silu_bf16(const std::uint16_t* x, std::uint16_t* y, std::size_t count) {
  CHORUS_DCHECK(has_silu_kernel());
  (native_narrowing() ? silu_range<std::uint16_t, narrow_native>
                      : silu_range<std::uint16_t, narrow_emulated>)(x, y, count);
}

void silu_gradient(const float* x, const float* dy, float* dx, std::size_t count) {
  CHORUS_DCHECK(has_silu_kernel());
  silu_gradient_range<float>(x, dy, dx, count);
}

void silu_gradient_bf16(const std::uint16_t* x, const std::uint16_t* dy, std::uint16_t* dx,
                        std::size_t count) {
  CHORUS_DCHECK(has_silu_kernel());
  (native_narrowing() ? silu_gradient_range<std::uint16_t, narrow_native>
                      : silu_gradient_range<std::uint16_t, narrow_emulated>)(x, dy, dx, count);
}

void silu_in_place(float* data, std::size_t count) {
  CHORUS_DCHECK(has_float32_silu_kernel());
  split(data, count, has_silu_kernel() ? silu_in_place_range<float> : silu_in_place_avx2);
}

void silu_in_place_bf16(std::uint16_t* data, std::size_t count) {
  split(data, count,
        native_narrowing() ? silu_in_place_range<std::uint16_t, narrow_native>
                           : silu_in_place_range<std::uint16_t, narrow_emulated>);
}

}  // namespace chorus::graph
