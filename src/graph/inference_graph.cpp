#include "graph/inference_graph.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <new>
#include <oneapi/dnnl/dnnl.hpp>
#include <string>
#include <tuple>
#include <vector>

#include "core/error.hpp"
#include "graph/folded_convolution.hpp"
#include "graph/int8_plan.hpp"
#include "graph/shared_weights.hpp"
#include "graph/silu.hpp"

namespace chorus::graph {
namespace {

using dnnl::memory;
using Tag = memory::format_tag;
using DataType = memory::data_type;

dnnl::engine& cpu_engine() {
  static dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  return engine;
}

// Every primitive gets its scratch memory from the plan (one buffer the steps take turns with),
// not from oneDNN's per-thread global scratchpad: graphs running on different threads then
// share nothing but their read-only weights.
dnnl::primitive_attr plan_attr(const dnnl::post_ops& ops = {}) {
  dnnl::primitive_attr attr;
  attr.set_post_ops(ops);
  attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
  return attr;
}

struct FreeDeleter {
  void operator()(void* p) const { std::free(p); }
};
using Buffer = std::unique_ptr<std::byte, FreeDeleter>;

Buffer allocate(std::size_t bytes) {
  constexpr std::size_t kAlignment = 64;  // a cache line, what oneDNN's kernels assume
  const std::size_t rounded =
      std::max<std::size_t>(kAlignment, (bytes + kAlignment - 1) / kAlignment * kAlignment);
  Buffer buffer(static_cast<std::byte*>(std::aligned_alloc(kAlignment, rounded)));
  if (!buffer) throw std::bad_alloc();
  return buffer;
}

Shape4 shape_of(const memory::desc& desc) {
  const memory::dims dims = desc.dims();
  CHORUS_DCHECK(dims.size() == 4);
  return {dims[0], dims[1], dims[2], dims[3]};
}

std::string describe(const Shape4& s) { return fmt::format("{}", fmt::join(s, " x ")); }

// The weights of a 1 × 1 convolution whose input is a squeeze-excitation product, times that
// product's channel scale: W · (s ⊙ x) = (W · diag(s)) · x, so the product is never computed
// over the activations. Rewritten by each pass (the scale is the window's) into the layout the
// convolution's kernel reads.
struct ScaledWeights {
  std::vector<float> weight;  // folded, [out, in]
  std::vector<float> scaled;  // the same times the scale, converted by `reorder`
  std::vector<float> scale;   // this pass's, as float32
  memory plain, target;
  dnnl::reorder reorder;
};
// W · diag(s) into the layout of the convolution reading it: s is the pass's squeeze-excitation
// scale (float32, or bf16: the upper half of a float).
void scale_weights(ScaledWeights& w, const memory& scale, dnnl::stream& stream) {
  const std::size_t in = w.scale.size(), out = w.weight.size() / in;
  if (scale.get_desc().data_type() == DataType::bf16) {
    const auto* bits = static_cast<const std::uint16_t*>(scale.get_data_handle());
    for (std::size_t i = 0; i < in; ++i)
      w.scale[i] = std::bit_cast<float>(static_cast<std::uint32_t>(bits[i]) << 16);
  } else {
    std::copy_n(static_cast<const float*>(scale.get_data_handle()), in, w.scale.begin());
  }
  for (std::size_t o = 0; o < out; ++o)
    for (std::size_t i = 0; i < in; ++i) w.scaled[o * in + i] = w.weight[o * in + i] * w.scale[i];
  w.reorder.execute(stream, w.plain, w.target);
}

}  // namespace

struct InferenceGraph::Impl {
  // A tensor: its layout and the storage (future buffer) it lives in. An in-place operation
  // makes a new value on the storage of the value it consumes.
  struct Value {
    memory::desc desc;
    int storage = -1;
    bool consumed = false;
    float scale = 0;  // of an int8 value: real ≈ scale · q
    // A squeeze-excitation product not yet computed: the value's storage holds the factor it
    // was made from, still to be multiplied by the channel scale `pending_scale`
    // (scale_channels), which a reader either folds into its weights or has multiplied in place
    // first (materialize).
    int pending_scale = -1;
  };
  // Bytes, the step that first writes it and the last step that touches it.
  struct Storage {
    std::size_t bytes = 0;
    int first_step = -1;
    int last_step = -1;
    std::size_t buffer = 0;  // index into buffers, after planning
  };
  // A oneDNN primitive, SiLU in place on its one value (DNNL_ARG_DST) by graph/silu.hpp, or a
  // convolution's weights scaled by a value (DNNL_ARG_SRC).
  enum class Kind { primitive, silu, scale_weights };
  struct Step {
    Kind kind = Kind::primitive;
    dnnl::primitive primitive;
    std::vector<std::pair<int, int>> value_args;        // (DNNL_ARG_…, value id)
    std::vector<std::pair<int, memory>> constant_args;  // weights and biases
    memory::desc scratchpad;
    std::unordered_map<int, memory> args;           // bound by finish()
    std::shared_ptr<ScaledWeights> scaled_weights;  // Kind::scale_weights
  };

