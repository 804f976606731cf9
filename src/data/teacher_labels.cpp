#include "data/teacher_labels.hpp"

#include <algorithm>
#include <map>

#include "data/pseudo_items.hpp"
#include "data/targets.hpp"

namespace chorus::data {
namespace {

using Rows = std::vector<const formats::PseudoRow*>;

// Per teacher column, the maximum over the rows that overlap the item's span; nothing when none
// does.
std::optional<std::vector<float>> pooled_over(const Item& item, const Rows& rows,
                                              std::size_t columns) {
  std::optional<std::vector<float>> pooled;
  for (const formats::PseudoRow* row : rows) {
    const bool overlaps = row->end_seconds > item.start_seconds &&
                          (item.end_seconds <= 0 || row->start_seconds < item.end_seconds);
    if (!overlaps) continue;
    if (!pooled) pooled.emplace(columns, 0.0f);
    for (std::size_t k = 0; k < columns; ++k)
      (*pooled)[k] = std::max((*pooled)[k], row->probabilities[k]);
  }
  return pooled;
}

// The primary label becomes `promoted` (a secondary label): the two classes swap places.
void promote(Item& item, std::size_t promoted) {
  const std::size_t primary = item.labels.front();
  std::swap(item.target.values[primary], item.target.values[promoted]);
  std::swap(item.target.mask[primary], item.target.mask[promoted]);
  std::iter_swap(item.labels.begin(), std::find(item.labels.begin(), item.labels.end(), promoted));
}

// The cells the truth leaves out (mask 0) take the teacher's probability, with `weight` as their
// mask (a cell weight in the BCE losses); returns how many.
std::size_t fill_masked(Target& target, const std::vector<std::size_t>& columns,
                        const std::vector<float>& teacher, double weight) {
  std::size_t filled = 0;
  for (std::size_t k = 0; k < columns.size(); ++k) {
    const std::size_t c = columns[k];
    if (target.mask[c] != 0.0f) continue;
    target.values[c] = teacher[k];
    target.mask[c] = static_cast<float>(weight);
    ++filled;
  }
  return filled;
}

}  // namespace

TeacherReport apply_teacher(Dataset& dataset, const formats::PseudoTable& teacher,
                            const DataConfig& config, const std::vector<std::size_t>& train_items,
                            const std::filesystem::path& table_path) {
  const std::vector<std::size_t> columns = dataset_columns(dataset, teacher, table_path);
  std::map<std::string, Rows> rows_of;
  for (const formats::PseudoRow& row : teacher.rows)
    rows_of[recording_key(row.recording)].push_back(&row);
  const auto has_column = [&](std::size_t cls) {
    return std::find(columns.begin(), columns.end(), cls) != columns.end();
  };

  TeacherReport report;
  for (std::size_t index : train_items) {
    Item& item = dataset.items.at(index);
    if (item.pseudo_labelled) {  // a teacher's labels already
      report.train_items.push_back(index);
      continue;
    }
    TeacherOutcome& outcome = report.outcomes.emplace_back();
    outcome.item = index;
    const auto rows = rows_of.find(recording_key(dataset.files[item.file]));
    const auto pooled =
        rows == rows_of.end() ? std::nullopt : pooled_over(item, rows->second, columns.size());
    if (!pooled) {
      outcome.decision = TeacherDecision::unlabelled;
      ++report.unlabelled;
      report.train_items.push_back(index);
      continue;
    }
    const auto best = std::max_element(pooled->begin(), pooled->end());
    if (best != pooled->end() && *best > 0) {
      outcome.top1 = columns[static_cast<std::size_t>(best - pooled->begin())];
      outcome.top1_probability = *best;
    }
    const bool judged = !item.labels.empty() && outcome.top1 && has_column(item.labels.front());
    if (judged && *outcome.top1 != item.labels.front()) {
      const bool secondary =
          std::find(item.labels.begin() + 1, item.labels.end(), *outcome.top1) != item.labels.end();
      if (secondary && config.teacher_promote_secondary) {
        promote(item, *outcome.top1);
        outcome.decision = TeacherDecision::promoted;
        ++report.promoted;
      } else if (!secondary && config.teacher_drop_disagreeing) {
        outcome.decision = TeacherDecision::dropped;
        ++report.dropped;
        continue;
      }
    }
    blend_pseudo_labels(item.target, columns, *pooled, config.pseudo_blend);
    if (config.teacher_masked_weight > 0)
      report.filled_cells +=
          fill_masked(item.target, columns, *pooled, config.teacher_masked_weight);
    ++report.blended;
    report.train_items.push_back(index);
  }
  return report;
}

}  // namespace chorus::data
