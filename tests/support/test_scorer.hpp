#pragma once
// A WindowScorer with the default [audio] settings, the given classes and [features] (the
// defaults unless given), for tests of the prediction plumbing; subclasses compute the logits.

#include <string>
#include <vector>

#include "infer/window_scorer.hpp"

namespace chorus::testing {

class TestScorer : public infer::WindowScorer {
 public:
  explicit TestScorer(std::vector<std::string> classes, features::FeatureConfig features = {})
      : classes_(std::move(classes)), features_(std::move(features)) {}
  const std::vector<std::string>& classes() const override { return classes_; }
  const audio::AudioConfig& audio() const override { return audio_; }
  const features::FeatureConfig& features() const override { return features_; }

 private:
  std::vector<std::string> classes_;
  audio::AudioConfig audio_;
  features::FeatureConfig features_;
};

}  // namespace chorus::testing
