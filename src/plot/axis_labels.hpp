#pragma once
// Tick steps and tick labels for plot axes: round 1-2-5 steps and numbers printed with as many
// decimals as the step needs, so every chart chorus draws labels its axes alike.

#include <string>

namespace chorus::plot {

// The smallest of 1, 2, 5 × a power of ten that is ≥ `rough` (> 0): the step for an axis that
// should have about range / rough ticks.
double nice_step(double rough);

// A multiple of `step` with enough decimals to tell ticks apart: "12.5" for 0.5 s steps,
// "120" for whole seconds.
std::string format_multiple(double value, double step);

// Three significant digits ("-34.8", "0.0123"), but no exponent for ordinary large values.
std::string format_value(double value);

}  // namespace chorus::plot
