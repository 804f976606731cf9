#pragma once
// Post-processing of one recording's scores (rows = its chunks in time order), in this order:
//   1. activation: sigmoid or softmax of the model's logits (sigmoid even on CE-trained logits
//      was worth +0.044 ROC-AUC in BirdCLEF 2024 1st place);
//   2. temporal smoothing: each chunk blends with its neighbours by given weights (BirdCLEF
//      neighbour smoothing); a moving average is the case of equal weights (RFCX 43rd). At the
//      recording's edges the weights of missing neighbours are dropped and the rest renormalised;
//   3. odds scaling: p ← r·p / (r·p + 1 − p) with a factor r per class from priors (RFCX 9th).
// Thresholds, top-k, merging and species lists apply when detections and outputs are written.

#include <array>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/config_fields.hpp"
#include "core/enum_names.hpp"
#include "infer/score_matrix.hpp"

namespace chorus::infer {

// What turns a model's logits into scores.
enum class Activation { sigmoid, softmax, none };

struct PostprocessConfig {
  static constexpr std::string_view kSection = "postprocess";
  Activation activation = Activation::sigmoid;
  std::string smoothing;   // neighbour weights "w−k,…,w0,…,wk" (odd count), "" = off
  int moving_average = 1;  // chunks averaged (odd; 1 = off)
  std::string priors;      // CSV class,factor: odds multiplied per class ("" = off)
  // What the outputs keep (infer::DetectionRules and formats::read_species_list); the scores
  // themselves do not depend on these, so a resumed run may change them.
  double threshold = 0.5;     // a detection is a score ≥ this
  int top_k = 0;              // at most this many detections per chunk (0 = all)
  int merge_consecutive = 1;  // detected chunks joined into one event, at most
  std::string species;        // file listing the classes to output, one per line
  std::string taxonomy;       // CSV naming the classes in outputs ("": the checkpoint's names)

  void register_fields(core::ConfigFields& fields);
  void validate() const;
};

void apply_activation(ScoreMatrix& scores, Activation activation);

// weights.size() odd; weights[k] applies to the chunk k − size/2 away.
void smooth_over_time(ScoreMatrix& scores, std::span<const double> weights);

void scale_odds(ScoreMatrix& scores, std::span<const double> factor_per_class);

// The odds factor of every class from a priors CSV (columns class, factor; classes it does not
// list keep factor 1; a listed class that is not among `classes` is an error).
std::vector<double> read_prior_factors(const std::string& path,
                                       const std::vector<std::string>& classes);

// Parses "0.1, 0.8, 0.1"; an empty text gives no weights.
std::vector<double> parse_weights(const std::string& text);

// Steps 1–3 as configured (priors already resolved to one factor per class, or empty).
void postprocess(ScoreMatrix& scores, const PostprocessConfig& config,
                 std::span<const double> prior_factors);

}  // namespace chorus::infer

template <>
struct chorus::core::EnumNames<chorus::infer::Activation> {
  static constexpr std::array<std::string_view, 3> names{"sigmoid", "softmax", "none"};
};
