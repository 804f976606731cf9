// chorus folds TABLE --k K --out OUT.csv: cross-validation folds.
//   BirdCLEF metadata: stratified on primary_label (or, with --multilabel, on primary and
//     secondary labels); writes the table with a `fold` column (added or replaced).
//   RFCX train_tp.csv: iterative stratification of recordings on their species; writes
//     recording_id,fold.
// Fold −1 marks clips of classes with ≤ --min-count recordings: in every training fold.

#include <fmt/format.h>

#include <map>
#include <memory>

#include "cli/commands.hpp"
#include "core/error.hpp"
#include "data/folds.hpp"
#include "formats/clip_metadata.hpp"
#include "formats/csv_table.hpp"
#include "formats/rfcx_annotations.hpp"

namespace chorus::cli {
namespace {

struct FoldsOptions {
  std::string table;
  std::string out;
  bool multilabel = false;
  data::FoldOptions folds;
};

void print_summary(const std::vector<int>& fold, int k) {
  std::vector<int> sizes(k, 0);
  int always_train = 0;
  for (int f : fold) (f >= 0 ? sizes[f] : always_train) += 1;
  fmt::print("{} items in {} folds: {}", fold.size(), k, fmt::join(sizes, " / "));
  if (always_train) fmt::print("; {} kept in every training fold (rare classes)", always_train);
  fmt::print("\n");
}

void write_birdclef_folds(const FoldsOptions& o) {
  const formats::ClipMetadata metadata =
      formats::ClipMetadata::read(o.table);                          // validates the rows
  const formats::CsvTable table = formats::CsvTable::read(o.table);  // keeps every column
  CHORUS_DCHECK(table.rows() == metadata.records.size());
  std::vector<int> fold;
  if (o.multilabel) {
    std::vector<std::vector<std::string>> labels;
    for (const auto& r : metadata.records) {
      labels.push_back(r.secondary_labels);
      labels.back().push_back(r.primary_label);
    }
    fold = data::multilabel_folds(labels, o.folds);
  } else {
    std::vector<std::string> labels;
    for (const auto& r : metadata.records) labels.push_back(r.primary_label);
    fold = data::stratified_folds(labels, o.folds);
  }
  std::vector<std::string> header = table.header();
  const auto existing = table.find_column("fold");
  if (!existing) header.push_back("fold");
  std::vector<std::vector<std::string>> rows;
  for (std::size_t i = 0; i < table.rows(); ++i) {
    std::vector<std::string> row;
    for (std::size_t c = 0; c < table.header().size(); ++c) row.push_back(table.at(i, c));
    if (existing)
      row[*existing] = std::to_string(fold[i]);
    else
      row.push_back(std::to_string(fold[i]));
    rows.push_back(std::move(row));
  }
  formats::write_csv(o.out, header, rows);
  print_summary(fold, o.folds.k);
}

void write_rfcx_folds(const FoldsOptions& o) {
  const formats::RfcxAnnotations tp =
      formats::RfcxAnnotations::read(o.table, formats::RfcxKind::true_positives);
  std::vector<std::string> recordings;
  std::map<std::string, std::size_t> index;
  std::vector<std::vector<std::string>> labels;
  for (const auto& a : tp.annotations) {
    const auto [it, added] = index.try_emplace(a.recording_id, recordings.size());
    if (added) {
      recordings.push_back(a.recording_id);
      labels.emplace_back();
    }
    labels[it->second].push_back(std::to_string(a.species_id));
  }
  const std::vector<int> fold = data::multilabel_folds(labels, o.folds);
  std::vector<std::vector<std::string>> rows;
  for (std::size_t i = 0; i < recordings.size(); ++i)
    rows.push_back({recordings[i], std::to_string(fold[i])});
  formats::write_csv(o.out, {"recording_id", "fold"}, rows);
  print_summary(fold, o.folds.k);
}

void run_folds(const FoldsOptions& o) {
  CHORUS_CHECK(std::filesystem::absolute(o.out) != std::filesystem::absolute(o.table),
               "--out {} would overwrite the input table; write the folds elsewhere", o.out);
  const formats::CsvTable header = formats::CsvTable::read(o.table);
  if (header.find_column("recording_id") && header.find_column("species_id"))
    write_rfcx_folds(o);
  else
    write_birdclef_folds(o);
}

}  // namespace

void add_folds_command(CLI::App& app) {
  auto o = std::make_shared<FoldsOptions>();
  auto* command =
      app.add_subcommand("folds", "Stratified cross-validation folds for a metadata table");
  command->add_option("table", o->table, "train_metadata.csv (BirdCLEF) or train_tp.csv (RFCX)")
      ->required()
      ->check(CLI::ExistingFile);
  command->add_option("--out", o->out, "Output CSV")->required();
  command->add_option("--k", o->folds.k, "Number of folds")->capture_default_str();
  command->add_option("--seed", o->folds.seed, "Random seed")->capture_default_str();
  command
      ->add_option(
          "--min-count", o->folds.min_count,
          "Classes with at most this many recordings stay in every training fold (fold -1)")
      ->capture_default_str();
  command->add_flag("--multilabel", o->multilabel,
                    "Stratify on primary and secondary labels (iterative stratification)");
  command->callback([o] { run_folds(*o); });
}

}  // namespace chorus::cli
