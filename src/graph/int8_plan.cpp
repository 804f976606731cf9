#include "graph/int8_plan.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "core/error.hpp"
#include "graph/precision.hpp"

namespace chorus::graph {
namespace {

// The lowering's operations and who reads each value, without computing anything.
class TopologyRecorder final : public GraphBuilder {
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

  explicit TopologyRecorder(const Int8Calibration& calibration) : calibration_(calibration) {}

  GraphValue input() { return make(); }

  GraphValue conv(GraphValue x, const Convolution& conv, PostOp /*post*/,
                  std::optional<GraphValue> accumulate) override {
    const int ordinal = convolutions_++;
    const auto index = static_cast<std::size_t>(ordinal);
    CHORUS_CHECK_AS(ModelError,
                    index < calibration_.convolutions.size() &&
                        calibration_.convolutions[index].in_channels == conv.in_channels &&
                        calibration_.convolutions[index].out_channels == conv.out_channels,
                    "the int8 calibration does not fit this network (convolution {}: {} → {} "
                    "channels, calibrated {}); run chorus calibrate on this checkpoint again",
                    ordinal, conv.in_channels, conv.out_channels,
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

  const Int8Calibration& calibration_;
  int convolutions_ = 0;
  std::vector<Operation> operations_;
  std::vector<std::vector<Use>> uses_;  // by value id
};

}  // namespace

Int8Quantization input_quantization(const Int8Calibration::Convolution& calibration) {
  // The range always holds 0, which must be exact: it is the convolution's zero padding.
  const float lowest = std::min(calibration.input_min, 0.0f);
  const float highest = std::max(calibration.input_max, 0.0f);
  Int8Quantization q;
  q.scale = highest > lowest ? (highest - lowest) / 255.0f : 1.0f;
  q.zero_point = static_cast<std::int32_t>(std::clamp(std::round(-lowest / q.scale), 0.0f, 255.0f));
  return q;
}

int weight_levels() { return has_vnni() ? kWeightLevelsVnni : kWeightLevelsWithoutVnni; }

std::vector<float> weight_scales(std::span<const float> weight, std::int64_t out_channels,
                                 int levels) {
  CHORUS_DCHECK(out_channels > 0 && weight.size() % static_cast<std::size_t>(out_channels) == 0);
  const std::size_t per_channel = weight.size() / static_cast<std::size_t>(out_channels);
  std::vector<float> scales(static_cast<std::size_t>(out_channels));
  for (std::size_t c = 0; c < scales.size(); ++c) {
    float max_abs = 0;
    for (std::size_t i = c * per_channel; i < (c + 1) * per_channel; ++i)
      max_abs = std::max(max_abs, std::abs(weight[i]));
    scales[c] = max_abs > 0 ? max_abs / static_cast<float>(levels) : 1.0f;
  }
  return scales;
}

Int8Plan plan_int8(const Lowering& lowering, const Int8Calibration& calibration) {
  TopologyRecorder topology(calibration);
  static_cast<void>(lowering(topology, topology.input()));
  CHORUS_CHECK_AS(
      ModelError,
      static_cast<std::size_t>(topology.convolutions()) == calibration.convolutions.size(),
      "the int8 calibration holds {} convolutions and this network {}; run chorus "
      "calibrate on this checkpoint again",
      calibration.convolutions.size(), topology.convolutions());
  Int8Plan plan;
  for (const auto& c : calibration.convolutions)
    plan.inputs.push_back(c.fallback == Int8Fallback::none ? std::optional(input_quantization(c))
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

}  // namespace chorus::graph