  std::vector<Value> values;
  std::vector<Storage> storages;
  std::vector<Step> steps;
  std::vector<Buffer> buffers;
  std::vector<std::size_t> buffer_sizes;
  Buffer scratch;
  std::size_t scratch_bytes = 0;
  memory input_memory, output_memory;  // the caller's buffers, handles set by run()
  int input_value = -1, output_value = -1;
  bool finished = false;
  dnnl::stream stream{cpu_engine()};
  DataType activation = DataType::f32;  // of every value but the caller's input and output
  std::shared_ptr<SharedWeights> weights;
  // int8: the plan, and the builder calls so far (the plan's operation and convolution numbers).
  std::shared_ptr<const Int8Plan> int8;
  int next_operation = 0, next_convolution = 0;
  std::map<std::tuple<int, float, std::int32_t>, int> quantized_copies;  // (value, q) → value

  Value& value(int id) { return values[static_cast<std::size_t>(id)]; }
  Storage& storage(int value_id) {
    return storages[static_cast<std::size_t>(value(value_id).storage)];
  }
  bool is_external(const Value& v) const {
    return v.storage == values[static_cast<std::size_t>(input_value)].storage ||
           (output_value >= 0 &&
            v.storage == values[static_cast<std::size_t>(output_value)].storage);
  }

  // A value on a new storage, or on `storage_of`'s (in place).
  int new_value(const memory::desc& desc, int storage_of = -1) {
    int id = storage_of >= 0 ? value(storage_of).storage : static_cast<int>(storages.size());
    if (storage_of < 0) storages.push_back({desc.get_size(), static_cast<int>(steps.size())});
    values.push_back({desc, id});
    return static_cast<int>(values.size()) - 1;
  }

  // The value `v` for an operation to read: it must exist and not have been consumed.
  Value& use(GraphValue v) {
    CHORUS_DCHECK(!finished);
    CHORUS_DCHECK(v.id >= 0 && v.id < static_cast<int>(values.size()));
    CHORUS_DCHECK(!value(v.id).consumed);
    return value(v.id);
  }

  // Consumes `v`; the result lives where it lived.
  int in_place(int v, const memory::desc& desc) {
    value(v).consumed = true;
    return new_value(desc, v);
  }

  void add_step(const dnnl::primitive& primitive, const memory::desc& scratchpad,
                std::vector<std::pair<int, int>> value_args,
                std::vector<std::pair<int, memory>> constant_args = {}) {
    scratch_bytes = std::max(scratch_bytes, scratchpad.get_size());
    steps.push_back({Kind::primitive,
                     primitive,
                     std::move(value_args),
                     std::move(constant_args),
                     scratchpad,
                     {}});
  }

  // SiLU over `v`, in place.
  int silu(int v) {
    const memory::desc desc = value(v).desc;
    const int out = in_place(v, desc);
    steps.push_back({Kind::silu, {}, {{DNNL_ARG_DST, out}}, {}, {}, {}});
    return out;
  }

