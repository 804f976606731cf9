#pragma once
// The ordered list of classes a model predicts: index i is output i and column i + 1 of a
// submission. It comes from a taxonomy, from a submission's header (so predictions line up with
// the competition's columns) or from the training labels themselves, and is saved in every
// checkpoint.

#include <cstddef>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "formats/clip_metadata.hpp"

namespace chorus::formats {

class ClassList {
 public:
  // `source` says where the names came from, for messages. A FormatError "<source>: …" for a
  // name listed twice or a name that is not a valid class name (see class_name_problem).
  ClassList(const std::vector<std::string>& names, std::string source);

  // The first of the columns primary_label (BirdCLEF taxonomy.csv), species_code, SPECIES_CODE
  // (eBird taxonomy) that the table has, in table order. Errors name the line.
  static ClassList from_taxonomy(const std::filesystem::path& path);
  // The header of a sample submission after its id column (row_id, or recording_id for RFCX).
  static ClassList from_sample_submission(const std::filesystem::path& path);
  // The sorted unique primary and secondary labels (byte order, which is Python's sorted() for
  // UTF-8 text), for data sets that ship no taxonomy.
  static ClassList from_metadata(const ClipMetadata& metadata);

  std::size_t size() const { return names_.size(); }
  const std::vector<std::string>& names() const { return names_; }
  const std::string& name(std::size_t index) const { return names_[index]; }
  const std::string& source() const { return source_; }

  std::optional<std::size_t> find(std::string_view name) const;
  // The class's index; a FormatError "unknown class '…' (not among the N classes of <source>)".
  std::size_t index(std::string_view name) const;

 private:
  explicit ClassList(std::string source) : source_(std::move(source)) {}
  // Appends `name`, or returns the index of the class already of that name (leaving the list
  // as it was) so the caller can report the duplicate at its own place.
  std::optional<std::size_t> append(const std::string& name);

  std::vector<std::string> names_;
  std::map<std::string, std::size_t, std::less<>> index_;
  std::string source_;
};

// Why `name` cannot be a class, or nothing when it can: it must be non-empty and hold no
// whitespace, because soundscape label files and predictions write labels space-separated.
std::optional<std::string> class_name_problem(std::string_view name);

// Label policy: every primary and secondary label of the metadata must be a class. A label
// outside the class list is a FormatError at the first unknown label — "<metadata>:<line>:
// unknown label 'x' in secondary_labels (not among the N classes of <source>)", with the count
// of unknown labels in all when there are more — never a silently dropped training target.
void check_labels_known(const ClipMetadata& metadata, const ClassList& classes);

// The one deliberate exception, for callers that choose it: BirdCLEF's secondary labels also
// name species outside the competition's classes (any species the recordist heard), and the
// winning pipelines ignore those. Removes them and returns how many were removed; primary
// labels are left to check_labels_known.
std::size_t drop_unknown_secondary_labels(ClipMetadata& metadata, const ClassList& classes);

}  // namespace chorus::formats
