#include "runtime/int8_plan.hpp"

#include <fmt/format.h>
#include <torch/nn/modules/conv.h>
#include <torch/types.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "core/error.hpp"
#include "runtime/precision.hpp"

namespace chorus::runtime {
namespace {

using models::GraphValue;
using models::PostOp;

// The lowering's operations and who reads each value, without computing anything.
class TopologyRecorder final : public models::GraphBuilder {
 public:
  enum class Role { input, accumulate, scale };
  struct Use {
    int operation;
    Role role;
  };
  struct Operation {
    int convolution = -1;      // ordinal, for convolutions
    bool accumulates = false;  // a convolution that sums a residual
    bool scales_channels = false;
  };

  explicit TopologyRecorder(const models::Int8Calibration& calibration)
      : calibration_(calibration) {}

  GraphValue input() { return make(); }

  GraphValue conv(GraphValue x, const torch::nn::Conv2dImpl& conv, PostOp /*post*/,
                  std::optional<GraphValue> accumulate) override {
    const int ordinal = convolutions_++;
    const auto index = static_cast<std::size_t>(ordinal);
    const auto& o = conv.options;
    CHORUS_CHECK_AS(ModelError,
                    index < calibration_.convolutions.size() &&
                        calibration_.convolutions[index].in_channels == o.in_channels() &&
                        calibration_.convolutions[index].out_channels == o.out_channels(),
                    "the int8 calibration does not fit this network (convolution {}: {} → {} "
                    "channels, calibrated {}); run chorus calibrate on this checkpoint again",
                    ordinal, o.in_channels(), o.out_channels(),
                    index < calibration_.convolutions.size()
                        ? fmt::format("{} → {}", calibration_.convolutions[index].in_channels,
                                      calibration_.convolutions[index].out_channels)
                        : std::string("none"));
    use(x, Role::input);
    if (accumulate) use(*accumulate, Role::accumulate);
    return add({.convolution = ordinal, .accumulates = accumulate.has_value()});
  }
  GraphValue global_average(GraphValue x) override {
    use(x, Role::input);
    return add({});
  }
  GraphValue scale_channels(GraphValue x, GraphValue scale) override {
    use(x, Role::input);
    use(scale, Role::scale);
    return add({.scales_channels = true});
  }
  GraphValue max_pool(GraphValue x, int /*kernel*/, int /*stride*/, int /*padding*/) override {
    use(x, Role::input);
    return add({});
  }

  int convolutions() const { return convolutions_; }
  const std::vector<Operation>& operations() const { return operations_; }
  // The uses of operation k's output.
  const std::vector<Use>& uses_of_output(int k) const {
    return uses_[static_cast<std::size_t>(k + 1)];  // value 0 is the network's input
  }

 private:
  GraphValue make() {
    uses_.emplace_back();
    return {static_cast<int>(uses_.size()) - 1};
  }
  GraphValue add(Operation operation) {
    operations_.push_back(operation);
    return make();
  }
  void use(GraphValue v, Role role) {
    uses_[static_cast<std::size_t>(v.id)].push_back({static_cast<int>(operations_.size()), role});
  }

  const models::Int8Calibration& calibration_;
  int convolutions_ = 0;
  std::vector<Operation> operations_;
  std::vector<std::vector<Use>> uses_;  // by value id
};

}  // namespace

Int8Quantization input_quantization(const models::Int8Calibration::Convolution& calibration) {
  // The range always holds 0, which must be exact: it is the convolution's zero padding.
  const float lowest = std::min(calibration.input_min, 0.0f);
  const float highest = std::max(calibration.input_max, 0.0f);
  Int8Quantization q;
  q.scale = highest > lowest ? (highest - lowest) / 255.0f : 1.0f;
  q.zero_point = static_cast<std::int32_t>(std::clamp(std::round(-lowest / q.scale), 0.0f, 255.0f));
  return q;
}

int weight_levels() { return has_vnni() ? 127 : 63; }

std::vector<float> weight_scales(const torch::Tensor& weight, int levels) {
  const torch::Tensor max_abs =
      weight.detach().to(torch::kFloat32).abs().flatten(1).amax(1).contiguous();
  std::vector<float> scales(max_abs.data_ptr<float>(), max_abs.data_ptr<float>() + max_abs.numel());
  for (float& s : scales) s = s > 0 ? s / static_cast<float>(levels) : 1.0f;
  return scales;
}

Int8Plan plan_int8(const models::NetworkImpl& network, const models::Int8Calibration& calibration) {
  TopologyRecorder topology(calibration);
  static_cast<void>(network.backbone().lower_features(topology, topology.input()));
  CHORUS_CHECK_AS(
      ModelError,
      static_cast<std::size_t>(topology.convolutions()) == calibration.convolutions.size(),
      "the int8 calibration holds {} convolutions and this network {}; run chorus "
      "calibrate on this checkpoint again",
      calibration.convolutions.size(), topology.convolutions());
  Int8Plan plan;
  for (const auto& c : calibration.convolutions)
    plan.inputs.push_back(c.fallback == models::Int8Fallback::none
                              ? std::optional(input_quantization(c))
                              : std::nullopt);
  const auto& operations = topology.operations();
  plan.writes_input_of.assign(operations.size(), -1);
  for (std::size_t k = 0; k < operations.size(); ++k) {
    const auto& uses = topology.uses_of_output(static_cast<int>(k));
    if (uses.size() != 1 || uses[0].role != TopologyRecorder::Role::input) continue;
    const auto& reader = operations[static_cast<std::size_t>(uses[0].operation)];
    if (reader.convolution < 0 || !plan.inputs[static_cast<std::size_t>(reader.convolution)])
      continue;
    // A convolution that sums a residual writes float: the residual it adds is float.
    const auto& writer = operations[k];
    // A float convolution has no int8 output either (oneDNN has no such kernel).
    const bool int8_convolution =
        writer.convolution >= 0 && plan.inputs[static_cast<std::size_t>(writer.convolution)];
    if ((int8_convolution && !writer.accumulates) || writer.scales_channels)
      plan.writes_input_of[k] = reader.convolution;
  }
  return plan;
}

}  // namespace chorus::runtime