  // The squeeze-excitation product `v` waits for (Value::pending_scale), computed in place now:
  // its reader cannot fold the scale into weights.
  void materialize(int v) {
    Value& pending = value(v);
    if (pending.pending_scale < 0) return;
    const int scale = pending.pending_scale;
    pending.pending_scale = -1;
    const dnnl::binary::desc binary(dnnl::algorithm::binary_mul, value(v).desc, value(scale).desc,
                                    value(v).desc);
    const dnnl::binary::primitive_desc pd(binary, plan_attr(), cpu_engine());
    add_step(dnnl::binary(pd), pd.scratchpad_desc(),
             {{DNNL_ARG_SRC_0, v}, {DNNL_ARG_SRC_1, scale}, {DNNL_ARG_DST, v}});
  }

  // A copy of `v` in layout `desc`.
  int copy(int v, const memory::desc& desc) {
    const dnnl::reorder::primitive_desc pd(cpu_engine(), value(v).desc, cpu_engine(), desc,
                                           plan_attr());
    const int out = new_value(desc);
    add_step(dnnl::reorder(pd), pd.scratchpad_desc(), {{DNNL_ARG_FROM, v}, {DNNL_ARG_TO, out}});
    return out;
  }

  // `v` in layout `desc`: itself, or a reordered copy.
  int in_layout(int v, const memory::desc& desc) {
    return value(v).desc == desc ? v : copy(v, desc);
  }

  // `v` as u8 NHWC on `q`: itself where its producer wrote it so, otherwise a quantising copy
  // (made once per value and quantisation: ResNet's block input feeds two convolutions).
  int quantized(int v, const Int8Quantization& q) {
    const memory::desc desc(value(v).desc.dims(), DataType::u8, Tag::nhwc);
    if (value(v).desc == desc) {
      CHORUS_DCHECK(value(v).scale == q.scale);
      return v;
    }
    const auto key = std::tuple(v, q.scale, q.zero_point);
    if (const auto it = quantized_copies.find(key); it != quantized_copies.end()) return it->second;
    dnnl::primitive_attr attr = plan_attr();
    attr.set_output_scales(0, {1.0f / q.scale});
    if (q.zero_point != 0) attr.set_zero_points(DNNL_ARG_DST, 0, {q.zero_point});
    const dnnl::reorder::primitive_desc pd(cpu_engine(), value(v).desc, cpu_engine(), desc, attr);
    const int out = new_value(desc);
    value(out).scale = q.scale;
    add_step(dnnl::reorder(pd), pd.scratchpad_desc(), {{DNNL_ARG_FROM, v}, {DNNL_ARG_TO, out}});
    quantized_copies.emplace(key, out);
    return out;
  }

  // The quantisation this operation's output is written in, when the plan has one.
  std::optional<Int8Quantization> output_quantization(int operation) const {
    if (!int8) return std::nullopt;
    const int reader = int8->writes_input_of[static_cast<std::size_t>(operation)];
    return reader >= 0 ? int8->inputs[static_cast<std::size_t>(reader)] : std::nullopt;
  }

