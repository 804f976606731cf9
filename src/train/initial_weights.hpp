#pragma once
// train.init_from: a training that starts from a chorus model's weights instead of a random or
// ImageNet initialisation — fine-tuning a model on new recordings, or a self-training student
// that starts from its teacher. The whole network is loaded (backbone and head), so the class
// list and the architecture must be the model's; the dropout and stochastic depth may differ
// (a noisy student's noise).

#include <filesystem>
#include <string>
#include <vector>

#include "models/network.hpp"
#include "train/experiment_config.hpp"

namespace chorus::train {

// The checkpoint `init_from` names for a run holding out `held_out_fold` (−1: none): the file
// itself, or in a `chorus train` output folder its best.ckpt, or fold<k>/best.ckpt when it was
// trained with --all-folds (the model that held out the same fold). ConfigError naming what was
// looked for when there is none.
std::filesystem::path initial_checkpoint(const std::string& init_from, int held_out_fold);

struct InitialWeights {
  std::filesystem::path checkpoint;
  // Something the run should say: the checkpoint trained on the recordings this run validates
  // on (its validation is then optimistic). Empty when there is nothing to say.
  std::string caution;
};

// Loads `checkpoint` into `network` (built from `config.model`, which it must fit). ConfigError
// when its classes are not `classes` in the same order, or its stored [audio]/[features] are not
// `config`'s (the weights would see other inputs than they learnt on), naming the differences;
// ModelError when the weights do not fit the network.
InitialWeights load_initial_weights(models::NetworkImpl& network, const ExperimentConfig& config,
                                    const std::vector<std::string>& classes,
                                    const std::filesystem::path& checkpoint, int held_out_fold);

}  // namespace chorus::train
