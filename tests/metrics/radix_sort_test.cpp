// The radix sort must order exactly as std::sort with std::greater does, on the inputs where
// its bit tricks could go wrong: negatives, signed zeros, subnormals, huge magnitudes, float32
// values (whose low digits are all zero and skipped), many duplicates.

#include "metrics/radix_sort.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <limits>
#include <random>
#include <vector>

namespace chorus::metrics {
namespace {

std::vector<double> awkward_values(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal(0.0, 3.0);
  constexpr double kSubnormal = std::numeric_limits<double>::denorm_min();
  const double specials[] = {0.0, -0.0, kSubnormal, -kSubnormal, 1e300, -1e300, 1.0, -1.0};
  std::vector<double> values(n);
  for (double& value : values) {
    switch (rng() % 4) {
      case 0:  // signed zeros, subnormals, extremes
        value = specials[rng() % std::size(specials)];
        break;
      case 1:  // a float32 model output widened to double
        value = static_cast<float>(normal(rng));
        break;
      case 2:  // seven distinct values: long runs of duplicates
        value = static_cast<double>(rng() % 7) / 4.0;
        break;
      default:
        value = normal(rng);
    }
  }
  return values;
}

void expect_sorted_like_std(std::vector<double> values) {
  std::vector<double> expected = values;
  std::sort(expected.begin(), expected.end(), std::greater<>());
  std::vector<std::uint64_t> scratch;
  sort_descending(values, scratch);
  ASSERT_EQ(values.size(), expected.size());
  // -0.0 and 0.0 may trade places: compare values, not bit patterns.
  for (std::size_t i = 0; i < values.size(); ++i) ASSERT_EQ(values[i], expected[i]) << "at " << i;
}

TEST(RadixSort, MatchesStdSortOnLargeAwkwardInput) {
  expect_sorted_like_std(awkward_values(50'000, 1));
}

TEST(RadixSort, MatchesStdSortBelowTheRadixCutoff) {
  expect_sorted_like_std(awkward_values(100, 2));
}

TEST(RadixSort, AllEqualAndEmpty) {
  expect_sorted_like_std(std::vector<double>(5000, 0.25));
  expect_sorted_like_std({});
}

}  // namespace
}  // namespace chorus::metrics
