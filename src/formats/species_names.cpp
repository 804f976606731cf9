#include "formats/species_names.hpp"

#include <initializer_list>
#include <optional>
#include <string_view>

#include "formats/csv_table.hpp"

namespace chorus::formats {
namespace {

const std::string& name_or(const std::vector<std::string>& names, std::size_t cls,
                           const std::string& code) {
  return cls < names.size() && !names[cls].empty() ? names[cls] : code;
}

// The first of `names` the table has.
std::optional<std::size_t> first_column(const CsvTable& table,
                                        std::initializer_list<std::string_view> names) {
  for (std::string_view name : names)
    if (const auto found = table.find_column(name)) return found;
  return std::nullopt;
}

}  // namespace

SpeciesNames SpeciesNames::from_taxonomy(const ClassList& classes,
                                         const std::filesystem::path& path) {
  const CsvTable table = CsvTable::read(path);
  const std::size_t code = table.column({"primary_label", "species_code", "SPECIES_CODE"});
  const auto scientific_column = first_column(table, {"scientific_name", "SCI_NAME"});
  const auto common_column =
      first_column(table, {"common_name", "PRIMARY_COM_NAME", "COMMON_NAME"});
  SpeciesNames names;
  if (!scientific_column && !common_column) return names;
  names.scientific.assign(classes.size(), "");
  names.common.assign(classes.size(), "");
  for (std::size_t row = 0; row < table.rows(); ++row) {
    const auto cls = classes.find(table.at(row, code));
    if (!cls) continue;  // a taxonomy lists more species than a model predicts
    if (scientific_column) names.scientific[*cls] = table.at(row, *scientific_column);
    if (common_column) names.common[*cls] = table.at(row, *common_column);
  }
  return names;
}

const std::string& SpeciesNames::common_or(std::size_t cls, const std::string& code) const {
  return name_or(common, cls, code);
}

const std::string& SpeciesNames::scientific_or(std::size_t cls, const std::string& code) const {
  return name_or(scientific, cls, code);
}

}  // namespace chorus::formats
