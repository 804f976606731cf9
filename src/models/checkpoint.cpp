#include "models/checkpoint.hpp"

#include <cstdint>
#include <nlohmann/json.hpp>

#include "core/config_file.hpp"
#include "core/error.hpp"
#include "formats/class_list.hpp"
#include "models/inference_description.hpp"
#include "models/safetensors_header.hpp"
#include "models/state_dict.hpp"

namespace chorus::models {
namespace {

constexpr int kCheckpointFormat = 1;

// Whether every value of a float32 tensor is finite: its exponent bits are not all ones. A plain
// loop over the bits, with no allocation, instead of torch::isfinite(t).all(), which made a bool
// tensor and two dispatches per weight: about 12 ms of every model load.
bool all_finite(const torch::Tensor& t) {
  CHORUS_DCHECK(t.scalar_type() == torch::kFloat32 && t.is_contiguous());
  const auto* bits = static_cast<const std::uint32_t*>(t.data_ptr());
  constexpr std::uint32_t kExponent = 0x7f800000;
  const std::int64_t n = t.numel();
  for (std::int64_t i = 0; i < n; ++i)
    if ((bits[i] & kExponent) == kExponent) return false;
  return true;
}

// The stored configuration: the sections that define the network and its input.
void bind_stored_sections(core::ConfigSections& sections, Checkpoint& c) {
  sections.bind(c.model).bind(c.audio).bind(c.features);
}

// A network of `model`'s configuration described for inference: the names of its arrays, and so
// its description, do not depend on their values.
graph::NetworkDescription described(const ModelConfig& model) {
  const std::shared_ptr<NetworkImpl> network = create_network(model);
  network->eval();
  return describe_for_inference(*network, NetworkTensors(network));
}

}  // namespace

void Checkpoint::write(const std::filesystem::path& path) const {
  CHORUS_CHECK_AS(ModelError, static_cast<int>(classes.size()) == model.num_classes,
                  "checkpoint {}: {} class names for a model of {} outputs", path.string(),
                  classes.size(), model.num_classes);
  Checkpoint copy = *this;  // binding needs mutable members
  core::ConfigSections sections;
  bind_stored_sections(sections, copy);
  nlohmann::json meta = {
      {"format", kCheckpointFormat}, {"config", sections.to_toml()}, {"classes", classes}};
  if (held_out_fold >= 0) {
    meta["held_out_fold"] = held_out_fold;
    meta["fold_digest"] = fold_digest;
  }
  if (!names.empty()) {
    CHORUS_CHECK_AS(
        ModelError,
        names.scientific.size() == classes.size() && names.common.size() == classes.size(),
        "checkpoint {}: species names for {} and {} of {} classes", path.string(),
        names.scientific.size(), names.common.size(), classes.size());
    meta["scientific_names"] = names.scientific;
    meta["common_names"] = names.common;
  }
  if (!int8.empty()) meta["int8"] = int8.to_json();
  meta["inference"] = described(model).to_json();
  write_safetensors(path, weights, {{"chorus", meta.dump()}});
}

Checkpoint Checkpoint::read(const std::filesystem::path& path) {
  SafetensorsFile file = read_safetensors(path);
  Checkpoint c = from_metadata(file.metadata, path);
  // A run that diverged, or a damaged file, would score every recording NaN: refused here, once.
  for (const auto& [name, tensor] : file.tensors)
    CHORUS_CHECK_AS(FormatError, !tensor.is_floating_point() || all_finite(tensor),
                    "{}: weight '{}' holds NaN or infinite values (a diverged or damaged model)",
                    path.string(), name);
  c.weights = std::move(file.tensors);
  return c;
}

Checkpoint Checkpoint::read_without_weights(const std::filesystem::path& path) {
  return from_metadata(read_safetensors_header(path).metadata, path);
}

Checkpoint Checkpoint::from_metadata(const std::map<std::string, std::string>& metadata,
                                     const std::filesystem::path& path) {
  const auto it = metadata.find("chorus");
  CHORUS_CHECK_AS(
      FormatError, it != metadata.end(),
      "{}: not a chorus checkpoint (no \"chorus\" metadata; import torchvision weights with "
      "chorus import)",
      path.string());
  Checkpoint c;
  c.file = path.string();
  try {
    const nlohmann::json meta = nlohmann::json::parse(it->second);
    CHORUS_CHECK_AS(FormatError, meta.at("format").get<int>() == kCheckpointFormat,
                    "{}: checkpoint format {} (this chorus reads format {})", path.string(),
                    meta.at("format").get<int>(), kCheckpointFormat);
    core::ConfigSections sections;
    bind_stored_sections(sections, c);
    sections.load_text(meta.at("config").get<std::string>(), path.string() + " (stored config)");
    c.classes = meta.at("classes").get<std::vector<std::string>>();
    c.held_out_fold = meta.value("held_out_fold", -1);
    c.fold_digest = meta.value("fold_digest", std::string());
    if (meta.contains("common_names")) {
      c.names.scientific = meta.at("scientific_names").get<std::vector<std::string>>();
      c.names.common = meta.at("common_names").get<std::vector<std::string>>();
      CHORUS_CHECK_AS(FormatError,
                      c.names.scientific.size() == c.classes.size() &&
                          c.names.common.size() == c.classes.size(),
                      "{}: species names for {} and {} of {} classes", path.string(),
                      c.names.scientific.size(), c.names.common.size(), c.classes.size());
    }
    if (meta.contains("int8"))
      c.int8 = graph::Int8Calibration::from_json(meta.at("int8"), path.string());
    if (meta.contains("inference"))
      c.inference = graph::NetworkDescription::from_json(meta.at("inference"), path.string());
  } catch (const nlohmann::json::exception& e) {
    throw FormatError(fmt::format("{}: damaged checkpoint metadata ({})", path.string(), e.what()));
  }
  c.model.validate();
  c.audio.validate();
  c.features.validate(c.audio.sample_rate);
  CHORUS_CHECK_AS(ModelError, static_cast<int>(c.classes.size()) == c.model.num_classes,
                  "{}: {} class names for a model of {} outputs", path.string(), c.classes.size(),
                  c.model.num_classes);
  // Every output names its columns by these: none empty, repeated or holding whitespace.
  static_cast<void>(formats::ClassList(c.classes, path.string() + " (class list)"));
  return c;
}

std::shared_ptr<NetworkImpl> Checkpoint::instantiate() const {
  std::shared_ptr<NetworkImpl> net = create_network(model);
  const StateDictReport report = load_state_dict(*net, weights, file);
  CHORUS_CHECK_AS(ModelError, report.unexpected.empty(), "checkpoint weights not used by {}: {}",
                  model.arch, report.describe());
  net->eval();
  return net;
}

}  // namespace chorus::models
