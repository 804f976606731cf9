#include "models/checkpoint.hpp"

#include <cstdint>
#include <nlohmann/json.hpp>

#include "checkpoint/checkpoint_metadata.hpp"
#include "checkpoint/float_tensors.hpp"
#include "checkpoint/safetensors_header.hpp"
#include "core/config_file.hpp"
#include "core/error.hpp"
#include "models/inference_description.hpp"
#include "models/state_dict.hpp"

namespace chorus::models {
namespace {

// Whether every value of a float32 tensor is finite (checkpoint::all_finite, a loop over the
// bits, instead of torch::isfinite(t).all(), which made a bool tensor and two dispatches per
// weight: about 12 ms of every model load).
bool all_finite(const torch::Tensor& t) {
  CHORUS_DCHECK(t.scalar_type() == torch::kFloat32 && t.is_contiguous());
  return checkpoint::all_finite({t.data_ptr<float>(), static_cast<std::size_t>(t.numel())});
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
  nlohmann::json meta = {{"format", checkpoint::kCheckpointFormat},
                         {"config", sections.to_toml()},
                         {"classes", classes}};
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
  return from_metadata(checkpoint::read_safetensors_header(path).metadata, path);
}

Checkpoint Checkpoint::from_metadata(const std::map<std::string, std::string>& metadata,
                                     const std::filesystem::path& path) {
  checkpoint::Metadata m = checkpoint::read_metadata(metadata, path);
  Checkpoint c;
  c.file = path.string();
  // The [model] section on top of what the LibTorch-free reader read.
  core::ConfigSections sections;
  sections.bind(c.model);
  sections.load_text(m.stored_config, path.string() + " (stored config)");
  c.model.validate();
  c.audio = std::move(m.audio);
  c.features = std::move(m.features);
  c.classes = std::move(m.classes);
  c.names = std::move(m.names);
  c.held_out_fold = m.held_out_fold;
  c.fold_digest = std::move(m.fold_digest);
  c.int8 = std::move(m.int8);
  c.inference = std::move(m.inference);
  CHORUS_CHECK_AS(ModelError, static_cast<int>(c.classes.size()) == c.model.num_classes,
                  "{}: {} class names for a model of {} outputs", path.string(), c.classes.size(),
                  c.model.num_classes);
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
