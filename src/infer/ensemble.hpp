#pragma once
// Combining the score matrices of several models, as the winning ensembles did:
//   mean, min, max, gmean (geometric mean of probabilities), rankmean (mean of per-class ranks
//   scaled to [0, 1]), wmean (weighted mean: wmean(a:0.7, b:0.3)), nested at will:
//   "mean(min(effnet*), min(regnet*))" — BirdCLEF 2024 1st place's best.
// Leaves name members; a leaf ending in '*' stands for every member whose name starts with the
// rest (the folds of one architecture). Members must have the same shape and class order
// (align them by class name first).

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "infer/score_matrix.hpp"

namespace chorus::infer {

class EnsembleExpression {
 public:
  // Parses `text`; syntax errors name the position. Member names are checked in evaluate().
  static EnsembleExpression parse(const std::string& text);

  ScoreMatrix evaluate(const std::map<std::string, ScoreMatrix>& members) const;
  // The expression in canonical form, e.g. for logs and checkpoints.
  std::string text() const;

  struct Node;

 private:
  std::shared_ptr<const Node> root_;
};

}  // namespace chorus::infer
