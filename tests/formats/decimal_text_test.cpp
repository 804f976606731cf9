// The tables' number formatting against std::to_chars, the reference it must equal to the
// character: exact ties (0.0625 to 3 decimals), values beside a power of ten that rounding
// carries over (0.0999999996 to 6 digits), the switch to scientific style, signs and zeros,
// the largest and smallest doubles, and a few hundred thousand random ones, at every precision
// the fast path takes and beyond it.

#include "formats/decimal_text.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

namespace chorus {
namespace {

std::string reference(double value, std::chars_format format, int precision) {
  char buffer[400];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value, format, precision);
  EXPECT_EQ(ec, std::errc());
  return {buffer, end};
}

std::vector<double> values() {
  std::vector<double> v{0.0,
                        -0.0,
                        0.5,
                        1.5,
                        2.5,
                        -2.25,
                        0.0625,  // 62.5 thousandths: a tie, to even
                        0.0005,
                        0.00049999999999999999,
                        1.0005,
                        2.675,
                        12.5,
                        0.9f,
                        0.30000001192092896,
                        0.0999999996,
                        0.09999995,
                        0.000099999995,
                        0.0001,
                        0.00001,
                        999999.5,
                        9999995.0,
                        123456789.0,
                        1e15,
                        9.2e18,
                        1.8446744073709552e19,
                        1e22,
                        1e300,
                        1e-300,
                        std::numeric_limits<double>::max(),
                        std::numeric_limits<double>::min(),
                        std::numeric_limits<double>::denorm_min(),
                        -std::numeric_limits<double>::denorm_min(),
                        std::numeric_limits<double>::infinity(),
                        -std::numeric_limits<double>::infinity(),
                        std::numeric_limits<double>::quiet_NaN()};
  // Exact binary fractions: every one a tie at some number of decimals.
  for (int k = -300; k <= 300; ++k)
    for (const int bits : {1, 2, 4, 6, 10, 14}) v.push_back(std::ldexp(k, -bits));
  // Values beside each power of ten, either side.
  for (int e = -8; e <= 20; ++e) {
    const double p = std::pow(10.0, e);
    v.insert(v.end(), {p, std::nextafter(p, 0.0), std::nextafter(p, 1e300), p * (1 - 5e-7),
                       p * (1 - 5e-8), p * (1 + 5e-7), -p});
  }
  std::mt19937_64 random(42);
  // Seconds and scores as the tables have them: floats in [0, 1], multiples of 5 ms in hours.
  std::uniform_real_distribution<float> unit(0.0f, 1.0f);
  for (int i = 0; i < 100000; ++i) v.push_back(unit(random));
  for (int i = 0; i < 20000; ++i) v.push_back(static_cast<double>(random() % 720000) * 0.005);
  // Any double whose exponent is within ±80 of 1 (plus any sign), and any bit pattern at all.
  for (int i = 0; i < 100000; ++i) {
    const std::uint64_t bits = random();
    const std::uint64_t exponent = 1023 - 80 + random() % 160;
    v.push_back(std::bit_cast<double>((bits & 0x800fffffffffffffull) | (exponent << 52)));
  }
  for (int i = 0; i < 20000; ++i) v.push_back(std::bit_cast<double>(random()));
  return v;
}

TEST(DecimalText, FixedIsToCharsToTheCharacter) {
  const std::vector<double> all = values();
  int mismatches = 0;
  for (const int decimals : {0, 1, 2, 3, 4, 6, 9, 12, 17, 19, 20, 25}) {
    // Past the fast path's range (huge and tiny values alike) only a sample: to_chars is slow.
    const std::size_t count = decimals <= 12 ? all.size() : 5000;
    for (std::size_t i = 0; i < count; ++i) {
      std::string text = "x";
      formats::append_fixed(text, all[i], decimals);
      const std::string expected = "x" + reference(all[i], std::chars_format::fixed, decimals);
      if (text != expected && ++mismatches <= 5)
        ADD_FAILURE() << std::hexfloat << all[i] << " to " << decimals << " decimals: " << text
                      << " instead of " << expected;
    }
  }
  EXPECT_EQ(mismatches, 0);
}

TEST(DecimalText, SignificantIsToCharsGeneralToTheCharacter) {
  const std::vector<double> all = values();
  int mismatches = 0;
  for (int digits = 0; digits <= 17; ++digits) {
    for (const double value : all) {
      std::string text = "x";
      formats::append_significant(text, value, digits);
      const std::string expected = "x" + reference(value, std::chars_format::general, digits);
      if (text != expected && ++mismatches <= 5)
        ADD_FAILURE() << std::hexfloat << value << " to " << digits << " digits: " << text
                      << " instead of " << expected;
    }
  }
  EXPECT_EQ(mismatches, 0);
}

TEST(DecimalText, IntegersWhole) {
  std::string text;
  for (const long long v : {0LL, -7LL, 42LL, std::numeric_limits<long long>::min()}) {
    formats::append_integer(text, v);
    text += ' ';
  }
  EXPECT_EQ(text, "0 -7 42 -9223372036854775808 ");
}

}  // namespace
}  // namespace chorus
