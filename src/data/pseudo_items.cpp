#include "data/pseudo_items.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>

#include "core/error.hpp"
#include "data/folds.hpp"
#include "data/targets.hpp"

namespace chorus::data {
std::vector<std::size_t> dataset_columns(const Dataset& dataset, const formats::PseudoTable& table,
                                         const std::filesystem::path& table_path) {
  std::vector<std::size_t> columns;
  std::vector<std::string> unknown;
  for (const std::string& name : table.classes) {
    const auto index = dataset.classes.find(name);
    if (index)
      columns.push_back(*index);
    else
      unknown.push_back(name);
  }
  CHORUS_CHECK_AS(ConfigError, unknown.empty(),
                  "{}: {} class{} not in the dataset's class list ({}): {}", table_path.string(),
                  unknown.size(), unknown.size() == 1 ? " is" : "es are", dataset.classes.source(),
                  fmt::join(unknown, ", "));
  return columns;
}

PseudoItemsAdded add_pseudo_items(Dataset& dataset, const formats::PseudoTable& table,
                                  double weight, const std::filesystem::path& table_path) {
  const std::vector<std::size_t> columns = dataset_columns(dataset, table, table_path);
  std::map<std::string, std::size_t> file_of;  // recording → index in dataset.files
  PseudoItemsAdded added;
  for (const formats::PseudoRow& row : table.rows) {
    auto [it, is_new] = file_of.try_emplace(row.recording, dataset.files.size());
    if (is_new) {
      CHORUS_CHECK_AS(IoError, std::filesystem::is_regular_file(row.recording),
                      "{}:{}: recording {} does not exist (paths are as chorus pseudo was given "
                      "them: run from the same directory)",
                      table_path.string(), row.line, row.recording);
      dataset.files.emplace_back(row.recording);
      ++added.recordings;
    }
    Item item;
    item.file = it->second;
    item.start_seconds = row.start_seconds;
    item.end_seconds = row.end_seconds;
    item.fold = kAlwaysTrain;
    item.pseudo_labelled = true;
    item.target.values.assign(dataset.classes.size(), 0.0f);
    item.target.mask.assign(dataset.classes.size(), 0.0f);  // what the table does not cover
    item.target.weight = static_cast<float>(weight);
    for (std::size_t k = 0; k < columns.size(); ++k) {
      item.target.values[columns[k]] = row.probabilities[k];
      item.target.mask[columns[k]] = 1.0f;
    }
    dataset.items.push_back(std::move(item));
    ++added.items;
  }
  return added;
}

}  // namespace chorus::data
