#include "graph/program.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "core/error.hpp"

namespace chorus::graph {
namespace {

using nlohmann::json;

json pair_json(const std::array<std::int64_t, 2>& a) { return json::array({a[0], a[1]}); }

std::array<std::int64_t, 2> pair_from(const json& j) {
  return {j.at(0).get<std::int64_t>(), j.at(1).get<std::int64_t>()};
}

template <typename E>
E enum_from(const json& j, const char* what, const std::string& source) {
  const std::string name = j.get<std::string>();
  const auto parsed = core::enum_from_name<E>(name);
  CHORUS_CHECK_AS(FormatError, parsed.has_value(),
                  "{}: the inference program names an unknown {} '{}'", source, what, name);
  return *parsed;
}

json convolution_json(const NamedConvolution& c) {
  json j{{"in_channels", c.shape.in_channels},
         {"out_channels", c.shape.out_channels},
         {"groups", c.shape.groups},
         {"kernel", pair_json(c.shape.kernel)},
         {"stride", pair_json(c.shape.stride)},
         {"padding", pair_json(c.shape.padding)},
         {"dilation", pair_json(c.shape.dilation)},
         {"weight", c.weight},
         {"bias", c.bias}};
  if (c.norm)
    j["norm"] = {{"weight", c.norm->weight},
                 {"bias", c.norm->bias},
                 {"running_mean", c.norm->running_mean},
                 {"running_var", c.norm->running_var},
                 {"eps", c.norm->eps}};
  return j;
}

NamedConvolution convolution_from(const json& j) {
  NamedConvolution c;
  c.shape.in_channels = j.at("in_channels").get<std::int64_t>();
  c.shape.out_channels = j.at("out_channels").get<std::int64_t>();
  c.shape.groups = j.at("groups").get<std::int64_t>();
  c.shape.kernel = pair_from(j.at("kernel"));
  c.shape.stride = pair_from(j.at("stride"));
  c.shape.padding = pair_from(j.at("padding"));
  c.shape.dilation = pair_from(j.at("dilation"));
  c.weight = j.at("weight").get<std::string>();
  c.bias = j.at("bias").get<std::string>();
  if (j.contains("norm")) {
    const json& n = j.at("norm");
    c.norm =
        NamedConvolution::Norm{n.at("weight").get<std::string>(), n.at("bias").get<std::string>(),
                               n.at("running_mean").get<std::string>(),
                               n.at("running_var").get<std::string>(), n.at("eps").get<double>()};
  }
  return c;
}

}  // namespace

Convolution NamedConvolution::resolve(const TensorLookup& tensors) const {
  Convolution c = shape;
  c.weight = tensors(weight);
  if (!bias.empty()) c.bias = tensors(bias);
  if (norm) {
    BatchNorm n;
    if (!norm->weight.empty()) n.weight = tensors(norm->weight);
    if (!norm->bias.empty()) n.bias = tensors(norm->bias);
    n.running_mean = tensors(norm->running_mean);
    n.running_var = tensors(norm->running_var);
    n.eps = norm->eps;
    c.norm = n;
  }
  return c;
}

GraphValue Program::replay(GraphBuilder& builder, GraphValue input,
                           const TensorLookup& tensors) const {
  std::vector<GraphValue> values{input};
  values.reserve(steps.size() + 1);
  const auto value = [&](int id) { return values[static_cast<std::size_t>(id)]; };
  for (const ProgramStep& step : steps) {
    const GraphValue x = value(step.input);
    switch (step.kind) {
      case StepKind::conv:
        values.push_back(builder.conv(
            x, convolutions[static_cast<std::size_t>(step.convolution)].resolve(tensors), step.post,
            step.other >= 0 ? std::optional(value(step.other)) : std::nullopt));
        break;
      case StepKind::global_average:
        values.push_back(builder.global_average(x));
        break;
      case StepKind::scale_channels:
        values.push_back(builder.scale_channels(x, value(step.other)));
        break;
      case StepKind::max_pool:
        values.push_back(builder.max_pool(x, step.kernel, step.stride, step.padding));
        break;
    }
  }
  return value(output);
}

std::vector<std::string> Program::tensor_names() const {
  std::vector<std::string> names;
  const auto add = [&](const std::string& name) {
    if (!name.empty()) names.push_back(name);
  };
  for (const NamedConvolution& c : convolutions) {
    add(c.weight);
    add(c.bias);
    if (c.norm) {
      add(c.norm->weight);
      add(c.norm->bias);
      add(c.norm->running_mean);
      add(c.norm->running_var);
    }
  }
  return names;
}

std::int64_t Program::output_channels() const {
  std::vector<std::int64_t> channels{0};  // the input's are not known here
  for (const ProgramStep& step : steps)
    channels.push_back(
        step.kind == StepKind::conv
            ? convolutions[static_cast<std::size_t>(step.convolution)].shape.out_channels
            : channels[static_cast<std::size_t>(step.input)]);
  const std::int64_t out = channels[static_cast<std::size_t>(output)];
  CHORUS_CHECK_AS(ModelError, out > 0, "an inference program whose output no convolution makes");
  return out;
}

bool Program::has_depthwise_convolution() const {
  return std::any_of(convolutions.begin(), convolutions.end(), [](const NamedConvolution& c) {
    return c.shape.groups > 1 && c.shape.groups == c.shape.in_channels;
  });
}

json Program::to_json() const {
  json list = json::array();
  for (const ProgramStep& s : steps) {
    json j{{"op", core::enum_name(s.kind)}, {"input", s.input}};
    switch (s.kind) {
      case StepKind::conv:
        j["convolution"] = s.convolution;
        j["post"] = core::enum_name(s.post);
        if (s.other >= 0) j["residual"] = s.other;
        break;
      case StepKind::global_average:
        break;
      case StepKind::scale_channels:
        j["scale"] = s.other;
        break;
      case StepKind::max_pool:
        j["kernel"] = s.kernel;
        j["stride"] = s.stride;
        j["padding"] = s.padding;
        break;
    }
    list.push_back(std::move(j));
  }
  json convs = json::array();
  for (const NamedConvolution& c : convolutions) convs.push_back(convolution_json(c));
  return {{"steps", std::move(list)}, {"convolutions", std::move(convs)}, {"output", output}};
}

Program Program::from_json(const json& j, const std::string& source) {
  Program program;
  try {
    for (const json& c : j.at("convolutions")) program.convolutions.push_back(convolution_from(c));
    for (const json& s : j.at("steps")) {
      ProgramStep step;
      step.kind = enum_from<StepKind>(s.at("op"), "operation", source);
      step.input = s.at("input").get<int>();
      switch (step.kind) {
        case StepKind::conv:
          step.convolution = s.at("convolution").get<int>();
          step.post = enum_from<PostOp>(s.at("post"), "activation", source);
          step.other = s.value("residual", -1);
          break;
        case StepKind::global_average:
          break;
        case StepKind::scale_channels:
          step.other = s.at("scale").get<int>();
          break;
        case StepKind::max_pool:
          step.kernel = s.at("kernel").get<int>();
          step.stride = s.at("stride").get<int>();
          step.padding = s.at("padding").get<int>();
          break;
      }
      program.steps.push_back(step);
    }
    program.output = j.at("output").get<int>();
  } catch (const json::exception& e) {
    throw FormatError(fmt::format("{}: the inference program is damaged: {}", source, e.what()));
  }
  // Every step reads values made before it and not consumed by an earlier step (a residual sum
  // and a channel product compute in their operand's buffer); the output is one of them.
  std::vector<bool> consumed(program.steps.size() + 1, false);
  const auto readable = [&](int v, int made) {
    return v >= 0 && v < made && !consumed[static_cast<std::size_t>(v)];
  };
  for (std::size_t k = 0; k < program.steps.size(); ++k) {
    const ProgramStep& s = program.steps[k];
    const int made = static_cast<int>(k) + 1;  // values 0 … k exist before step k
    const bool takes_other =
        s.kind == StepKind::scale_channels || (s.kind == StepKind::conv && s.other != -1);
    const bool reads_made =
        readable(s.input, made) && (takes_other ? readable(s.other, made) : s.other == -1);
    const bool convolution_known =
        s.kind != StepKind::conv || (s.convolution >= 0 && static_cast<std::size_t>(s.convolution) <
                                                               program.convolutions.size());
    const bool pool_valid =
        s.kind != StepKind::max_pool || (s.kernel > 0 && s.stride > 0 && s.padding >= 0);
    CHORUS_CHECK_AS(FormatError, reads_made && convolution_known && pool_valid,
                    "{}: step {} ({}) of the inference program reads what no earlier step made, "
                    "or what an earlier step consumed",
                    source, k, core::enum_name(s.kind));
    if (s.kind == StepKind::conv && s.other != -1)
      consumed[static_cast<std::size_t>(s.other)] = true;
    if (s.kind == StepKind::scale_channels) consumed[static_cast<std::size_t>(s.input)] = true;
  }
  CHORUS_CHECK_AS(FormatError, readable(program.output, static_cast<int>(program.steps.size()) + 1),
                  "{}: the inference program's output {} is not one of its values", source,
                  program.output);
  return program;
}

ProgramRecorder::ProgramRecorder(std::function<std::string(const float* data)> name_of)
    : name_of_(std::move(name_of)) {}

std::string ProgramRecorder::name(std::span<const float> array) const {
  return array.empty() ? std::string() : name_of_(array.data());
}

GraphValue ProgramRecorder::add(ProgramStep step) {
  program_.steps.push_back(step);
  return {static_cast<int>(program_.steps.size())};
}

GraphValue ProgramRecorder::conv(GraphValue x, const Convolution& conv, PostOp post,
                                 std::optional<GraphValue> accumulate) {
  NamedConvolution named;
  named.shape = conv;
  named.shape.weight = {};
  named.shape.bias = {};
  named.shape.norm.reset();
  named.weight = name(conv.weight);
  named.bias = name(conv.bias);
  if (conv.norm)
    named.norm = NamedConvolution::Norm{name(conv.norm->weight), name(conv.norm->bias),
                                        name(conv.norm->running_mean), name(conv.norm->running_var),
                                        conv.norm->eps};
  program_.convolutions.push_back(std::move(named));
  return add({.kind = StepKind::conv,
              .input = x.id,
              .other = accumulate ? accumulate->id : -1,
              .post = post,
              .convolution = static_cast<int>(program_.convolutions.size()) - 1});
}

GraphValue ProgramRecorder::global_average(GraphValue x) {
  return add({.kind = StepKind::global_average, .input = x.id});
}

GraphValue ProgramRecorder::scale_channels(GraphValue x, GraphValue scale) {
  return add({.kind = StepKind::scale_channels, .input = x.id, .other = scale.id});
}

GraphValue ProgramRecorder::max_pool(GraphValue x, int kernel, int stride, int padding) {
  return add({.kind = StepKind::max_pool,
              .input = x.id,
              .kernel = kernel,
              .stride = stride,
              .padding = padding});
}

Program ProgramRecorder::finish(GraphValue output) {
  program_.output = output.id;
  return std::move(program_);
}

}  // namespace chorus::graph
