#include "train/initial_weights.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <sstream>

#include "core/config_file.hpp"
#include "core/error.hpp"
#include "models/checkpoint.hpp"
#include "models/state_dict.hpp"

namespace chorus::train {
namespace {

namespace fs = std::filesystem;

// The TOML lines of the sections describing a network's input.
std::vector<std::string> input_settings(audio::AudioConfig audio,
                                        features::FeatureConfig features) {
  core::ConfigSections sections;
  sections.bind(audio).bind(features);
  std::vector<std::string> lines;
  std::istringstream text(sections.to_toml());
  for (std::string line; std::getline(text, line);)
    if (!line.empty() && !line.starts_with('#')) lines.push_back(line);
  return lines;
}

// "checkpoint: X; this run: Y" for every setting that differs (lines in section order).
std::vector<std::string> differences(const std::vector<std::string>& stored,
                                     const std::vector<std::string>& own) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < std::max(stored.size(), own.size()); ++i) {
    const std::string a = i < stored.size() ? stored[i] : "", b = i < own.size() ? own[i] : "";
    if (a != b) out.push_back(fmt::format("checkpoint `{}`, this run `{}`", a, b));
  }
  return out;
}

}  // namespace

fs::path initial_checkpoint(const std::string& init_from, int held_out_fold) {
  const fs::path path(init_from);
  if (!fs::is_directory(path)) {
    CHORUS_CHECK_AS(ConfigError, fs::is_regular_file(path),
                    "train.init_from = {}: no such checkpoint or folder", init_from);
    return path;
  }
  const fs::path fold_model = path / fmt::format("fold{}", held_out_fold) / "best.ckpt",
                 model = path / "best.ckpt";
  if (held_out_fold >= 0 && fs::is_regular_file(fold_model)) return fold_model;
  CHORUS_CHECK_AS(
      ConfigError, fs::is_regular_file(model),
      "train.init_from = {}: the folder holds no best.ckpt{}", init_from,
      held_out_fold >= 0 ? fmt::format(" nor fold{}/best.ckpt", held_out_fold) : std::string());
  return model;
}

InitialWeights load_initial_weights(models::NetworkImpl& network, const ExperimentConfig& config,
                                    const std::vector<std::string>& classes,
                                    const fs::path& checkpoint, int held_out_fold) {
  const models::Checkpoint from = models::Checkpoint::read(checkpoint);
  CHORUS_CHECK_AS(ConfigError, from.classes == classes,
                  "train.init_from = {}: its classes ({}) are not this dataset's ({}) in the same "
                  "order",
                  checkpoint.string(), fmt::join(from.classes, ", "), fmt::join(classes, ", "));
  const std::vector<std::string> changed = differences(
      input_settings(from.audio, from.features), input_settings(config.audio, config.features));
  CHORUS_CHECK_AS(ConfigError, changed.empty(),
                  "train.init_from = {}: the model learnt on other input settings: {}",
                  checkpoint.string(), fmt::join(changed, "; "));
  const models::StateDictReport report =
      models::load_state_dict(network, from.weights, checkpoint.string());
  CHORUS_CHECK_AS(ModelError, report.unexpected.empty(),
                  "train.init_from = {}: weights that {} has no place for: {}", checkpoint.string(),
                  config.model.arch, report.describe());

  InitialWeights out{.checkpoint = checkpoint, .caution = {}};
  if (held_out_fold >= 0 && from.held_out_fold != held_out_fold)
    out.caution = fmt::format(
        "train.init_from = {} {}: it may have learnt from fold {}'s recordings, so the "
        "validation on them is optimistic",
        checkpoint.string(),
        from.held_out_fold < 0 ? std::string("held out no fold")
                               : fmt::format("held out fold {}", from.held_out_fold),
        held_out_fold);
  return out;
}

}  // namespace chorus::train
