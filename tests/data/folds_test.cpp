// Stratified folds: every class spread evenly, deterministic by seed, rare classes kept in
// training.

#include "data/folds.hpp"

#include <gtest/gtest.h>

#include <map>
#include <random>

#include "core/error.hpp"

namespace chorus {
namespace {

// counts[label][fold]
std::map<std::string, std::vector<int>> per_label_counts(
    const std::vector<std::vector<std::string>>& labels, const std::vector<int>& fold, int k) {
  std::map<std::string, std::vector<int>> counts;
  for (std::size_t i = 0; i < labels.size(); ++i)
    for (const auto& l : labels[i]) {
      auto& c = counts.try_emplace(l, std::vector<int>(k, 0)).first->second;
      if (fold[i] >= 0) ++c[fold[i]];
    }
  return counts;
}

int spread(const std::vector<int>& v) {
  return *std::max_element(v.begin(), v.end()) - *std::min_element(v.begin(), v.end());
}

TEST(Folds, SingleLabelCountsDifferByAtMostOne) {
  std::vector<std::string> labels;
  const std::map<std::string, int> sizes = {{"amerob", 10},  {"blujay", 11}, {"norcar", 3},
                                            {"tawowl1", 25}, {"gowwar", 7},  {"eurrob1", 1}};
  for (const auto& [label, n] : sizes) labels.insert(labels.end(), n, label);
  const data::FoldOptions options{.k = 5, .seed = 3, .min_count = 1};
  const std::vector<int> fold = data::stratified_folds(labels, options);
  std::vector<std::vector<std::string>> as_sets;
  for (const auto& l : labels) as_sets.push_back({l});
  for (const auto& [label, counts] : per_label_counts(as_sets, fold, 5)) {
    if (label != "eurrob1") {
      EXPECT_LE(spread(counts), 1) << label;
    }
  }
  std::vector<int> sizes_per_fold(5, 0);
  for (int f : fold)
    if (f >= 0) ++sizes_per_fold[f];
  EXPECT_LE(spread(sizes_per_fold), 1);
  // The single eurrob1 recording (≤ min_count) is never held out.
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (labels[i] == "eurrob1") {
      EXPECT_EQ(fold[i], data::kAlwaysTrain);
    }
  }
  // Deterministic by seed, different across seeds.
  EXPECT_EQ(data::stratified_folds(labels, options), fold);
  EXPECT_NE(data::stratified_folds(labels, {.k = 5, .seed = 4, .min_count = 1}), fold);
}

TEST(Folds, MultiLabelIterativeStratificationIsBalanced) {
  std::mt19937 rng(11);
  std::vector<std::vector<std::string>> labels(300);
  std::bernoulli_distribution has[] = {
      std::bernoulli_distribution(0.3), std::bernoulli_distribution(0.1),
      std::bernoulli_distribution(0.05), std::bernoulli_distribution(0.5)};
  for (auto& item : labels)
    for (int l = 0; l < 4; ++l)
      if (has[l](rng)) item.push_back("sp" + std::to_string(l));
  const std::vector<int> fold = data::multilabel_folds(labels, {.k = 4, .seed = 1});
  for (const auto& [label, counts] : per_label_counts(labels, fold, 4))
    EXPECT_LE(spread(counts), 2) << label;
  std::vector<int> sizes(4, 0);
  for (int f : fold) {
    ASSERT_GE(f, 0);
    ++sizes[f];
  }
  EXPECT_LE(spread(sizes), 2);
  EXPECT_EQ(data::multilabel_folds(labels, {.k = 4, .seed = 1}), fold);
}

TEST(Folds, ImpossibleRequestsAreErrors) {
  EXPECT_THROW(data::stratified_folds({"a", "b"}, {.k = 1}), ConfigError);
  EXPECT_THROW(data::stratified_folds({"a", "b"}, {.k = 3}), Error);
}

// The digest out-of-fold labelling checks: where the dataset lies and which recordings are never
// held out do not count; which recording is in which fold does.
TEST(Folds, DigestFollowsTheFoldAssignmentOnly) {
  const auto dataset = [](const std::string& root, int fold_of_b, bool nocall) {
    data::Dataset d;
    d.files = {root + "/train_audio/sp1/a.ogg", root + "/train_audio/sp1/b.ogg",
               root + "/train_audio/sp2/a.ogg"};
    d.items = {{.file = 0, .fold = 0},
               {.file = 1, .fold = fold_of_b},
               {.file = 2, .fold = 1},
               {.file = 2, .fold = 1}};  // two segments of one recording
    if (nocall) {
      d.files.push_back(root + "/nocall/x.ogg");
      d.items.push_back({.file = 3, .fold = data::kAlwaysTrain});
    }
    return d;
  };
  const std::string digest = data::fold_digest(dataset("/data", 1, false));
  EXPECT_EQ(data::fold_digest(dataset("/elsewhere/copy", 1, true)), digest);
  EXPECT_NE(data::fold_digest(dataset("/data", 0, false)), digest);
  EXPECT_EQ(data::file_folds(dataset("/data", 1, true)), (std::vector<int>{0, 1, 1, -1}));
  data::Dataset split = dataset("/data", 1, false);
  split.items[3].fold = 0;
  EXPECT_THROW(data::file_folds(split), ConfigError);
}

}  // namespace
}  // namespace chorus
