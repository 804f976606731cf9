#pragma once
// `chorus pseudo` as a function, for the commands that label recordings as one of their steps
// (`chorus selftrain`). What it prints is what `chorus pseudo` prints.

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

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

// What run_pseudo reads of a configuration.
inline constexpr std::array<std::string_view, 4> kPseudoSections{"infer", "postprocess", "pseudo",
                                                                 "data"};

// Loads kPseudoSections from options.scoring.config, labels the inputs and writes the table;
// returns its row count.
std::size_t run_pseudo(PseudoOptions& options);

}  // namespace chorus::cli
