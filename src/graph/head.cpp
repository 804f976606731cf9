#include "graph/head.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <oneapi/dnnl/dnnl.hpp>

#include "core/error.hpp"

namespace chorus::graph {
namespace {

// The sum of `count` floats in double, as four running sums (each of every fourth value) added in
// a fixed order at the end: one running sum waits on each addition before the next (a feature
// map's means were 0.3 % of a whole run), four keep them in flight. The same order for every
// window and batch.
double sum_of(const float* x, std::int64_t count) {
  double partial[4] = {0, 0, 0, 0};
  std::int64_t k = 0;
  for (; k + 4 <= count; k += 4)
    for (int lane = 0; lane < 4; ++lane) partial[lane] += x[k + lane];
  for (int lane = 0; k < count; ++k, ++lane) partial[lane] += x[k];
  return (partial[0] + partial[1]) + (partial[2] + partial[3]);
}

using nlohmann::json;

std::span<const float> sized(const TensorLookup& tensors, const std::string& name,
                             std::int64_t expected) {
  CHORUS_CHECK_AS(ModelError, !name.empty(), "the network's head lacks an array of {} values",
                  expected);
  const std::span<const float> values = tensors(name);
  CHORUS_CHECK_AS(ModelError, static_cast<std::int64_t>(values.size()) == expected,
                  "the head's {} holds {} values where a feature map of its channels needs {}",
                  name, values.size(), expected);
  return values;
}

float sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }

}  // namespace

std::vector<std::string> Head::tensor_names() const {
  std::vector<std::string> names;
  for (const std::string* name : {&fc_weight, &fc_bias, &p, &fc1_weight, &fc1_bias, &att_weight,
                                  &att_bias, &cla_weight, &cla_bias})
    if (!name->empty()) names.push_back(*name);
  return names;
}

json Head::to_json() const {
  json j{{"kind", core::enum_name(kind)}};
  if (kind == HeadKind::sed) {
    j.update({{"fc1_weight", fc1_weight},
              {"fc1_bias", fc1_bias},
              {"att_weight", att_weight},
              {"att_bias", att_bias},
              {"cla_weight", cla_weight},
              {"cla_bias", cla_bias}});
  } else {
    j.update({{"fc_weight", fc_weight}, {"fc_bias", fc_bias}});
  }
  if (kind == HeadKind::gem) j.update({{"p", p}, {"eps", gem_eps}});
  return j;
}

Head Head::from_json(const json& j, const std::string& source) {
  Head head;
  try {
    const std::string kind = j.at("kind").get<std::string>();
    const auto parsed = core::enum_from_name<HeadKind>(kind);
    CHORUS_CHECK_AS(FormatError, parsed.has_value(),
                    "{}: the inference program names an unknown head '{}'", source, kind);
    head.kind = *parsed;
    if (head.kind == HeadKind::sed) {
      head.fc1_weight = j.at("fc1_weight").get<std::string>();
      head.fc1_bias = j.at("fc1_bias").get<std::string>();
      head.att_weight = j.at("att_weight").get<std::string>();
      head.att_bias = j.at("att_bias").get<std::string>();
      head.cla_weight = j.at("cla_weight").get<std::string>();
      head.cla_bias = j.at("cla_bias").get<std::string>();
    } else {
      head.fc_weight = j.at("fc_weight").get<std::string>();
      head.fc_bias = j.at("fc_bias").get<std::string>();
    }
    if (head.kind == HeadKind::gem) {
      head.p = j.at("p").get<std::string>();
      head.gem_eps = j.at("eps").get<double>();
    }
  } catch (const json::exception& e) {
    throw FormatError(
        fmt::format("{}: the inference program's head is damaged: {}", source, e.what()));
  }
  return head;
}

