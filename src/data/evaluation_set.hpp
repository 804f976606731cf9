#pragma once
// Truth labels and predictions brought into one shape for the metrics: rows matched by row id
// (in whatever order either file lists them) and truth labels matched to the prediction's
// class columns by name (in whatever order they come). The class set is the prediction's
// columns: a submission declares what it scores. Every truth format arrives as TruthLabels, so
// this is the one place where truth meets scores; partial labels (RFCX) become the mask.

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "formats/score_table.hpp"
#include "formats/truth_labels.hpp"

namespace chorus::data {

// A truth label that is not among the prediction's classes, left out of the truth matrix.
struct UnknownLabel {
  std::string name;
  std::size_t rows = 0;  // how many truth rows carry it
  int first_line = 0;    // the truth file's line where it first appears
};

struct EvaluationSet {
  std::vector<std::string> classes;          // the prediction's columns, in its order
  std::vector<std::string> row_ids;          // in the truth file's order
  std::vector<double> scores;                // row-major, rows × classes
  std::vector<double> truth;                 // 0/1, same shape; 0 where unknown
  std::vector<double> mask;                  // 1 = the cell's truth is known; same shape
  std::vector<UnknownLabel> unknown_labels;  // in order of first appearance

  std::size_t rows() const { return row_ids.size(); }
  std::size_t known_cells() const;
};

// Throws FormatError when the two files do not hold the same rows: prediction rows absent
// from the truth, or truth rows without a prediction, counted and the first few named.
// Unknown labels (present classes that are not columns) are not an error here; they are
// returned, and the caller decides (chorus eval refuses them unless told to drop them). A class
// confirmed absent that is not a column is ignored: there is no score to judge by it.
// The mask is all ones for fully labelled truth; for partial truth only the mentioned cells are
// known.
EvaluationSet align_predictions(const formats::TruthLabels& truth,
                                const formats::ScoreTable& predictions);

// "rain (12 rows, first at labels.csv:4), wind (3 rows, first at labels.csv:9)": the first few,
// then "...".
std::string describe_unknown_labels(std::span<const UnknownLabel> unknown,
                                    const std::string& truth_path);

}  // namespace chorus::data
