#pragma once
// What turns a compiled backbone's feature map into a network's outputs, in plain C++ with
// oneDNN's sgemm for the linear layers: the map is small ([C, F', T'] per window), so the head
// costs little beside the backbone, and it needs no LibTorch. It computes what the LibTorch heads
// compute (models/network.hpp, gem_head.hpp, sed_head.hpp), in inference (dropout off):
//
//   linear  mean over F' and T' → fc                      (the architecture's own classifier)
//   gem     (mean over F', T' of max(x, eps)^p)^(1/p) → fc
//   sed     mean over F' → max_pool1d(3, 1, 1) + avg_pool1d(3, 1, 1) over T' → fc1 + ReLU →
//           attention softmax_t(tanh(att)), frame logits cla; clip logits Σ_t att·cla,
//           clip probabilities Σ_t att·σ(cla), frame probabilities σ(cla)
//
// Its arrays are named as in the network's state dict, like a Program's.

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <span>
#include <string>
#include <vector>

#include "core/enum_names.hpp"
#include "graph/graph_builder.hpp"
#include "graph/program.hpp"

namespace chorus::graph {

// What turns the backbone's feature map into logits: linear (the architecture's own average
// pooling, dropout and classifier), gem (generalised-mean pooling, dropout, linear) or sed (the
// sound-event-detection attention head with framewise outputs).
enum class HeadKind { linear, gem, sed };

struct Head {
  HeadKind kind = HeadKind::linear;
  // linear, gem: the classifier, weight [classes, C] and bias [classes]; gem also p [1].
  std::string fc_weight, fc_bias, p;
  double gem_eps = 1e-6;
  // sed: fc1 [C, C] and [C]; att and cla, 1-d convolutions of kernel 1: [classes, C, 1], [classes].
  std::string fc1_weight, fc1_bias, att_weight, att_bias, cla_weight, cla_bias;

  std::vector<std::string> tensor_names() const;
  nlohmann::json to_json() const;
  // A FormatError naming `source` when a field is missing or unknown.
  static Head from_json(const nlohmann::json& json, const std::string& source);
};

struct HeadOutput {
  std::int64_t classes = 0;
  std::vector<float> logits;  // [N, classes]; sed: the clip logits
  // sed only (empty otherwise), T' the feature map's time steps:
  std::int64_t frames = 0;
  std::vector<float> clip_probabilities;   // [N, classes]
  std::vector<float> frame_probabilities;  // [N, T', classes]
  std::vector<float> attention;            // [N, classes, T'], sums to 1 over time
};

// A Head with its arrays looked up once and their sizes checked against the feature map's
// channels (a ModelError naming the array that does not fit).
class HeadRunner {
 public:
  HeadRunner(const Head& head, const TensorLookup& tensors, std::int64_t channels);

  std::int64_t classes() const { return classes_; }
  bool frame_outputs() const { return kind_ == HeadKind::sed; }
  // features [N, C, F', T'] (NCHW, contiguous) → the head's outputs; sgemm on the calling
  // thread's OpenMP thread count.
  HeadOutput run(std::span<const float> features, const Shape4& shape) const;

 private:
  // in [windows · rows_per_window, inputs] → out = in weightᵀ + bias, [same rows, outputs].
  void linear(std::span<const float> in, std::int64_t windows, std::int64_t rows_per_window,
              std::span<const float> weight, std::span<const float> bias, std::int64_t inputs,
              std::int64_t outputs, float* out) const;
  HeadOutput run_sed(std::span<const float> features, const Shape4& shape) const;

  HeadKind kind_;
  std::int64_t channels_ = 0, classes_ = 0;
  float p_ = 1, gem_eps_ = 0;
  std::span<const float> fc_weight_, fc_bias_, fc1_weight_, fc1_bias_, att_weight_, att_bias_,
      cla_weight_, cla_bias_;
};

}  // namespace chorus::graph

template <>
struct chorus::core::EnumNames<chorus::graph::HeadKind> {
  static constexpr std::array<std::string_view, 3> names{"linear", "gem", "sed"};
};
