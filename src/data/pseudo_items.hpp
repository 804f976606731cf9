#pragma once
// Self-training data on a Dataset (docs/selftraining.md):
//   - pseudo-labelled items: every row of a `chorus pseudo` table of unlabelled recordings
//     becomes an item over its chunk, its soft probabilities the target, with its own sample
//     weight, never held out;
//   - a teacher: a table of the training clips' own chunks (`chorus pseudo --oof`) blended into
//     the clips' targets.
// A table's classes are matched to the dataset's by name: a class the dataset does not have is
// an error naming the table; a dataset class the table lacks is masked out of a pseudo item's
// loss (the teacher said nothing about it) and left as it is by the blend.

#include <cstddef>
#include <filesystem>

#include "data/dataset.hpp"
#include "formats/pseudo_table.hpp"

namespace chorus::data {

struct PseudoItemsAdded {
  std::size_t recordings = 0;
  std::size_t items = 0;
};

// `table_path` names the table in errors: an unknown class, a recording that does not exist.
PseudoItemsAdded add_pseudo_items(Dataset& dataset, const formats::PseudoTable& table,
                                  double weight, const std::filesystem::path& table_path);

struct TeacherBlend {
  std::size_t blended = 0;  // items whose recording the teacher labelled
  std::size_t without = 0;  // items it did not (left as they were)
};

// For every item whose recording the teacher labelled: the teacher's probabilities over the
// item's span (per class the maximum over its chunks that overlap the span; all of them when the
// item runs to the file's end) blended in as (1 − c)·y + c·teacher. Recordings are matched by
// folder and file name, so a table written from another directory still serves. Blend before
// adding pseudo-labelled items, which already are a teacher's.
TeacherBlend blend_teacher(Dataset& dataset, const formats::PseudoTable& teacher, double c,
                           const std::filesystem::path& table_path);

}  // namespace chorus::data
