#include "infer/postprocess.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <sstream>

#include "core/error.hpp"
#include "formats/class_values.hpp"

namespace chorus::infer {

void PostprocessConfig::register_fields(core::ConfigFields& f) {
  f.add("activation", &activation,
        "applied to the model's logits (infer.mode = sed: the model's own sigmoid, not applied "
        "again; no softmax)");
  f.add("smoothing", &smoothing,
        "neighbour weights over chunks, e.g. \"0.1,0.8,0.1\" (empty = off)");
  f.add("moving_average", &moving_average, "chunks in a centred moving average (odd; 1 = off)")
      .at_least(1);
  f.add("priors", &priors, "CSV of class,factor: odds multiplied per class (empty = off)");
  f.add("threshold", &threshold, "score from which a chunk counts as a detection").within(0, 1);
  f.add("top_k", &top_k, "at most this many detections per chunk, the highest (0 = all)")
      .at_least(0);
  f.add("merge_consecutive", &merge_consecutive,
        "detected consecutive chunks joined into one event, at most (1 = each chunk its own)")
      .at_least(1);
  f.add("species", &species,
        "file listing the classes to output, one per line (empty = all); see docs/predict.md");
  f.add("taxonomy", &taxonomy,
        "taxonomy CSV giving the classes' scientific and common names in Raven and Kaleidoscope "
        "outputs (empty = the names stored in the checkpoint, if any)");
}

void PostprocessConfig::validate() const {
  const std::vector<double> w = parse_weights(smoothing);
  CHORUS_CHECK_AS(ConfigError, w.empty() || w.size() % 2 == 1,
                  "postprocess.smoothing = \"{}\": expected an odd number of weights", smoothing);
  core::check_declared(*this);
  CHORUS_CHECK_AS(ConfigError, moving_average % 2 == 1,
                  "postprocess.moving_average = {}: expected an odd number ≥ 1", moving_average);
}

std::vector<double> parse_weights(const std::string& text) {
  std::vector<double> weights;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (item.find_first_not_of(" \t") == std::string::npos) continue;
    std::size_t used = 0;
    double w = 0;
    try {
      w = std::stod(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    CHORUS_CHECK_AS(ConfigError, used > 0 && std::isfinite(w) && w >= 0,
                    "postprocess.smoothing: '{}' is not a non-negative weight", item);
    weights.push_back(w);
  }
  return weights;
}

std::vector<double> read_prior_factors(const std::string& path,
                                       const std::vector<std::string>& classes) {
  return formats::read_class_values(path, classes, "factor", formats::ValueRange::positive);
}

void apply_activation(ScoreMatrix& s, Activation activation) {
  switch (activation) {
    case Activation::sigmoid:
      for (float& v : s.values) v = 1.0f / (1.0f + std::exp(-v));
      return;
    case Activation::softmax:
      for (std::size_t r = 0; r < s.rows; ++r) {
        auto row = s.row(r);
        const float top = *std::max_element(row.begin(), row.end());
        double sum = 0;
        for (float& v : row) sum += (v = std::exp(v - top));
        for (float& v : row) v = static_cast<float>(v / sum);
      }
      return;
    case Activation::none:
      return;
  }
}

void smooth_over_time(ScoreMatrix& s, std::span<const double> weights) {
  if (weights.size() <= 1 || s.rows <= 1) return;
  const auto half = static_cast<std::ptrdiff_t>(weights.size() / 2);
  const ScoreMatrix source = s;
  const auto rows = static_cast<std::ptrdiff_t>(s.rows);
  for (std::ptrdiff_t r = 0; r < rows; ++r) {
    for (std::size_t c = 0; c < s.cols; ++c) {
      double sum = 0, used = 0;
      for (std::ptrdiff_t k = -half; k <= half; ++k) {
        if (r + k < 0 || r + k >= rows) continue;  // past the recording's edge
        const double w = weights[static_cast<std::size_t>(k + half)];
        sum += w * source.at(static_cast<std::size_t>(r + k), c);
        used += w;
      }
      s.at(static_cast<std::size_t>(r), c) = used > 0 ? static_cast<float>(sum / used) : 0.0f;
    }
  }
}

void scale_odds(ScoreMatrix& s, std::span<const double> factor) {
  CHORUS_CHECK(factor.size() == s.cols, "priors give {} factors for {} classes", factor.size(),
               s.cols);
  for (std::size_t r = 0; r < s.rows; ++r)
    for (std::size_t c = 0; c < s.cols; ++c) {
      const double p = s.at(r, c);
      s.at(r, c) = static_cast<float>(factor[c] * p / (factor[c] * p + 1.0 - p));
    }
}

void postprocess(ScoreMatrix& scores, const PostprocessConfig& config,
                 std::span<const double> priors) {
  config.validate();
  apply_activation(scores, config.activation);
  smooth_over_time(scores, parse_weights(config.smoothing));
  if (config.moving_average > 1)
    smooth_over_time(scores,
                     std::vector<double>(static_cast<std::size_t>(config.moving_average), 1.0));
  if (!priors.empty()) scale_odds(scores, priors);
}

}  // namespace chorus::infer
