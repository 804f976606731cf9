#include "metrics/radix_sort.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <functional>
#include <utility>

namespace chorus::metrics {
namespace {

constexpr int kDigitBits = 11;  // 2048 counters a digit: six digits' counts fit in L2
constexpr int kDigits = (64 + kDigitBits - 1) / kDigitBits;
constexpr std::size_t kRadix = std::size_t{1} << kDigitBits;
// Below this a comparison sort wins over six passes of counting.
constexpr std::size_t kRadixMinimum = 1024;

// IEEE-754 order as unsigned integer order, reversed so that ascending keys are descending
// values: positives get the sign bit set, negatives are inverted (their magnitude order runs
// backwards), then every bit flips.
std::uint64_t descending_key(double value) {
  const auto bits = std::bit_cast<std::uint64_t>(value);
  const std::uint64_t ascending = (bits >> 63) != 0 ? ~bits : bits | (std::uint64_t{1} << 63);
  return ~ascending;
}

double value_of(std::uint64_t key) {
  const std::uint64_t ascending = ~key;
  const std::uint64_t bits =
      (ascending >> 63) != 0 ? ascending & ~(std::uint64_t{1} << 63) : ~ascending;
  return std::bit_cast<double>(bits);
}

std::size_t digit(std::uint64_t key, int d) { return (key >> (d * kDigitBits)) & (kRadix - 1); }

}  // namespace

void sort_descending(std::vector<double>& values, std::vector<std::uint64_t>& scratch) {
  const std::size_t n = values.size();
  if (n < kRadixMinimum) {
    std::sort(values.begin(), values.end(), std::greater<>());
    return;
  }
  scratch.resize(2 * n);
  std::uint64_t* keys = scratch.data();
  std::uint64_t* sorted = scratch.data() + n;

  std::vector<std::array<std::size_t, kRadix>> counts(kDigits);
  for (auto& count : counts) count.fill(0);
  for (std::size_t i = 0; i < n; ++i) {
    keys[i] = descending_key(values[i]);
    for (int d = 0; d < kDigits; ++d) ++counts[d][digit(keys[i], d)];
  }

  for (int d = 0; d < kDigits; ++d) {
    auto& count = counts[d];
    if (count[digit(keys[0], d)] == n) continue;  // every key has this digit: nothing to order
    std::size_t offset = 0;
    for (auto& c : count) offset += std::exchange(c, offset);
    for (std::size_t i = 0; i < n; ++i) sorted[count[digit(keys[i], d)]++] = keys[i];
    std::swap(keys, sorted);
  }
  for (std::size_t i = 0; i < n; ++i) values[i] = value_of(keys[i]);
}

}  // namespace chorus::metrics
