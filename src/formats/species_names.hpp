#pragma once
// The names people read for each class: its scientific and common name from a taxonomy
// (BirdCLEF taxonomy.csv: primary_label, scientific_name, common_name; eBird's: SPECIES_CODE,
// SCI_NAME, PRIMARY_COM_NAME). Checkpoints carry them, so that Raven tables and Kaleidoscope
// CSVs name species as BirdNET-Analyzer's do; a class the taxonomy lacks has "" and is shown by
// its code.

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "formats/class_list.hpp"

namespace chorus::formats {

struct SpeciesNames {
  std::vector<std::string> scientific;  // one per class, or empty: no names known
  std::vector<std::string> common;

  // The taxonomy's names of `classes` (the code column as ClassList::from_taxonomy reads it). A
  // taxonomy without a scientific or common name column gives "" for those; errors name the file.
  static SpeciesNames from_taxonomy(const ClassList& classes, const std::filesystem::path& path);

  bool empty() const { return scientific.empty() && common.empty(); }
  // The name of class `cls`, or `code` where it is unknown.
  const std::string& common_or(std::size_t cls, const std::string& code) const;
  const std::string& scientific_or(std::size_t cls, const std::string& code) const;
};

}  // namespace chorus::formats