HeadRunner::HeadRunner(const Head& head, const TensorLookup& tensors, std::int64_t channels)
    : kind_(head.kind), channels_(channels), gem_eps_(static_cast<float>(head.gem_eps)) {
  if (kind_ == HeadKind::sed) {
    classes_ = static_cast<std::int64_t>(tensors(head.cla_bias).size());
    fc1_weight_ = sized(tensors, head.fc1_weight, channels * channels);
    fc1_bias_ = sized(tensors, head.fc1_bias, channels);
    att_weight_ = sized(tensors, head.att_weight, classes_ * channels);
    att_bias_ = sized(tensors, head.att_bias, classes_);
    cla_weight_ = sized(tensors, head.cla_weight, classes_ * channels);
    cla_bias_ = sized(tensors, head.cla_bias, classes_);
  } else {
    classes_ = static_cast<std::int64_t>(tensors(head.fc_bias).size());
    fc_weight_ = sized(tensors, head.fc_weight, classes_ * channels);
    fc_bias_ = sized(tensors, head.fc_bias, classes_);
    if (kind_ == HeadKind::gem) p_ = sized(tensors, head.p, 1)[0];
  }
  CHORUS_CHECK_AS(ModelError, classes_ > 0, "the network's head has no classes");
}

// weight [outputs, inputs].
void HeadRunner::linear(std::span<const float> in, std::int64_t windows,
                        std::int64_t rows_per_window, std::span<const float> weight,
                        std::span<const float> bias, std::int64_t inputs, std::int64_t outputs,
                        float* out) const {
  // One product per window, not one over the batch: sgemm picks its kernels and blocking by the
  // number of rows, so a batch's rows come out different in the last bit from the same rows
  // alone, by their count and their place (the last rows of a batch of 8 against the same rows in
  // a batch of 16). Per window each product has the same shape whatever the batch, and sgemm
  // gave one shape the same floats at every address and thread count tried (its AVX2 and SSE4.1
  // kernels), so a window's outputs do not depend on infer.batch_size or on the windows beside it.
  if (rows_per_window == 0) return;
  for (std::int64_t w = 0; w < windows; ++w) {
    const float* x = in.data() + w * rows_per_window * inputs;
    float* y = out + w * rows_per_window * outputs;
    const dnnl::status status = dnnl::sgemm('N', 'T', rows_per_window, outputs, inputs, 1.0f, x,
                                            inputs, weight.data(), inputs, 0.0f, y, outputs);
    CHORUS_CHECK_AS(ModelError, status == dnnl::status::success,
                    "the head's matrix product failed (oneDNN status {})",
                    static_cast<int>(status));
  }
  for (std::int64_t r = 0; r < windows * rows_per_window; ++r)
    for (std::int64_t o = 0; o < outputs; ++o)
      out[r * outputs + o] += bias[static_cast<std::size_t>(o)];
}

HeadOutput HeadRunner::run(std::span<const float> features, const Shape4& shape) const {
  CHORUS_CHECK_AS(ModelError, shape[1] == channels_,
                  "the head takes {} feature channels, the backbone gave {}", channels_, shape[1]);
  if (kind_ == HeadKind::sed) return run_sed(features, shape);
  const std::int64_t n = shape[0], c = channels_, area = shape[2] * shape[3];
  // Per window and channel: the mean (linear) or the generalised mean (gem) over F' × T'.
  std::vector<float> pooled(static_cast<std::size_t>(n * c));
  for (std::int64_t i = 0; i < n * c; ++i) {
    const float* x = features.data() + i * area;
    double sum = 0;
    if (kind_ == HeadKind::gem) {
      for (std::int64_t k = 0; k < area; ++k) sum += std::pow(std::max(x[k], gem_eps_), p_);
      pooled[static_cast<std::size_t>(i)] =
          std::pow(static_cast<float>(sum / static_cast<double>(area)), 1.0f / p_);
    } else {
      pooled[static_cast<std::size_t>(i)] =
          static_cast<float>(sum_of(x, area) / static_cast<double>(area));
    }
  }
  HeadOutput out;
  out.classes = classes_;
  out.logits.resize(static_cast<std::size_t>(n * classes_));
  linear(pooled, n, 1, fc_weight_, fc_bias_, c, classes_, out.logits.data());
  return out;
}

