#pragma once
// Numbers appended to a text exactly as std::to_chars writes them (printf's %.*f and %.*g in the
// C locale), faster where a run's tables spend their time: a detection's seconds and score are
// a few digits either side of the point, and a run over thousands of hours writes millions of
// them. to_chars with a precision takes its exact general path; these round the double's exact
// value in integer arithmetic, 2.8× as fast for seconds to 3 decimals and 1.8× for scores to 6
// digits (BENCHMARKS.md). Numbers outside that common range go through to_chars itself.

#include <string>

namespace chorus::formats {

// `value` with `decimals` digits after the point (12.500), as %.*f.
void append_fixed(std::string& text, double value, int decimals);
// `value` to `digits` significant digits without trailing zeros (0.9, 1.23457e-05), as %.*g.
void append_significant(std::string& text, double value, int digits);
void append_integer(std::string& text, long long value);

}  // namespace chorus::formats
