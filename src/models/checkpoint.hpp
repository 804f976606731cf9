#pragma once
// A chorus checkpoint: one safetensors file holding the model's weights, and in its metadata
// (key "chorus") the resolved [model], [audio] and [features] configuration and the class list,
// so prediction always computes the features the model was trained with, the fold it held out
// when it was trained on folds, the classes' scientific and common names when a taxonomy
// gave them, the int8 calibration once `chorus calibrate` has measured one, and the network's
// description for inference, from which it is compiled without building the LibTorch network.

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "audio/audio_config.hpp"
#include "features/feature_config.hpp"
#include "formats/species_names.hpp"
#include "graph/compiled_model.hpp"
#include "graph/int8_calibration.hpp"
#include "models/model_config.hpp"
#include "models/network.hpp"
#include "models/safetensors.hpp"

namespace chorus::models {

struct Checkpoint {
  ModelConfig model;
  audio::AudioConfig audio;
  features::FeatureConfig features;
  std::vector<std::string> classes;  // model.num_classes names, output order
  TensorMap weights;                 // the model's state dict
  // A model trained with one fold held out (chorus train --fold K / --all-folds): K, and a
  // fingerprint of which recording was in which fold (data::fold_digest), so that out-of-fold
  // labelling can prove it never scores a recording the model trained on. −1 and "": none.
  int held_out_fold = -1;
  std::string fold_digest;
  formats::SpeciesNames names;  // for outputs people read; empty when none were known
  graph::Int8Calibration int8;  // activation ranges from `chorus calibrate`; empty when none
  // The network described for inference (models/inference_description.hpp), which write()
  // records from the configuration; read() finds none in checkpoints written before chorus
  // stored it.
  std::optional<graph::NetworkDescription> inference;
  std::string file;  // where read() found it, for messages; empty when made in memory

  // FormatError when the file is not a chorus checkpoint or its configuration does not parse;
  // ModelError when the class list and the model disagree.
  static Checkpoint read(const std::filesystem::path& path);
  // Everything but the weights (left empty), from the file's header alone: what a checkpoint is
  // (its classes, configuration, calibration) without reading its data.
  static Checkpoint read_without_weights(const std::filesystem::path& path);
  void write(const std::filesystem::path& path) const;

  // The network with these weights, in eval mode (missing, unexpected or mis-shaped weights:
  // ModelError).
  std::shared_ptr<NetworkImpl> instantiate() const;

 private:
  static Checkpoint from_metadata(const std::map<std::string, std::string>& metadata,
                                  const std::filesystem::path& path);
};

}  // namespace chorus::models
