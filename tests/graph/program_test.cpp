// A Program records what a lowering tells a GraphBuilder and, written to JSON and read back,
// replays it into an inference graph that computes exactly what the lowering's own graph
// computes; a damaged program is refused naming its file. Without LibTorch: the arrays are plain
// vectors.

#include "graph/program.hpp"

#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "graph/folded_convolution.hpp"
#include "graph/inference_graph.hpp"

namespace chorus {
namespace {

using graph::Convolution;
using graph::GraphBuilder;
using graph::GraphValue;
using graph::PostOp;

// Named arrays of random values (variances positive).
struct Arrays {
  std::map<std::string, std::vector<float>> values;

  std::span<const float> make(const std::string& name, std::size_t size, float low, float high) {
    static std::mt19937 random(11);
    std::uniform_real_distribution<float> uniform(low, high);
    std::vector<float>& v = values[name];
    v.resize(size);
    for (float& x : v) x = uniform(random);
    return v;
  }
  std::span<const float> get(const std::string& name) const {
    const auto it = values.find(name);
    if (it == values.end()) throw ModelError("no array " + name);
    return it->second;
  }
  std::string name_of(const float* data) const {
    for (const auto& [name, v] : values)
      if (v.data() == data) return name;
    throw ModelError("an array without a name");
  }
};

// conv + norm + SiLU → squeeze-excitation → max pool → 1×1 conv summed into its input + ReLU.
struct SmallNetwork {
  Convolution stem, squeeze, excite, mix;

  explicit SmallNetwork(Arrays& a) {
    stem = {.in_channels = 3, .out_channels = 4, .kernel = {3, 3}, .padding = {1, 1}};
    stem.weight = a.make("stem.weight", 4 * 3 * 9, -0.5f, 0.5f);
    stem.norm = graph::BatchNorm{a.make("bn.weight", 4, 0.5f, 1.5f), a.make("bn.bias", 4, -1, 1),
                                 a.make("bn.mean", 4, -1, 1), a.make("bn.var", 4, 0.5f, 2), 1e-3};
    squeeze = {.in_channels = 4, .out_channels = 2};
    squeeze.weight = a.make("se.fc1.weight", 8, -1, 1);
    squeeze.bias = a.make("se.fc1.bias", 2, -1, 1);
    excite = {.in_channels = 2, .out_channels = 4};
    excite.weight = a.make("se.fc2.weight", 8, -1, 1);
    excite.bias = a.make("se.fc2.bias", 4, -1, 1);
    mix = {.in_channels = 4, .out_channels = 4};
    mix.weight = a.make("mix.weight", 16, -0.5f, 0.5f);
  }

