#include "formats/decimal_text.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>

#include "core/error.hpp"

namespace chorus::formats {
namespace {

// GCC and Clang have 128-bit integers on 64-bit targets (__extension__: not ISO C++).
__extension__ typedef unsigned __int128 Wide;

constexpr std::array<std::uint64_t, 20> kPowersOfTen = [] {
  std::array<std::uint64_t, 20> powers{};
  std::uint64_t p = 1;
  for (std::uint64_t& power : powers) {
    power = p;
    p *= 10;
  }
  return powers;
}();
// Decimals the exact path takes: a double's integer mantissa (< 2^53) times 10^19 fits 128 bits.
constexpr int kMaxDecimals = 19;
// %g's fixed style uses up to digits + 3 decimals (0.000123457 for 6 digits); one more while the
// exponent is found.
constexpr int kMaxSignificantDigits = kMaxDecimals - 4;

// What std::to_chars writes for `value` (no number needs more than 350 characters).
template <typename... Format>
void append_chars(std::string& text, double value, Format... format) {
  char buffer[350];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value, format...);
  CHORUS_DCHECK(ec == std::errc());
  text.append(buffer, end);
}

// What scaled_round gives where the result needs more than 64 bits.
constexpr std::uint64_t kTooLarge = UINT64_MAX;

// `x` / 2^shift rounded to the nearest integer, ties to even (0 < shift < bits of T, x small
// enough that x + 2^shift does not overflow): adding one less than half, plus the quotient's
// lowest bit, carries into the quotient exactly when the remainder is above half, or half and
// the quotient odd.
template <typename T>
T shift_round(T x, int shift) {
  return (x + ((T{1} << (shift - 1)) - 1) + ((x >> shift) & 1)) >> shift;
}

// A finite, non-negative `magnitude` times 10^decimals, rounded to the nearest integer with ties
// to even: the exact product, not a floating-point one. The double is mantissa · 2^-shift with an
// integer mantissa below 2^53, so the product is the integer mantissa · 10^decimals shifted right,
// and the bits shifted out decide the rounding, as printf decides it from the exact binary value.
std::uint64_t scaled_round(double magnitude, int decimals) {
  const auto bits = std::bit_cast<std::uint64_t>(magnitude);
  const auto biased_exponent = static_cast<int>(bits >> 52);
  std::uint64_t mantissa = bits & ((std::uint64_t{1} << 52) - 1);
  int shift = 1074;  // subnormal (or zero): mantissa · 2^-1074
  if (biased_exponent != 0) {
    mantissa |= std::uint64_t{1} << 52;
    shift = 1075 - biased_exponent;
  }
  const std::uint64_t power = kPowersOfTen[static_cast<std::size_t>(decimals)];
  // Up to 3 decimals the product stays below 2^63: 64-bit arithmetic (the tables' seconds).
  if (decimals <= 3 && shift > 0 && shift < 63) return shift_round(mantissa * power, shift);
  const Wide product = static_cast<Wide>(mantissa) * power;  // < 2^117
  if (shift >= 118) return 0;                                // below one half
  if (shift < -10) return kTooLarge;                         // 2^63 and more
  const Wide rounded = shift <= 0 ? product << -shift : shift_round(product, shift);
  return rounded >= kTooLarge ? kTooLarge : static_cast<std::uint64_t>(rounded);
}

// Room for what format_scaled writes: a sign, 20 digits, a point, 19 zeros.
constexpr std::size_t kScaledChars = 48;

// `scaled` (the value times 10^decimals, an integer) with its last `decimals` digits after a
// point (12500, 3 → 12.500; 5, 3 → 0.005) into `out`; returns the end. Written whole, then
// appended once: a character at a time, the string's checks cost as much as the arithmetic.
char* format_scaled(char* out, bool negative, std::uint64_t scaled, int decimals) {
  char digits[20];
  const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, scaled);
  CHORUS_DCHECK(ec == std::errc());
  const auto count = static_cast<int>(end - digits);
  if (negative) *out++ = '-';
  if (count > decimals) {
    out = std::copy(digits, end - decimals, out);
  } else {
    *out++ = '0';
  }
  if (decimals == 0) return out;
  *out++ = '.';
  if (count < decimals) out = std::fill_n(out, decimals - count, '0');
  return std::copy(end - std::min(count, decimals), end, out);
}

}  // namespace

void append_fixed(std::string& text, double value, int decimals) {
  if (std::isfinite(value) && decimals >= 0 && decimals <= kMaxDecimals)
    if (const std::uint64_t scaled = scaled_round(std::abs(value), decimals); scaled != kTooLarge) {
      char chars[kScaledChars];
      text.append(chars, format_scaled(chars, std::signbit(value), scaled, decimals));
      return;
    }
  append_chars(text, value, std::chars_format::fixed, decimals);
}

void append_significant(std::string& text, double value, int digits) {
  const int p = digits == 0 ? 1 : digits;  // as %g: a precision of 0 is taken as 1
  if (std::isfinite(value) && value != 0 && p >= 1 && p <= kMaxSignificantDigits) {
    const double magnitude = std::abs(value);
    // The decimal exponent X of the value rounded to p digits: floor(log10 |value|) is
    // floor(e log10 2) or one more for a binary exponent e, and rounding can carry it one up.
    const int binary_exponent =
        static_cast<int>(std::bit_cast<std::uint64_t>(magnitude) >> 52) - 1023;
    int exponent = (binary_exponent * 78913) >> 18;  // floor(e log10 2) for |e| < 1700
    for (int tries = 0; tries < 3; ++tries) {
      // %g writes p digits in fixed style where -4 <= X < p, else in scientific style.
      if (exponent < -5 || exponent >= p) break;
      const int decimals = p - 1 - exponent;
      const std::uint64_t scaled = scaled_round(magnitude, decimals);
      if (scaled == kTooLarge) break;
      if (scaled >= kPowersOfTen[static_cast<std::size_t>(p)]) {
        ++exponent;
        continue;
      }
      if (scaled < kPowersOfTen[static_cast<std::size_t>(p - 1)]) {
        --exponent;
        continue;
      }
      if (exponent < -4) break;
      char chars[kScaledChars];
      char* end = format_scaled(chars, std::signbit(value), scaled, decimals);
      // Without '#', %g drops the fraction's trailing zeros, and the point if nothing is left.
      if (decimals > 0) {
        while (end[-1] == '0') --end;
        if (end[-1] == '.') --end;
      }
      text.append(chars, end);
      return;
    }
  }
  append_chars(text, value, std::chars_format::general, digits);
}

void append_integer(std::string& text, long long value) {
  char digits[24];
  const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, value);
  CHORUS_DCHECK(ec == std::errc());
  text.append(digits, end);
}

}  // namespace chorus::formats
