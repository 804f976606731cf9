#include "formats/truth_labels.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>

#include "core/error.hpp"

namespace chorus::formats {
namespace {

bool mentions(const std::vector<ClassMention>& present, std::string_view name) {
  return std::any_of(present.begin(), present.end(),
                     [&](const ClassMention& m) { return m.name == name; });
}

TruthLabels empty_truth(std::string path, UnlistedClasses unlisted) {
  TruthLabels truth;
  truth.path = std::move(path);
  truth.unlisted = unlisted;
  return truth;
}

TruthRow& add_row(TruthLabels& truth, std::string id) {
  TruthRow& row = truth.rows.emplace_back();
  row.id = std::move(id);
  return row;
}

void add_present(TruthRow& row, std::string name, int line) {
  if (!mentions(row.present, name)) row.present.push_back({std::move(name), line});
}

// Rows by id in order of first appearance, for the formats that list a row once per label.
class RowsById {
 public:
  explicit RowsById(TruthLabels& truth) : truth_(truth) {}

  TruthRow& row(const std::string& id) {
    const auto [it, inserted] = index_.emplace(id, truth_.rows.size());
    if (inserted) add_row(truth_, id);
    return truth_.rows[it->second];
  }

 private:
  TruthLabels& truth_;
  std::unordered_map<std::string, std::size_t> index_;
};

}  // namespace

TruthLabels truth_from_soundscape_labels(const SoundscapeLabels& labels) {
  TruthLabels truth = empty_truth(labels.path, UnlistedClasses::absent);
  truth.rows.reserve(labels.row_ids.size());
  for (std::size_t row = 0; row < labels.row_ids.size(); ++row) {
    TruthRow& r = add_row(truth, labels.row_ids[row]);
    for (const std::string& label : labels.labels[row]) add_present(r, label, labels.lines[row]);
  }
  return truth;
}

std::string clip_row_id(std::string_view filename) {
  // std::filesystem's rule: the extension starts at the last dot of the last component, unless
  // that dot begins it (`.ogg` alone is a name, not an extension).
  return std::filesystem::path(filename).replace_extension().string();
}

TruthLabels truth_from_clip_metadata(const ClipMetadata& metadata) {
  TruthLabels truth = empty_truth(metadata.path, UnlistedClasses::absent);
  truth.rows.reserve(metadata.records.size());
  std::unordered_map<std::string, int> first_line;
  for (const ClipRecord& clip : metadata.records) {
    std::string id = clip_row_id(clip.filename);
    const auto [it, inserted] = first_line.emplace(id, clip.line);
    CHORUS_CHECK_AS(FormatError, inserted,
                    "{}: filename '{}' gives row_id '{}', as the filename on line {} does",
                    metadata.where(clip), clip.filename, id, it->second);
    TruthRow& r = add_row(truth, std::move(id));
    add_present(r, clip.primary_label, clip.line);
    for (const std::string& label : clip.secondary_labels) add_present(r, label, clip.line);
  }
  return truth;
}

std::string rfcx_class_name(int species_id) { return fmt::format("s{}", species_id); }

TruthLabels truth_from_rfcx(const RfcxAnnotations& true_positives,
                            const RfcxAnnotations* false_positives) {
  // Header-only tables are valid annotation files, but leave nothing to score against.
  CHORUS_CHECK_AS(FormatError,
                  !true_positives.annotations.empty() ||
                      (false_positives != nullptr && !false_positives->annotations.empty()),
                  "{}: no annotations below the header", true_positives.path);
  TruthLabels truth = empty_truth(true_positives.path, UnlistedClasses::unknown);
  RowsById rows(truth);
  for (const RfcxAnnotation& box : true_positives.annotations)
    add_present(rows.row(box.recording_id), rfcx_class_name(box.species_id), box.line);
  if (false_positives == nullptr) return truth;
  for (const RfcxAnnotation& box : false_positives->annotations) {
    TruthRow& row = rows.row(box.recording_id);
    std::string name = rfcx_class_name(box.species_id);
    if (!mentions(row.present, name) &&
        std::find(row.absent.begin(), row.absent.end(), name) == row.absent.end())
      row.absent.push_back(std::move(name));
  }
  return truth;
}

}  // namespace chorus::formats
