#include "data/folds.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>
#include <numeric>
#include <random>
#include <set>

#include "core/content_hash.hpp"
#include "core/error.hpp"

namespace chorus::data {
namespace {

void check_options(const FoldOptions& o, std::size_t items) {
  CHORUS_CHECK_AS(ConfigError, o.k >= 2, "--k {}: at least 2 folds are needed", o.k);
  CHORUS_CHECK_AS(ConfigError, o.min_count >= 0, "--min-count {} must be ≥ 0", o.min_count);
  CHORUS_CHECK(items >= static_cast<std::size_t>(o.k), "{} items cannot be split into {} folds",
               items, o.k);
}

// Items grouped by label in label order (std::map: deterministic), each group shuffled.
std::map<std::string, std::vector<std::size_t>> shuffled_groups(
    const std::vector<std::string>& labels, std::mt19937_64& rng) {
  std::map<std::string, std::vector<std::size_t>> groups;
  for (std::size_t i = 0; i < labels.size(); ++i) groups[labels[i]].push_back(i);
  for (auto& [label, items] : groups) std::shuffle(items.begin(), items.end(), rng);
  return groups;
}

}  // namespace

std::vector<int> stratified_folds(const std::vector<std::string>& labels, const FoldOptions& o) {
  check_options(o, labels.size());
  std::mt19937_64 rng(o.seed);
  std::vector<int> fold(labels.size(), kAlwaysTrain);
  int next = 0;  // the fold the next item goes to: continues across classes
  for (const auto& [label, items] : shuffled_groups(labels, rng)) {
    if (static_cast<int>(items.size()) <= o.min_count) continue;
    for (std::size_t item : items) {
      fold[item] = next;
      next = (next + 1) % o.k;
    }
  }
  return fold;
}

std::vector<int> multilabel_folds(const std::vector<std::vector<std::string>>& labels,
                                  const FoldOptions& o) {
  check_options(o, labels.size());
  std::mt19937_64 rng(o.seed);
  const std::size_t n = labels.size();
  std::map<std::string, std::vector<std::size_t>> items_of;
  for (std::size_t i = 0; i < n; ++i)
    for (const std::string& label : std::set<std::string>(labels[i].begin(), labels[i].end()))
      items_of[label].push_back(i);

  std::vector<int> fold(n, kAlwaysTrain);
  std::vector<bool> placed(n, false);
  // Items with a rare label stay in training everywhere.
  for (const auto& [label, items] : items_of)
    if (static_cast<int>(items.size()) <= o.min_count)
      for (std::size_t i : items) placed[i] = true;

  // Desired counts: each fold should hold 1/k of the items and of each label's items.
  std::vector<double> want_total(o.k, 0.0);
  std::map<std::string, std::vector<double>> want;
  const auto unplaced = [&](const std::vector<std::size_t>& items) {
    return static_cast<std::size_t>(
        std::count_if(items.begin(), items.end(), [&](std::size_t i) { return !placed[i]; }));
  };
  std::size_t remaining = static_cast<std::size_t>(std::count(placed.begin(), placed.end(), false));
  std::fill(want_total.begin(), want_total.end(), static_cast<double>(remaining) / o.k);
  for (const auto& [label, items] : items_of)
    want[label] = std::vector<double>(o.k, static_cast<double>(unplaced(items)) / o.k);

  // Ties between folds are broken at random (seeded), as in the paper.
  std::vector<int> order(o.k);
  std::iota(order.begin(), order.end(), 0);
  const auto best_fold = [&](const std::vector<double>* label_want) {
    std::shuffle(order.begin(), order.end(), rng);
    int best = order[0];
    for (int f : order) {
      const double a = label_want ? (*label_want)[f] : 0, b = label_want ? (*label_want)[best] : 0;
      if (a > b || (a == b && want_total[f] > want_total[best])) best = f;
    }
    return best;
  };
  const auto place = [&](std::size_t item, int f) {
    fold[item] = f;
    placed[item] = true;
    want_total[f] -= 1;
    for (const std::string& label : std::set<std::string>(labels[item].begin(), labels[item].end()))
      want[label][f] -= 1;
  };

  for (;;) {
    // The label with the fewest unplaced items (ties: the first in name order).
    const std::string* rarest = nullptr;
    std::size_t fewest = 0;
    for (const auto& [label, items] : items_of) {
      const std::size_t left = unplaced(items);
      if (left > 0 && (rarest == nullptr || left < fewest)) {
        rarest = &label;
        fewest = left;
      }
    }
    if (rarest == nullptr) break;
    std::vector<std::size_t> items = items_of[*rarest];
    std::shuffle(items.begin(), items.end(), rng);
    for (std::size_t item : items)
      if (!placed[item]) place(item, best_fold(&want[*rarest]));
  }
  // Items without any label fill the folds that are shortest overall.
  for (std::size_t i = 0; i < n; ++i)
    if (!placed[i] && labels[i].empty()) place(i, best_fold(nullptr));
  return fold;
}

std::vector<int> file_folds(const Dataset& dataset) {
  std::vector<int> folds(dataset.files.size(), kAlwaysTrain);
  std::vector<bool> seen(dataset.files.size(), false);
  for (const Item& item : dataset.items) {
    if (item.fold == kAlwaysTrain) continue;
    int& fold = folds[item.file];
    CHORUS_CHECK_AS(ConfigError, !seen[item.file] || fold == item.fold,
                    "{}: its items are in folds {} and {} (a recording must be in one fold)",
                    dataset.files[item.file].string(), fold, item.fold);
    fold = item.fold;
    seen[item.file] = true;
  }
  return folds;
}

std::string fold_digest(const Dataset& dataset) {
  const std::vector<int> folds = file_folds(dataset);
  std::vector<std::string> lines;
  for (std::size_t f = 0; f < dataset.files.size(); ++f)
    if (folds[f] != kAlwaysTrain)
      lines.push_back(fmt::format("{}\t{}", recording_key(dataset.files[f]), folds[f]));
  std::sort(lines.begin(), lines.end());
  return core::hash_text(fmt::format("{}", fmt::join(lines, "\n")));
}

}  // namespace chorus::data
