// The SiLU kernels against x / (1 + exp(−x)) in long double: float32 within a few units in the
// last place, bf16 rounded to nearest even, across the range, at the held edges (±88), at tails
// that are not whole vectors, and split over threads with the same results. On a CPU (or a
// ONEDNN_MAX_CPU_ISA) without AVX-512 the bf16 and gradient kernels do not run and their tests
// (or parts) skip, and float32 runs the AVX2 kernel; ctest runs these tests once more under
// ONEDNN_MAX_CPU_ISA=AVX512_CORE, where bf16 is narrowed without AVX512-BF16, and under
// ONEDNN_MAX_CPU_ISA=AVX2, where float32 takes the AVX2 kernel on any CPU.

#include "graph/silu.hpp"

#include <gtest/gtest.h>
#include <omp.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "graph/precision.hpp"

namespace chorus {
namespace {

long double exact_silu(float x) {
  const long double v = x;
  return v / (1.0L + std::exp(-v));
}

float from_bf16(std::uint16_t b) {
  return std::bit_cast<float>(static_cast<std::uint32_t>(b) << 16);
}

// Round to nearest even, from the float nearest to `v`.
std::uint16_t to_bf16(long double v) {
  const auto bits = std::bit_cast<std::uint32_t>(static_cast<float>(v));
  return static_cast<std::uint16_t>((bits + 0x7fffu + ((bits >> 16) & 1u)) >> 16);
}

// Inputs over the whole range activations take, the edges where the kernel holds its exponent's
// argument, and small values.
std::vector<float> sweep() {
  std::vector<float> x;
  for (int i = -200000; i <= 200000; ++i) x.push_back(static_cast<float>(i) * 6.0e-4f);
  for (const float v : {0.0f, -0.0f, 1e-30f, -1e-30f, 1e-40f, -87.9f, -88.0f, -88.1f, -100.0f,
                        -1000.0f, 87.9f, 88.0f, 88.1f, 1000.0f, 3e38f, -3e38f})
    x.push_back(v);
  return x;
}

#define SKIP_WITHOUT_KERNEL()    \
  if (!graph::has_silu_kernel()) \
  GTEST_SKIP() << "the SiLU kernels need AVX-512; oneDNN's ISA here is " << graph::effective_isa()
#define SKIP_WITHOUT_FLOAT32_KERNEL()                                                 \
  if (!graph::has_float32_silu_kernel())                                              \
  GTEST_SKIP() << "the float32 SiLU kernel needs AVX2 and FMA; oneDNN's ISA here is " \
               << graph::effective_isa()

TEST(Silu, Float32WithinAFewUnitsInTheLastPlace) {
  SKIP_WITHOUT_FLOAT32_KERNEL();
  const std::vector<float> x = sweep();
  std::vector<float> y = x;
  graph::silu_in_place(y.data(), y.size());
  // Bound: the polynomial's 1.2e-7 relative error (2 units), the reciprocal after its Newton
  // step (< 2^-27; AVX2 divides exactly) and six float roundings of half a unit each: below 6
  // units. Where SiLU is below 1e-36 in magnitude (x < −88) the kernel's value is too: compared
  // absolutely.
  for (std::size_t i = 0; i < x.size(); ++i) {
    const long double want = exact_silu(x[i]);
    const long double unit = std::ldexp(1.0L, std::ilogb(static_cast<float>(want)) - 23);
    if (std::fabs(want) < 1e-36L) {
      EXPECT_LT(std::fabs(y[i]), 1e-36f) << "x = " << x[i];
    } else {
      EXPECT_LE(std::fabs(y[i] - want) / unit, 6.0L) << "x = " << x[i] << " got " << y[i];
    }
  }
}

TEST(Silu, Bf16RoundsTheValueToNearestEven) {
  SKIP_WITHOUT_KERNEL();
  // Every finite bf16 number: x is what a bf16 activation holds. (Where the CPU narrows
  // natively the kernel takes 32 at a time and holds x at 88 above only: below −88.7 its
  // exponential overflows, which must still give a result below 1e-36 in magnitude.)
  std::vector<std::uint16_t> x;
  for (std::uint32_t b = 0; b < 0x10000; ++b) {
    const float v = from_bf16(static_cast<std::uint16_t>(b));
    if (std::isfinite(v)) x.push_back(static_cast<std::uint16_t>(b));
  }
  std::vector<std::uint16_t> y = x;
  graph::silu_in_place_bf16(y.data(), y.size());
  int off_by_one = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const float in = from_bf16(x[i]);
    const long double want = exact_silu(in);
    const std::uint16_t rounded = to_bf16(want);
    if (y[i] == rounded || (std::fabs(want) < 1e-36L && std::fabs(from_bf16(y[i])) < 1e-36f))
      continue;
    // Off by one bf16 step only where the exact value lies within the kernel's error of the
    // midpoint between the two: the reciprocal estimate's 2^-14 (6.1e-5), the polynomial's
    // 6.2e-6, ln2 as one float (2.4e-7) and a few float roundings, below 7e-5 relative.
    const float got = from_bf16(y[i]), near = from_bf16(rounded);
    const long double midpoint = (static_cast<long double>(got) + near) / 2;
    EXPECT_LE(std::fabs(want - midpoint), 7e-5L * std::fabs(want))
        << "x = " << in << " got " << got << ", nearest " << near;
    ++off_by_one;
  }
  EXPECT_LT(off_by_one, static_cast<int>(x.size() / 100)) << "of " << x.size();
}

TEST(Silu, ANanStaysNan) {
  SKIP_WITHOUT_FLOAT32_KERNEL();
  // Quiet and signalling NaNs, the one whose mantissa is all ones (rounding it to bf16 in integers
  // would carry into the sign), and NaNs beside ordinary values in one vector.
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const std::vector<float> x{nan,
                             -nan,
                             std::numeric_limits<float>::signaling_NaN(),
                             std::bit_cast<float>(0x7fffffffu),
                             1.0f,
                             -1.0f,
                             0.0f,
                             nan};
  std::vector<float> y = x;
  graph::silu_in_place(y.data(), y.size());
  for (std::size_t i = 0; i < x.size(); ++i)
    EXPECT_EQ(std::isnan(y[i]), std::isnan(x[i])) << i << ": " << y[i];
  if (!graph::has_silu_kernel()) return;  // bf16: AVX-512 only
  std::vector<std::uint16_t> half(x.size());
  for (std::size_t i = 0; i < x.size(); ++i)
    half[i] = static_cast<std::uint16_t>(std::bit_cast<std::uint32_t>(x[i]) >> 16);
  graph::silu_in_place_bf16(half.data(), half.size());
  for (std::size_t i = 0; i < x.size(); ++i)
    EXPECT_EQ(std::isnan(from_bf16(half[i])), std::isnan(x[i])) << i << ": " << from_bf16(half[i]);
}

TEST(Silu, TailsAndThreadsGiveTheSameValues) {
  SKIP_WITHOUT_FLOAT32_KERNEL();
  std::vector<float> x(100003);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = std::sin(static_cast<float>(i)) * 12.0f;
  std::vector<float> one = x;
  graph::silu_in_place(one.data(), one.size());
  // A count of every remainder: each element's value does not depend on where it sits.
  for (std::size_t count = 1; count <= 33; ++count) {
    std::vector<float> part(x.begin() + 7, x.begin() + 7 + static_cast<long>(count));
    graph::silu_in_place(part.data(), part.size());
    for (std::size_t i = 0; i < count; ++i) ASSERT_EQ(part[i], one[7 + i]) << count;
  }
  const int before = omp_get_max_threads();
  omp_set_num_threads(3);
  std::vector<float> three = x;
  graph::silu_in_place(three.data(), three.size());
  omp_set_num_threads(before);
  EXPECT_EQ(three, one);
  if (!graph::has_silu_kernel()) return;  // bf16: AVX-512 only
  // bf16: every remainder of the 32 values the native kernel takes at a time.
  std::vector<std::uint16_t> words(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) words[i] = to_bf16(x[i]);
  std::vector<std::uint16_t> whole = words;
  graph::silu_in_place_bf16(whole.data(), whole.size());
  for (std::size_t count = 1; count <= 65; ++count) {
    std::vector<std::uint16_t> part(words.begin() + 7,
                                    words.begin() + 7 + static_cast<long>(count));
    graph::silu_bf16(part.data(), part.data(), part.size());
    for (std::size_t i = 0; i < count; ++i) ASSERT_EQ(part[i], whole[7 + i]) << count;
  }
  std::vector<std::uint16_t> half_three = words;
  omp_set_num_threads(3);
  graph::silu_in_place_bf16(half_three.data(), half_three.size());
  omp_set_num_threads(before);
  EXPECT_EQ(half_three, whole);
}

TEST(Silu, OutOfPlaceEqualsInPlace) {
  // graph::silu (LibTorch's FastSiLU) runs the same kernel on the calling thread.
  SKIP_WITHOUT_FLOAT32_KERNEL();
  const std::vector<float> x = sweep();
  std::vector<float> y(x.size()), in_place = x;
  graph::silu(x.data(), y.data(), x.size());
  graph::silu_in_place(in_place.data(), in_place.size());
  EXPECT_EQ(y, in_place);
}

TEST(Silu, GradientsForTraining) {
  // dy · σ(x) · (1 + x(1 − σ(x))) against long double: float32 within a few units of dy · σ (the
  // scale of its terms: the sum cancels near x = −1.28), bf16 that value rounded to 8 significant
  // bits; and the out-of-place bf16 SiLU equal to the in-place one. Under
  // ONEDNN_MAX_CPU_ISA=AVX512_CORE the bf16 results are narrowed in integers: the same values.
  SKIP_WITHOUT_KERNEL();
  const std::vector<float> x = sweep();
  std::vector<float> dy(x.size()), dx(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) dy[i] = 1.0f + 0.5f * std::sin(static_cast<float>(i));
  graph::silu_gradient(x.data(), dy.data(), dx.data(), x.size());
  std::vector<std::uint16_t> x16(x.size()), dy16(x.size()), dx16(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    x16[i] = to_bf16(x[i]);
    dy16[i] = to_bf16(dy[i]);
  }
  graph::silu_gradient_bf16(x16.data(), dy16.data(), dx16.data(), x.size());
  const auto check = [](float in, float incoming, float got, long double tolerance) {
    if (!std::isfinite(in) || std::fabs(in) > 1e3f) return;
    const long double v = in, s = 1.0L / (1.0L + std::exp(-v));
    const long double want = incoming * s * (1.0L + v * (1.0L - s));
    const long double scale = std::max(std::fabs(want), std::fabs(incoming * s));
    if (scale < 1e-30L) {
      EXPECT_LT(std::fabs(got), 1e-30f) << "x = " << in;
      return;
    }
    EXPECT_LE(std::fabs(got - want) / scale, tolerance) << "x = " << in << " got " << got;
  };
  for (std::size_t i = 0; i < x.size(); ++i) {
    check(x[i], dy[i], dx[i], 1e-6L);
    check(from_bf16(x16[i]), from_bf16(dy16[i]), from_bf16(dx16[i]), 1.0L / 256 + 7e-5L);
  }
  std::vector<std::uint16_t> y16(x.size()), in_place = x16;
  graph::silu_bf16(x16.data(), y16.data(), x16.size());
  graph::silu_in_place_bf16(in_place.data(), in_place.size());
  EXPECT_EQ(y16, in_place);
}

}  // namespace
}  // namespace chorus