HeadOutput HeadRunner::run_sed(std::span<const float> features, const Shape4& shape) const {
  const std::int64_t n = shape[0], c = channels_, f = shape[2], t = shape[3], k = classes_;
  // Mean over frequency, then each time step's peak and mean of its 3-step neighbourhood (the
  // max over existing neighbours; the mean counts the zero padding, as avg_pool1d does), laid out
  // [N·T', C] for the products.
  std::vector<float> mean(static_cast<std::size_t>(c * t));
  std::vector<float> smoothed(static_cast<std::size_t>(n * t * c));
  for (std::int64_t w = 0; w < n; ++w) {
    for (std::int64_t ch = 0; ch < c; ++ch) {
      const float* x = features.data() + (w * c + ch) * f * t;
      for (std::int64_t s = 0; s < t; ++s) {
        double sum = 0;
        for (std::int64_t b = 0; b < f; ++b) sum += x[b * t + s];
        mean[static_cast<std::size_t>(ch * t + s)] =
            static_cast<float>(sum / static_cast<double>(f));
      }
    }
    for (std::int64_t ch = 0; ch < c; ++ch) {
      const float* m = mean.data() + ch * t;
      for (std::int64_t s = 0; s < t; ++s) {
        float peak = -std::numeric_limits<float>::infinity(), sum = 0;
        for (std::int64_t d = s - 1; d <= s + 1; ++d) {
          if (d < 0 || d >= t) continue;
          peak = std::max(peak, m[d]);
          sum += m[d];
        }
        smoothed[static_cast<std::size_t>((w * t + s) * c + ch)] = peak + sum / 3.0f;
      }
    }
  }
  const std::int64_t rows = n * t;
  std::vector<float> hidden(static_cast<std::size_t>(rows * c));
  linear(smoothed, n, t, fc1_weight_, fc1_bias_, c, c, hidden.data());
  for (float& h : hidden) h = std::max(h, 0.0f);
  std::vector<float> att(static_cast<std::size_t>(rows * k)), cla(att.size());
  linear(hidden, n, t, att_weight_, att_bias_, c, k, att.data());
  linear(hidden, n, t, cla_weight_, cla_bias_, c, k, cla.data());

  HeadOutput out;
  out.classes = k;
  out.frames = t;
  out.logits.resize(static_cast<std::size_t>(n * k));
  out.clip_probabilities.resize(out.logits.size());
  out.frame_probabilities.resize(static_cast<std::size_t>(n * t * k));
  out.attention.resize(static_cast<std::size_t>(n * k * t));
  for (std::int64_t w = 0; w < n; ++w) {
    for (std::int64_t cl = 0; cl < k; ++cl) {
      const auto at = [&](std::int64_t s) {
        return static_cast<std::size_t>((w * t + s) * k + cl);
      };
      float highest = -std::numeric_limits<float>::infinity();
      for (std::int64_t s = 0; s < t; ++s) highest = std::max(highest, std::tanh(att[at(s)]));
      double total = 0;
      float* a = out.attention.data() + (w * k + cl) * t;
      for (std::int64_t s = 0; s < t; ++s) {
        a[s] = std::exp(std::tanh(att[at(s)]) - highest);
        total += a[s];
      }
      double logit = 0, probability = 0;
      for (std::int64_t s = 0; s < t; ++s) {
        a[s] = static_cast<float>(a[s] / total);
        const float frame = sigmoid(cla[at(s)]);
        out.frame_probabilities[at(s)] = frame;
        logit += static_cast<double>(a[s]) * cla[at(s)];
        probability += static_cast<double>(a[s]) * frame;
      }
      out.logits[static_cast<std::size_t>(w * k + cl)] = static_cast<float>(logit);
      out.clip_probabilities[static_cast<std::size_t>(w * k + cl)] =
          static_cast<float>(probability);
    }
  }
  return out;
}

}  // namespace chorus::graph
