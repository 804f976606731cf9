#include "checkpoint/checkpoint_metadata.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "checkpoint/safetensors_header.hpp"
#include "core/config_file.hpp"
#include "core/error.hpp"
#include "formats/class_list.hpp"

namespace chorus::checkpoint {

Metadata read_metadata(const std::map<std::string, std::string>& safetensors_metadata,
                       const std::filesystem::path& path) {
  const auto it = safetensors_metadata.find("chorus");
  CHORUS_CHECK_AS(
      FormatError, it != safetensors_metadata.end(),
      "{}: not a chorus checkpoint (no \"chorus\" metadata; import torchvision weights with "
      "chorus import)",
      path.string());
  Metadata m;
  try {
    const nlohmann::json meta = nlohmann::json::parse(it->second);
    CHORUS_CHECK_AS(FormatError, meta.at("format").get<int>() == kCheckpointFormat,
                    "{}: checkpoint format {} (this chorus reads format {})", path.string(),
                    meta.at("format").get<int>(), kCheckpointFormat);
    m.stored_config = meta.at("config").get<std::string>();
    // The sections a compiled model needs; [model] is models::Checkpoint's.
    core::ConfigSections sections;
    sections.bind(m.audio).bind(m.features);
    sections.load_text(m.stored_config, path.string() + " (stored config)");
    m.classes = meta.at("classes").get<std::vector<std::string>>();
    m.held_out_fold = meta.value("held_out_fold", -1);
    m.fold_digest = meta.value("fold_digest", std::string());
    if (meta.contains("common_names")) {
      m.names.scientific = meta.at("scientific_names").get<std::vector<std::string>>();
      m.names.common = meta.at("common_names").get<std::vector<std::string>>();
      CHORUS_CHECK_AS(FormatError,
                      m.names.scientific.size() == m.classes.size() &&
                          m.names.common.size() == m.classes.size(),
                      "{}: species names for {} and {} of {} classes", path.string(),
                      m.names.scientific.size(), m.names.common.size(), m.classes.size());
    }
    if (meta.contains("int8"))
      m.int8 = graph::Int8Calibration::from_json(meta.at("int8"), path.string());
    if (meta.contains("inference"))
      m.inference = graph::NetworkDescription::from_json(meta.at("inference"), path.string());
  } catch (const nlohmann::json::exception& e) {
    throw FormatError(fmt::format("{}: damaged checkpoint metadata ({})", path.string(), e.what()));
  }
  m.audio.validate();
  m.features.validate(m.audio.sample_rate);
  // Every output names its columns by these: none empty, repeated or holding whitespace.
  static_cast<void>(formats::ClassList(m.classes, path.string() + " (class list)"));
  return m;
}

Metadata read_metadata(const std::filesystem::path& path) {
  return read_metadata(read_safetensors_header(path).metadata, path);
}

}  // namespace chorus::checkpoint
