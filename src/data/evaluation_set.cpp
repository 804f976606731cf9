#include "data/evaluation_set.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>

#include "core/error.hpp"

namespace chorus::data {
namespace {

// Enough names to see the pattern (a soundscape missing, an off-by-five end_second, a
// misspelt class) without flooding the one-line error; the messages give the full count.
constexpr std::size_t kNamed = 5;

std::string name_some(const std::vector<std::string>& names) {
  const std::vector<std::string> shown(names.begin(),
                                       names.begin() + std::min(names.size(), kNamed));
  return fmt::format("{}{}", fmt::join(shown, ", "), names.size() > kNamed ? ", ..." : "");
}

std::unordered_map<std::string_view, std::size_t> index_of(const std::vector<std::string>& names) {
  std::unordered_map<std::string_view, std::size_t> index;
  index.reserve(names.size());
  for (std::size_t i = 0; i < names.size(); ++i) index.emplace(names[i], i);
  return index;
}

void check_same_rows(const formats::TruthLabels& truth, const std::vector<std::string>& truth_ids,
                     const formats::ScoreTable& predictions,
                     const std::unordered_map<std::string_view, std::size_t>& prediction_row) {
  const auto truth_row = index_of(truth_ids);
  std::vector<std::string> unexpected;
  for (const std::string& id : predictions.row_ids)
    if (!truth_row.contains(id)) unexpected.push_back(id);
  CHORUS_CHECK_AS(FormatError, unexpected.empty(), "{}: {} of {} rows are not in the truth {}: {}",
                  predictions.path, unexpected.size(), predictions.rows(), truth.path,
                  name_some(unexpected));
  std::vector<std::string> unpredicted;
  for (const std::string& id : truth_ids)
    if (!prediction_row.contains(id)) unpredicted.push_back(id);
  CHORUS_CHECK_AS(FormatError, unpredicted.empty(),
                  "{}: {} of {} truth rows have no prediction in {}: {}", truth.path,
                  unpredicted.size(), truth_ids.size(), predictions.path, name_some(unpredicted));
}

void note_unknown(std::vector<UnknownLabel>& unknown, const std::string& name, int line) {
  const auto it = std::find_if(unknown.begin(), unknown.end(),
                               [&](const UnknownLabel& u) { return u.name == name; });
  if (it != unknown.end())
    ++it->rows;
  else
    unknown.push_back({name, 1, line});
}

}  // namespace

EvaluationSet align_predictions(const formats::TruthLabels& truth,
                                const formats::ScoreTable& predictions) {
  EvaluationSet set;
  set.classes = predictions.classes;
  for (const formats::TruthRow& row : truth.rows) set.row_ids.push_back(row.id);
  const auto prediction_row = index_of(predictions.row_ids);
  check_same_rows(truth, set.row_ids, predictions, prediction_row);
  const auto class_column = index_of(predictions.classes);
  const std::size_t cols = predictions.classes.size();

  set.scores.reserve(set.rows() * cols);
  set.truth.assign(set.rows() * cols, 0.0);
  set.mask.assign(set.rows() * cols,
                  truth.unlisted == formats::UnlistedClasses::absent ? 1.0 : 0.0);
  for (std::size_t row = 0; row < set.rows(); ++row) {
    const std::size_t source = prediction_row.at(set.row_ids[row]);
    for (std::size_t cls = 0; cls < cols; ++cls)
      set.scores.push_back(predictions.score(source, cls));
    for (const formats::ClassMention& present : truth.rows[row].present) {
      const auto column = class_column.find(present.name);
      if (column == class_column.end()) {
        note_unknown(set.unknown_labels, present.name, present.line);
        continue;
      }
      set.truth[row * cols + column->second] = 1.0;
      set.mask[row * cols + column->second] = 1.0;
    }
    for (const std::string& absent : truth.rows[row].absent)
      if (const auto column = class_column.find(absent); column != class_column.end())
        set.mask[row * cols + column->second] = 1.0;
  }
  return set;
}

std::size_t EvaluationSet::known_cells() const {
  return static_cast<std::size_t>(std::count(mask.begin(), mask.end(), 1.0));
}

std::string describe_unknown_labels(std::span<const UnknownLabel> unknown,
                                    const std::string& truth_path) {
  std::vector<std::string> parts;
  for (const UnknownLabel& u : unknown)
    parts.push_back(fmt::format("{} ({} row{}, first at {}:{})", u.name, u.rows,
                                u.rows == 1 ? "" : "s", truth_path, u.first_line));
  return name_some(parts);
}

}  // namespace chorus::data