  GraphValue lower(GraphBuilder& g, GraphValue x) const {
    const GraphValue a = g.conv(x, stem, PostOp::silu);
    const GraphValue s =
        g.conv(g.conv(g.global_average(a), squeeze, PostOp::relu), excite, PostOp::sigmoid);
    const GraphValue pooled = g.max_pool(g.scale_channels(a, s), 3, 2, 1);
    return g.conv(pooled, mix, PostOp::relu, pooled);
  }
};

std::vector<float> run(graph::InferenceGraph& graph, const std::vector<float>& input) {
  std::vector<float> out(
      static_cast<std::size_t>(graph.output_shape()[0] * graph.output_shape()[1] *
                               graph.output_shape()[2] * graph.output_shape()[3]));
  graph.run(input.data(), out.data());
  return out;
}

TEST(Program, ReplaysWhatTheLoweringDescribed) {
  Arrays arrays;
  const SmallNetwork network(arrays);
  graph::ProgramRecorder recorder([&](const float* data) { return arrays.name_of(data); });
  const graph::Program recorded = recorder.finish(network.lower(recorder, recorder.input()));
  ASSERT_EQ(recorded.steps.size(), 7u);
  EXPECT_EQ(recorded.output, 7);
  EXPECT_EQ(recorded.output_channels(), 4);
  EXPECT_EQ(recorded.convolutions[0].norm->running_var, "bn.var");
  EXPECT_TRUE(recorded.convolutions[3].bias.empty());
  EXPECT_FALSE(recorded.has_depthwise_convolution());
  graph::Program grouped = recorded;
  grouped.convolutions[3].shape.groups = 4;  // mix, 4 → 4: one input channel per group
  EXPECT_TRUE(grouped.has_depthwise_convolution());
  grouped.convolutions[3].shape.groups = 2;  // two per group: grouped, not depthwise
  EXPECT_FALSE(grouped.has_depthwise_convolution());

  // Through its JSON text, as a checkpoint stores it.
  const std::string text = recorded.to_json().dump();
  const graph::Program program = graph::Program::from_json(nlohmann::json::parse(text), "m.ckpt");
  EXPECT_EQ(program.to_json().dump(), text);

  const graph::Shape4 shape{2, 3, 9, 13};
  std::vector<float> input(2 * 3 * 9 * 13);
  std::mt19937 random(5);
  std::normal_distribution<float> normal;
  for (float& x : input) x = normal(random);
  graph::InferenceGraph direct(shape), replayed(shape);
  direct.finish(network.lower(direct, direct.input()));
  replayed.finish(program.replay(replayed, replayed.input(),
                                 [&](const std::string& name) { return arrays.get(name); }));
  ASSERT_EQ(replayed.output_shape(), (graph::Shape4{2, 4, 5, 7}));
  // The same operations on the same arrays: the same primitives, the same bits.
  EXPECT_EQ(run(replayed, input), run(direct, input));
}

TEST(Program, RefusesADamagedProgramNamingItsFile) {
  Arrays arrays;
  const SmallNetwork network(arrays);
  graph::ProgramRecorder recorder([&](const float* data) { return arrays.name_of(data); });
  const nlohmann::json good = recorder.finish(network.lower(recorder, recorder.input())).to_json();
  const auto refused = [](const nlohmann::json& j, const std::string& what) {
    try {
      static_cast<void>(graph::Program::from_json(j, "m.ckpt"));
      ADD_FAILURE() << what << ": accepted";
    } catch (const FormatError& e) {
      EXPECT_NE(std::string(e.what()).find("m.ckpt"), std::string::npos) << e.what();
    }
  };
  nlohmann::json later = good;
  later["steps"][1]["input"] = 5;  // a value no earlier step made
  refused(later, "a step reading a later value");
  nlohmann::json unknown = good;
  unknown["steps"][0]["op"] = "transpose";
  refused(unknown, "an unknown operation");
  nlohmann::json missing = good;
  missing["steps"][4].erase("scale");
  refused(missing, "a product without its scale");
  nlohmann::json convolution = good;
  convolution["steps"][0]["convolution"] = 9;
  refused(convolution, "a convolution that is not listed");
  nlohmann::json output = good;
  output["output"] = 8;
  refused(output, "an output no step makes");
  nlohmann::json no_steps = good;
  no_steps.erase("steps");
  refused(no_steps, "no steps");
  nlohmann::json number = good;
  number["steps"] = 3;
  refused(number, "steps that are a number");
  nlohmann::json kernel = good;
  kernel["convolutions"][0]["kernel"] = "3x3";
  refused(kernel, "a kernel that is a string");
  refused(nlohmann::json::array({1, 2}), "an array");
  nlohmann::json residual = good;
  residual["steps"][6]["residual"] = -5;
  refused(residual, "a residual that is no value");
  nlohmann::json consumed = good;
  consumed["steps"][5]["input"] = 1;  // the stem's output, which the SE product consumed
  refused(consumed, "a step reading a consumed value");
}

TEST(Program, ChecksAConvolutionsNumbersBeforeItsArrays) {
  // A stored description may hold any numbers: sizes whose product overflows, zero groups.
  const graph::Convolution huge{.in_channels = std::int64_t{1} << 40,
                                .out_channels = std::int64_t{1} << 40};
  EXPECT_THROW(graph::check_shape(huge), ModelError);
  const graph::Convolution no_groups{.in_channels = 4, .out_channels = 4, .groups = 0};
  EXPECT_THROW(graph::check_shape(no_groups), ModelError);
  const std::vector<float> w(4 * 4 * 9);
  graph::Convolution fits{.in_channels = 4, .out_channels = 4, .kernel = {3, 3}, .weight = w};
  EXPECT_NO_THROW(graph::check_shape(fits));
  fits.kernel = {3, 2};
  EXPECT_THROW(graph::check_shape(fits), ModelError);
}

}  // namespace
}  // namespace chorus