  void plan();
  void bind();
};

namespace {

// A convolution's weights in the layout and data type its kernel chose (pd.weights_desc()),
// converted from its folded float32 [O, I/groups, kH, kW], and its float32 bias. In int8 (`input`
// given, with the weights' per-channel `scales`) the weights are divided by their scales on the
// way and the bias by input scale × weight scale: oneDNN 2 adds the bias to the int32
// accumulator before the output scale.
SharedWeights::Constants convolution_constants(
    const Convolution& conv, const memory::dims& weight_dims,
    const dnnl::convolution_forward::primitive_desc& pd,
    const std::optional<Int8Quantization>& input = std::nullopt,
    const std::vector<float>& scales = {}) {
  FoldedConvolution folded = fold(conv);
  memory source_layout(
      {weight_dims, DataType::f32, weight_dims.size() == 5 ? Tag::goihw : Tag::oihw}, cpu_engine(),
      folded.weight.data());
  const auto out_channels = static_cast<std::size_t>(conv.out_channels);
  std::vector<float> divisors(out_channels, 1.0f);
  dnnl::primitive_attr attr;
  if (input) {
    std::vector<float> inverse(out_channels);
    for (std::size_t c = 0; c < out_channels; ++c) {
      inverse[c] = 1.0f / scales[c];
      divisors[c] = input->scale * scales[c];
    }
    attr.set_output_scales(weight_dims.size() == 5 ? 0b11 : 0b1, inverse);  // (g, o) or o
  }
  memory weights(pd.weights_desc(), cpu_engine());
  dnnl::stream stream(cpu_engine());
  dnnl::reorder(dnnl::reorder::primitive_desc(source_layout, weights, attr))
      .execute(stream, source_layout, weights);
  stream.wait();
  memory bias(pd.bias_desc(), cpu_engine());
  auto* b = static_cast<float*>(bias.get_data_handle());
  for (std::size_t c = 0; c < out_channels; ++c) b[c] = folded.bias[c] / divisors[c];
  return {weights, bias};
}

// The residual sum, the activation and, for an int8 output, its quantisation (× 1/scale + zero
// point; the conversion to u8 rounds and saturates).
dnnl::post_ops post_ops(PostOp post, bool sum,
                        const std::optional<Int8Quantization>& quantize = std::nullopt) {
  dnnl::post_ops ops;
  if (sum) ops.append_sum(1.0f);
  switch (post) {
    case PostOp::none:
      break;
    case PostOp::relu:
      ops.append_eltwise(1.0f, dnnl::algorithm::eltwise_relu, 0.0f, 0.0f);
      break;
    case PostOp::silu:
      ops.append_eltwise(1.0f, dnnl::algorithm::eltwise_swish, 1.0f, 0.0f);
      break;
    case PostOp::sigmoid:
      ops.append_eltwise(1.0f, dnnl::algorithm::eltwise_logistic, 0.0f, 0.0f);
      break;
  }
  if (quantize)
    ops.append_eltwise(1.0f, dnnl::algorithm::eltwise_linear, 1.0f / quantize->scale,
                       static_cast<float>(quantize->zero_point));
  return ops;
}

}  // namespace

InferenceGraph::InferenceGraph(Shape4 input_shape, Precision precision,
                               std::shared_ptr<SharedWeights> weights,
                               std::shared_ptr<const Int8Plan> int8)
    : impl_(std::make_unique<Impl>()) {
  for (const std::int64_t d : input_shape)
    CHORUS_CHECK_AS(ModelError, d > 0, "inference graph: input shape {} has an empty dimension",
                    describe(input_shape));
  CHORUS_DCHECK(precision != Precision::automatic);
  CHORUS_CHECK_AS(ModelError, (precision == Precision::int8) == (int8 != nullptr),
                  "inference graph: int8 needs a calibrated plan, and only int8 takes one");
  // int8 keeps float32 between the layers it cannot write in int8 (int8_plan.hpp).
  impl_->activation = precision == Precision::bf16 ? DataType::bf16 : DataType::f32;
  impl_->int8 = std::move(int8);
  impl_->weights = weights ? std::move(weights) : std::make_shared<SharedWeights>();
  const memory::desc desc({input_shape.begin(), input_shape.end()}, DataType::f32, Tag::nchw);
  impl_->input_value = impl_->new_value(desc);  // the caller's buffer, never planned
}

InferenceGraph::~InferenceGraph() = default;
InferenceGraph::InferenceGraph(InferenceGraph&&) noexcept = default;
InferenceGraph& InferenceGraph::operator=(InferenceGraph&&) noexcept = default;

GraphValue InferenceGraph::input() const { return {impl_->input_value}; }

Shape4 InferenceGraph::shape(GraphValue v) const { return shape_of(impl_->use(v).desc); }

GraphValue InferenceGraph::conv(GraphValue x, const Convolution& conv, PostOp post,
                                std::optional<GraphValue> accumulate) {
  Impl& g = *impl_;
  const Shape4 in = shape(x);
  check_shape(conv);
  CHORUS_CHECK_AS(ModelError, in[1] == conv.in_channels,
                  "inference graph: a convolution of {} input channels got {}", conv.in_channels,
                  describe(in));
  const auto &kernel = conv.kernel, &stride = conv.stride, &pad = conv.padding,
             &dilation = conv.dilation;
  const std::int64_t groups = conv.groups, out_channels = conv.out_channels;
  std::array<std::int64_t, 2> out_size{};
  for (std::size_t i = 0; i < 2; ++i) {
    const std::int64_t extent = in[2 + i] + 2 * pad[i] - dilation[i] * (kernel[i] - 1) - 1;
    CHORUS_CHECK_AS(ModelError, extent >= 0,
                    "inference graph: input {} is smaller than a {}x{} kernel", describe(in),
                    kernel[0], kernel[1]);
    out_size[i] = extent / stride[i] + 1;
  }

  const memory::dims weight_dims =
      groups > 1 ? memory::dims{groups, out_channels / groups, in[1] / groups, kernel[0], kernel[1]}
                 : memory::dims{out_channels, in[1], kernel[0], kernel[1]};
  // In int8 the plan says whether this convolution reads int8 (and on which scale) and whether
  // its output is the int8 input of the next one.
  const int operation = g.next_operation++;
  const int ordinal = g.next_convolution++;
  const std::optional<Int8Quantization> input_q =
      g.int8 ? g.int8->inputs[static_cast<std::size_t>(ordinal)] : std::nullopt;
  const std::optional<Int8Quantization> output_q = g.output_quantization(operation);
  CHORUS_DCHECK(!output_q || (input_q && !accumulate));
  // A squeeze-excitation product as the input of a 1 × 1 convolution whose weights are much
  // smaller than the activations (EfficientNet's first three stages: 0.5–10 k weights against
  // 0.3–0.7 M values): its scale goes into the weights at each pass instead of over the
  // activations. (Batch 1: the scale is per image.)
  const bool fold_scale =
      g.value(x.id).pending_scale >= 0 && !g.int8 && in[0] == 1 && groups == 1 &&
      kernel == std::array<std::int64_t, 2>{1, 1} && stride == kernel && dilation == kernel &&
      pad == std::array<std::int64_t, 2>{0, 0} && out_channels * 8 <= in[2] * in[3];
  if (!fold_scale) g.materialize(x.id);
  if (accumulate) g.materialize(accumulate->id);
  const DataType src_type = input_q ? DataType::u8 : g.activation;
  const DataType weight_type = input_q ? DataType::s8 : g.activation;
  const DataType dst_type = output_q ? DataType::u8 : g.activation;
  // oneDNN counts dilation from 0 (no gap), torch from 1. Activations NHWC, weights in whatever
  // layout the kernel prefers, both in the graph's data type; the bias stays float32. (With "any"
  // for activations too it picked blocked layouts for grouped convolutions, where the
  // squeeze-excitation product then had only oneDNN's reference kernel: RegNetY ran at a sixth of
  // its speed.)
  const dnnl::convolution_forward::desc desc(
      dnnl::prop_kind::forward_inference, dnnl::algorithm::convolution_direct,
      memory::desc({in.begin(), in.end()}, src_type, Tag::nhwc),
      memory::desc(weight_dims, weight_type, Tag::any),
      memory::desc({out_channels}, DataType::f32, Tag::x),
      memory::desc({in[0], out_channels, out_size[0], out_size[1]}, dst_type, Tag::nhwc),
      {stride[0], stride[1]}, {dilation[0] - 1, dilation[1] - 1}, {pad[0], pad[1]},
      {pad[0], pad[1]});
  // int8: the folded weights' per-channel scales, computed once per network.
  const std::vector<float> weight_scales_int8 =
      input_q ? g.weights->scales(
                    conv.weight.data(),
                    [&] { return weight_scales(fold(conv).weight, out_channels, weight_levels()); })
              : std::vector<float>{};
  // SiLU on float or bf16 output runs as its own pass where graph/silu.hpp's kernel can: faster
  // than oneDNN's post-op. Before an int8 output it stays a post-op (it precedes the quantising).
  const bool own_silu =
      post == PostOp::silu && !output_q &&
      (dst_type == DataType::bf16 ? has_silu_kernel() : has_float32_silu_kernel());
  dnnl::primitive_attr attr =
      plan_attr(post_ops(own_silu ? PostOp::none : post, accumulate.has_value(), output_q));
  if (input_q) {
    // The int32 accumulator back to real values: input scale × each channel's weight scale.
    std::vector<float> scales = weight_scales_int8;
    for (float& scale : scales) scale *= input_q->scale;
    attr.set_output_scales(1 << 1, scales);
    if (input_q->zero_point != 0) attr.set_zero_points(DNNL_ARG_SRC, 0, {input_q->zero_point});
  }
  const dnnl::convolution_forward::primitive_desc pd(desc, attr, cpu_engine());
  std::shared_ptr<ScaledWeights> scaled;
  memory weights, bias;
  if (fold_scale) {
    FoldedConvolution folded = fold(conv);
    scaled = std::make_shared<ScaledWeights>();
    scaled->weight = std::move(folded.weight);
    scaled->scaled.resize(scaled->weight.size());
    scaled->scale.resize(static_cast<std::size_t>(in[1]));
    scaled->plain =
        memory({weight_dims, DataType::f32, Tag::oihw}, cpu_engine(), scaled->scaled.data());
    scaled->target = memory(pd.weights_desc(), cpu_engine());
    scaled->reorder = dnnl::reorder(scaled->plain, scaled->target);
    weights = scaled->target;
    bias = memory(pd.bias_desc(), cpu_engine());
    std::copy(folded.bias.begin(), folded.bias.end(), static_cast<float*>(bias.get_data_handle()));
  } else {
    const SharedWeights::Constants shared = g.weights->get(
        conv.weight.data(), pd.weights_desc(),
        [&] { return convolution_constants(conv, weight_dims, pd, input_q, weight_scales_int8); });
    weights = shared.weights;
    bias = shared.bias;
  }

  const int src = input_q ? g.quantized(x.id, *input_q) : g.in_layout(x.id, pd.src_desc());
  int dst = -1;
  if (accumulate) {
    CHORUS_CHECK_AS(ModelError, shape(*accumulate) == shape_of(pd.dst_desc()),
                    "inference graph: a residual of {} cannot be summed into a convolution's {}",
                    describe(shape(*accumulate)), describe(shape_of(pd.dst_desc())));
    // The sum is computed in the residual's buffer, unless that is the caller's input (never
    // written) or the convolution's own input (a kernel cannot read and write one buffer).
    const Impl::Value& r = g.use(*accumulate);
    const bool shared = g.is_external(r) || r.storage == g.value(src).storage;
    const int residual =
        shared ? g.copy(accumulate->id, pd.dst_desc()) : g.in_layout(accumulate->id, pd.dst_desc());
    g.value(accumulate->id).consumed = true;
    dst = g.in_place(residual, pd.dst_desc());
  } else {
    dst = g.new_value(pd.dst_desc());
    if (output_q) g.value(dst).scale = output_q->scale;
  }
  if (scaled)  // the product stays pending for any later reader (materialize)
    g.steps.push_back({Impl::Kind::scale_weights,
                       {},
                       {{DNNL_ARG_SRC, g.value(x.id).pending_scale}},
                       {},
                       {},
                       {},
                       scaled});
  g.add_step(dnnl::convolution_forward(pd), pd.scratchpad_desc(),
             {{DNNL_ARG_SRC, src}, {DNNL_ARG_DST, dst}},
             {{DNNL_ARG_WEIGHTS, weights}, {DNNL_ARG_BIAS, bias}});
  return {own_silu ? g.silu(dst) : dst};
}

GraphValue InferenceGraph::global_average(GraphValue x) {
  Impl& g = *impl_;
  ++g.next_operation;
  g.materialize(x.id);
  const Shape4 in = shape(x);
  const dnnl::pooling_forward::desc desc(
      dnnl::prop_kind::forward_inference, dnnl::algorithm::pooling_avg_exclude_padding,
      g.use(x).desc, memory::desc({in[0], in[1], 1, 1}, g.activation, Tag::any), {1, 1},
      {in[2], in[3]}, {0, 0}, {0, 0});
  const dnnl::pooling_forward::primitive_desc pd(desc, plan_attr(), cpu_engine());
  const int dst = g.new_value(pd.dst_desc());
  g.add_step(dnnl::pooling_forward(pd), pd.scratchpad_desc(),
             {{DNNL_ARG_SRC, x.id}, {DNNL_ARG_DST, dst}});
  return {dst};
}

GraphValue InferenceGraph::scale_channels(GraphValue x, GraphValue scale) {
  Impl& g = *impl_;
  const Shape4 in = shape(x), s = shape(scale);
  CHORUS_CHECK_AS(ModelError, s[0] == in[0] && s[1] == in[1] && s[2] == 1 && s[3] == 1,
                  "inference graph: channel scale {} does not fit {}", describe(s), describe(in));
  const std::optional<Int8Quantization> output_q = g.output_quantization(g.next_operation++);
  g.materialize(x.id);
  g.materialize(scale.id);
  const memory::desc desc = g.use(x).desc;
  if (!output_q && s[0] == 1) {
    // Deferred: the next 1 × 1 convolution may fold the scale into its weights (conv()).
    const int dst = g.in_place(x.id, desc);
    g.value(dst).pending_scale = scale.id;
    return {dst};
  }
  // In place, unless the product is the int8 input of the next convolution.
  const memory::desc dst_desc =
      output_q ? memory::desc(desc.dims(), DataType::u8, Tag::nhwc) : desc;
  const dnnl::binary::desc binary(dnnl::algorithm::binary_mul, desc, g.use(scale).desc, dst_desc);
  const dnnl::binary::primitive_desc pd(binary, plan_attr(post_ops(PostOp::none, false, output_q)),
                                        cpu_engine());
  int dst = -1;
  if (output_q) {
    g.value(x.id).consumed = true;
    dst = g.new_value(dst_desc);
    g.value(dst).scale = output_q->scale;
  } else {
    dst = g.in_place(x.id, desc);
  }
  g.add_step(dnnl::binary(pd), pd.scratchpad_desc(),
             {{DNNL_ARG_SRC_0, x.id}, {DNNL_ARG_SRC_1, scale.id}, {DNNL_ARG_DST, dst}});
  return {dst};
}

GraphValue InferenceGraph::max_pool(GraphValue x, int kernel, int stride, int padding) {
  Impl& g = *impl_;
  ++g.next_operation;
  g.materialize(x.id);
  const Shape4 in = shape(x);
  CHORUS_CHECK_AS(ModelError, in[2] + 2 * padding >= kernel && in[3] + 2 * padding >= kernel,
                  "inference graph: input {} is smaller than a {}x{} pooling window", describe(in),
                  kernel, kernel);
  const std::int64_t oh = (in[2] + 2 * padding - kernel) / stride + 1,
                     ow = (in[3] + 2 * padding - kernel) / stride + 1;
  const dnnl::pooling_forward::desc desc(
      dnnl::prop_kind::forward_inference, dnnl::algorithm::pooling_max, g.use(x).desc,
      memory::desc({in[0], in[1], oh, ow}, g.activation, Tag::any), {stride, stride},
      {kernel, kernel}, {padding, padding}, {padding, padding});
  const dnnl::pooling_forward::primitive_desc pd(desc, plan_attr(), cpu_engine());
  const int dst = g.new_value(pd.dst_desc());
  g.add_step(dnnl::pooling_forward(pd), pd.scratchpad_desc(),
             {{DNNL_ARG_SRC, x.id}, {DNNL_ARG_DST, dst}});
  return {dst};
}

void InferenceGraph::finish(GraphValue output) {
  Impl& g = *impl_;
  g.materialize(output.id);
  const Shape4 out = shape(output);
  // Always a copy (a reorder where the layout differs), written straight into the caller's buffer.
  g.output_value =
      g.copy(output.id, memory::desc({out.begin(), out.end()}, DataType::f32, Tag::nchw));
  g.plan();
  g.bind();
  g.finished = true;
}

// Storages get buffers greedily in step order: a buffer whose storage's last reader has run is
// handed to the next storage that fits (the smallest such), so a window's activations cycle
// through a few buffers that stay in cache instead of touching fresh memory at every layer.
void InferenceGraph::Impl::plan() {
  for (std::size_t s = 0; s < steps.size(); ++s)
    for (const auto& [arg, v] : steps[s].value_args) storage(v).last_step = static_cast<int>(s);
  std::vector<std::vector<std::size_t>> born_at(steps.size()), released_after(steps.size());
  for (const Value& v : values) {
    if (is_external(v)) continue;
    const Storage& st = storages[static_cast<std::size_t>(v.storage)];
    auto& born = born_at[static_cast<std::size_t>(st.first_step)];
    if (std::find(born.begin(), born.end(), static_cast<std::size_t>(v.storage)) == born.end()) {
      born.push_back(static_cast<std::size_t>(v.storage));
      if (st.last_step >= 0)
        released_after[static_cast<std::size_t>(st.last_step)].push_back(
            static_cast<std::size_t>(v.storage));
    }
  }
  std::vector<std::size_t> free_buffers;
  for (std::size_t s = 0; s < steps.size(); ++s) {
    for (const std::size_t id : born_at[s]) {
      Storage& st = storages[id];
      auto best = free_buffers.end();
      for (auto it = free_buffers.begin(); it != free_buffers.end(); ++it)
        if (buffer_sizes[*it] >= st.bytes &&
            (best == free_buffers.end() || buffer_sizes[*it] < buffer_sizes[*best]))
          best = it;
      if (best != free_buffers.end()) {
        st.buffer = *best;
        free_buffers.erase(best);
      } else {
        st.buffer = buffers.size();
        buffers.push_back(allocate(st.bytes));
        buffer_sizes.push_back(st.bytes);
      }
    }
    for (const std::size_t id : released_after[s]) free_buffers.push_back(storages[id].buffer);
  }
  scratch = allocate(scratch_bytes);
}

void InferenceGraph::Impl::bind() {
  const int input_storage = value(input_value).storage;
  input_memory = memory(value(input_value).desc, cpu_engine(), DNNL_MEMORY_NONE);
  output_memory = memory(value(output_value).desc, cpu_engine(), DNNL_MEMORY_NONE);
  for (Step& step : steps) {
    for (const auto& [arg, id] : step.value_args) {
      const Value& v = value(id);
      if (!is_external(v)) {
        step.args.emplace(arg, memory(v.desc, cpu_engine(), buffers[storage(id).buffer].get()));
      } else {
        step.args.emplace(arg, v.storage == input_storage ? input_memory : output_memory);
      }
    }
    for (const auto& [arg, m] : step.constant_args) step.args.emplace(arg, m);
    step.args.emplace(DNNL_ARG_SCRATCHPAD, memory(step.scratchpad, cpu_engine(), scratch.get()));
  }
}

Shape4 InferenceGraph::output_shape() const {
  CHORUS_DCHECK(impl_->finished);
  return shape_of(impl_->value(impl_->output_value).desc);
}

std::size_t InferenceGraph::buffer_bytes() const {
  std::size_t total = impl_->scratch_bytes;
  for (const std::size_t bytes : impl_->buffer_sizes) total += bytes;
  return total;
}

void InferenceGraph::run(const float* input, float* output) {
  Impl& g = *impl_;
  CHORUS_DCHECK(g.finished);
  // oneDNN only reads the input; its handle type is not const.
  g.input_memory.set_data_handle(const_cast<float*>(input));
  g.output_memory.set_data_handle(output);
  for (Impl::Step& step : g.steps) {
    if (step.kind == Impl::Kind::primitive) {
      step.primitive.execute(g.stream, step.args);
      continue;
    }
    if (step.kind == Impl::Kind::scale_weights) {
      scale_weights(*step.scaled_weights, step.args.at(DNNL_ARG_SRC), g.stream);
      continue;
    }
    const memory& m = step.args.at(DNNL_ARG_DST);
    const memory::desc desc = m.get_desc();
    if (desc.data_type() == DataType::bf16)
      silu_in_place_bf16(static_cast<std::uint16_t*>(m.get_data_handle()), desc.get_size() / 2);
    else
      silu_in_place(static_cast<float*>(m.get_data_handle()), desc.get_size() / sizeof(float));
  }
  g.stream.wait();
}

}  // namespace chorus::graph
