#pragma once
// `chorus pseudo` as a function, for the commands that label recordings as one of their steps
// (`chorus selftrain`). What it prints is what `chorus pseudo` prints.

#include <string>

#include "cli/scoring_options.hpp"
#include "data/data_config.hpp"
#include "infer/pseudo_labels.hpp"

namespace chorus::cli {

struct PseudoOptions {
  ScoringOptions scoring;
  std::string out;
  bool out_of_fold = false;
  std::string metadata;  // --oof: the clip table with the folds (empty: DATASET's own)
  infer::PseudoConfig pseudo;
  data::DataConfig data;  // --oof: how the dataset is read (the training recipe's [data])
};

// Loads [infer], [postprocess], [pseudo] and [data] from options.scoring.config, labels the
// inputs and writes the table.
void run_pseudo(PseudoOptions& options);

}  // namespace chorus::cli
