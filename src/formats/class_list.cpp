#include "formats/class_list.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "core/error.hpp"
#include "formats/csv_table.hpp"

namespace chorus::formats {

std::optional<std::string> class_name_problem(std::string_view name) {
  if (name.empty()) return "empty class name";
  if (name.find_first_of(" \t\r\n") != std::string_view::npos)
    return fmt::format("class name '{}' contains whitespace (labels are written space-separated)",
                       name);
  return std::nullopt;
}

ClassList::ClassList(const std::vector<std::string>& names, std::string source)
    : source_(std::move(source)) {
  for (std::size_t i = 0; i < names.size(); ++i) {
    const auto problem = class_name_problem(names[i]);
    CHORUS_CHECK_AS(FormatError, !problem, "{}: {}", source_, problem.value_or(""));
    const auto first = append(names[i]);
    CHORUS_CHECK_AS(FormatError, !first, "{}: duplicate class '{}' (positions {} and {})", source_,
                    names[i], first.value_or(0) + 1, i + 1);
  }
}

ClassList ClassList::from_taxonomy(const std::filesystem::path& path) {
  const CsvTable table = CsvTable::read(path);
  const std::size_t column = table.column({"primary_label", "species_code", "SPECIES_CODE"});
  CHORUS_CHECK_AS(FormatError, table.rows() > 0, "{}: no classes (only a header)", table.path());
  ClassList classes(table.path());
  for (std::size_t row = 0; row < table.rows(); ++row) {
    const std::string& name = table.at(row, column);
    if (const auto problem = class_name_problem(name)) table.fail(row, *problem);
    // Class i came from row i, so the earlier duplicate's index is its row.
    if (const auto first = classes.append(name))
      table.fail(row,
                 fmt::format("duplicate class '{}' (first at line {})", name, table.line(*first)));
  }
  return classes;
}

ClassList ClassList::from_sample_submission(const std::filesystem::path& path) {
  const CsvTable table = CsvTable::read(path);
  const auto& header = table.header();
  CHORUS_CHECK_AS(FormatError, header[0] == "row_id" || header[0] == "recording_id",
                  "{}: the first column is '{}', expected row_id (or recording_id)", table.path(),
                  header[0]);
  CHORUS_CHECK_AS(FormatError, header.size() > 1, "{}: no class columns after '{}'", table.path(),
                  header[0]);
  ClassList classes(table.path());
  for (std::size_t column = 1; column < header.size(); ++column) {
    const auto problem = class_name_problem(header[column]);
    CHORUS_CHECK_AS(FormatError, !problem, "{}: header column {}: {}", table.path(), column + 1,
                    problem.value_or(""));
    // Class i came from column i + 1.
    const auto first = classes.append(header[column]);
    CHORUS_CHECK_AS(FormatError, !first,
                    "{}: duplicate class '{}' in the header (columns {} and {})", table.path(),
                    header[column], first.value_or(0) + 2, column + 1);
  }
  return classes;
}

ClassList ClassList::from_metadata(const ClipMetadata& metadata) {
  std::set<std::string, std::less<>> labels;
  for (const ClipRecord& record : metadata.records) {
    labels.insert(record.primary_label);
    labels.insert(record.secondary_labels.begin(), record.secondary_labels.end());
  }
  ClassList classes("the labels of " + metadata.path);
  for (const std::string& label : labels) {
    if (const auto problem = class_name_problem(label)) {
      // Name the first record that uses the label, not just the label.
      const auto uses = [&](const ClipRecord& r) {
        return r.primary_label == label || std::ranges::count(r.secondary_labels, label) > 0;
      };
      const auto record = std::ranges::find_if(metadata.records, uses);
      throw FormatError(fmt::format("{}: {}", metadata.where(*record), *problem));
    }
    classes.append(label);
  }
  return classes;
}

std::optional<std::size_t> ClassList::append(const std::string& name) {
  const auto [it, inserted] = index_.emplace(name, names_.size());
  if (!inserted) return it->second;
  names_.push_back(name);
  return std::nullopt;
}

std::optional<std::size_t> ClassList::find(std::string_view name) const {
  const auto it = index_.find(name);
  if (it == index_.end()) return std::nullopt;
  return it->second;
}

std::size_t ClassList::index(std::string_view name) const {
  const auto found = find(name);
  CHORUS_CHECK_AS(FormatError, found.has_value(),
                  "unknown class '{}' (not among the {} classes of {})", name, size(), source_);
  return *found;
}

void check_labels_known(const ClipMetadata& metadata, const ClassList& classes) {
  const ClipRecord* first_record = nullptr;
  std::string_view first_label;
  std::string_view first_column;
  std::size_t unknown = 0;
  const auto check = [&](const ClipRecord& record, const std::string& label,
                         std::string_view column) {
    if (classes.find(label)) return;
    if (unknown++ == 0) {
      first_record = &record;
      first_label = label;
      first_column = column;
    }
  };
  for (const ClipRecord& record : metadata.records) {
    check(record, record.primary_label, "primary_label");
    for (const std::string& label : record.secondary_labels)
      check(record, label, "secondary_labels");
  }
  if (unknown == 0) return;
  const std::string more = unknown > 1 ? fmt::format("; {} unknown labels in all", unknown) : "";
  throw FormatError(fmt::format("{}: unknown label '{}' in {} (not among the {} classes of {}{})",
                                metadata.where(*first_record), first_label, first_column,
                                classes.size(), classes.source(), more));
}

std::size_t drop_unknown_secondary_labels(ClipMetadata& metadata, const ClassList& classes) {
  std::size_t dropped = 0;
  for (ClipRecord& record : metadata.records)
    dropped += std::erase_if(record.secondary_labels,
                             [&](const std::string& label) { return !classes.find(label); });
  return dropped;
}

}  // namespace chorus::formats
