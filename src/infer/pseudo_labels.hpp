#pragma once
// Pseudo-labels from a Predictor's chunk scores: the [pseudo] transforms that turn a teacher's
// probabilities into soft training targets, in this order, per chunk (row):
//   1. confidence: a row whose highest probability is below min_confidence is dropped (RFCX 2021
//      and BirdCLEF 2025 kept only confident chunks or weighted by confidence);
//   2. power: p ← p^(1/temperature), as BirdCLEF 2025 1st place did: T < 1 sharpens (low
//      probabilities fall toward 0 faster than high ones), T > 1 softens; 1 = off;
//   3. floor: cells below `floor` become 0 (noise a teacher spreads over every class);
//   4. top-k: only the k highest cells stay (0 = all);
//   5. cap: the row is scaled down so that its sum is at most `row_cap` (BirdCLEF 2026 1st place:
//      pseudo-labels helped only with the row sum capped at 0.75; 0 = off).
// docs/selftraining.md has the reasoning and the winners' values.

#include <span>
#include <string_view>
#include <vector>

#include "core/config_fields.hpp"
#include "formats/pseudo_table.hpp"
#include "infer/recording_scores.hpp"

namespace chorus::infer {

struct PseudoConfig {
  static constexpr std::string_view kSection = "pseudo";
  double min_confidence = 0.0;  // drop rows whose highest probability is below this
  double temperature = 1.0;     // p^(1/T)
  double floor = 0.0;           // cells below become 0
  int top_k = 0;                // cells kept per row (0 = all)
  double row_cap = 0.0;         // the row's sum at most this (0 = off)

  void register_fields(core::ConfigFields& fields);
  void validate() const;
};

// Transforms one row in place (steps 2–5); the caller has applied step 1.
void transform_pseudo_row(std::span<float> probabilities, const PseudoConfig& config);

// Whether a row of raw probabilities is confident enough to keep (step 1).
bool confident_enough(std::span<const float> probabilities, const PseudoConfig& config);

// The rows of one recording's chunks that pass step 1, transformed; appended to `table`, whose
// classes must be the scores' (scores are probabilities: the Predictor's with an activation).
void append_pseudo_rows(const RecordingScores& scores, const PseudoConfig& config,
                        formats::PseudoTable& table);

}  // namespace chorus::infer
