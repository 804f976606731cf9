#pragma once
// Pseudo-labelled items on a Dataset (docs/selftraining.md): every row of a `chorus pseudo`
// table of unlabelled recordings becomes an item over its chunk, its soft probabilities the
// target, with its own sample weight, never held out. (A teacher of the training clips
// themselves is data/teacher_labels.hpp.)
// A table's classes are matched to the dataset's by name: a class the dataset does not have is
// an error naming the table; a dataset class the table lacks is masked out of a pseudo item's
// loss (the teacher said nothing about it).

#include <cstddef>
#include <filesystem>
#include <vector>

#include "data/dataset.hpp"
#include "formats/pseudo_table.hpp"

namespace chorus::data {

struct PseudoItemsAdded {
  std::size_t recordings = 0;
  std::size_t items = 0;
};

// The dataset class of each of the table's columns; a class the dataset lacks is a ConfigError
// naming `table_path`.
std::vector<std::size_t> dataset_columns(const Dataset& dataset, const formats::PseudoTable& table,
                                         const std::filesystem::path& table_path);

// `table_path` names the table in errors: an unknown class, a recording that does not exist.
PseudoItemsAdded add_pseudo_items(Dataset& dataset, const formats::PseudoTable& table,
                                  double weight, const std::filesystem::path& table_path);

}  // namespace chorus::data
