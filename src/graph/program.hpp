#pragma once
// A network's inference pass as data (a "program"): the graph operations its lowering described
// (graph_builder.hpp), in order, with every convolution's and norm's arrays named as in the
// network's state dict. It is recorded once from a LibTorch network (ProgramRecorder), stored in
// the network's checkpoint as JSON, and replayed into an InferenceGraph for each input shape, on
// whatever holds the named arrays: the LibTorch network's own parameters, or the checkpoint's
// tensors read without LibTorch.
//
// Values are numbered as the operations make them: 0 is the network's input, k + 1 the output of
// step k.

#include <cstdint>
#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/enum_names.hpp"
#include "graph/graph_builder.hpp"

namespace chorus::graph {

// A float32 array by its state-dict name; a ModelError (or FormatError) for a name it lacks.
using TensorLookup = std::function<std::span<const float>(const std::string& name)>;

// A convolution whose arrays are named rather than held.
struct NamedConvolution {
  struct Norm {
    std::string weight, bias;  // empty: the norm has no affine parameters
    std::string running_mean, running_var;
    double eps = 1e-5;
  };
  Convolution shape;  // channels, groups, kernel, stride, padding, dilation; no arrays
  std::string weight;
  std::string bias;  // empty: none
  std::optional<Norm> norm;

  // The convolution with its arrays from `tensors`.
  Convolution resolve(const TensorLookup& tensors) const;
};

enum class StepKind { conv, global_average, scale_channels, max_pool };

struct ProgramStep {
  StepKind kind = StepKind::conv;
  int input = 0;               // a value
  int other = -1;              // conv: the residual it sums (−1: none); scale_channels: the scale
  PostOp post = PostOp::none;  // conv
  int convolution = -1;        // conv: index into Program::convolutions
  int kernel = 0, stride = 0, padding = 0;  // max_pool
};

struct Program {
  std::vector<ProgramStep> steps;
  std::vector<NamedConvolution> convolutions;
  int output = 0;  // the value the network's features are

  // The operations onto `builder` from its value `input`; the output value.
  GraphValue replay(GraphBuilder& builder, GraphValue input, const TensorLookup& tensors) const;
  // The names of every array it reads.
  std::vector<std::string> tensor_names() const;
  // The channels of its output (the feature map): a ModelError when no convolution makes it.
  std::int64_t output_channels() const;
  // Whether a convolution takes one input channel per group (depthwise: EfficientNet's).
  bool has_depthwise_convolution() const;

  nlohmann::json to_json() const;
  // A FormatError naming `source` when a step is unknown or reads a value not made before it.
  static Program from_json(const nlohmann::json& json, const std::string& source);
};

// A GraphBuilder that writes down what it is told. `name_of` names an array by where it lives
// (the first element's address), a ModelError when it cannot.
class ProgramRecorder final : public GraphBuilder {
 public:
  explicit ProgramRecorder(std::function<std::string(const float* data)> name_of);

  GraphValue input() const { return {0}; }
  GraphValue conv(GraphValue x, const Convolution& conv, PostOp post = PostOp::none,
                  std::optional<GraphValue> accumulate = std::nullopt) override;
  GraphValue global_average(GraphValue x) override;
  GraphValue scale_channels(GraphValue x, GraphValue scale) override;
  GraphValue max_pool(GraphValue x, int kernel, int stride, int padding) override;

  Program finish(GraphValue output);

 private:
  GraphValue add(ProgramStep step);
  std::string name(std::span<const float> array) const;

  std::function<std::string(const float*)> name_of_;
  Program program_;
};

}  // namespace chorus::graph

template <>
struct chorus::core::EnumNames<chorus::graph::StepKind> {
  static constexpr std::array<std::string_view, 4> names{"conv", "global_average", "scale_channels",
                                                         "max_pool"};
};
template <>
struct chorus::core::EnumNames<chorus::graph::PostOp> {
  static constexpr std::array<std::string_view, 4> names{"none", "relu", "silu", "sigmoid"};
};
