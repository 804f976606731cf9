#include "formats/class_names.hpp"

#include <algorithm>

#include "formats/csv_table.hpp"

namespace chorus::formats {
namespace {

std::string ascii_lower(std::string_view s) {
  std::string lower(s);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  });
  return lower;
}

template <typename Names>
void claim(Names& names, std::string key, std::size_t cls) {
  const auto [it, added] = names.try_emplace(std::move(key), cls);
  if (!added && it->second != cls) it->second.reset();
}

}  // namespace

ClassNames::ClassNames(const ClassList& classes) {
  for (std::size_t c = 0; c < classes.size(); ++c) {
    codes_.emplace(classes.name(c), c);
    claim(folded_, ascii_lower(classes.name(c)), c);
  }
}

void ClassNames::add(std::string_view name, std::size_t cls) {
  if (name.empty()) return;
  claim(exact_, std::string(name), cls);
  claim(folded_, ascii_lower(name), cls);
}

void ClassNames::add_taxonomy(const std::filesystem::path& path) {
  const CsvTable table = CsvTable::read(path);
  const std::size_t code = table.column({"primary_label", "species_code", "SPECIES_CODE"});
  std::vector<std::size_t> name_columns;
  for (const char* column :
       {"scientific_name", "common_name", "SCI_NAME", "PRIMARY_COM_NAME", "COMMON_NAME"})
    if (const auto found = table.find_column(column)) name_columns.push_back(*found);
  for (std::size_t row = 0; row < table.rows(); ++row) {
    // A species that is not a class still claims its names, so that a name it shares with a
    // class is ambiguous rather than taken for that class.
    const auto cls = codes_.find(table.at(row, code));
    const std::size_t index = cls == codes_.end() ? kNotAClass : cls->second;
    for (std::size_t column : name_columns) add(table.at(row, column), index);
  }
}

std::optional<std::size_t> ClassNames::find(std::string_view name) const {
  if (const auto it = codes_.find(name); it != codes_.end()) return it->second;
  std::optional<std::size_t> found;
  if (const auto it = exact_.find(name); it != exact_.end())
    found = it->second;
  else if (const auto folded = folded_.find(ascii_lower(name)); folded != folded_.end())
    found = folded->second;
  return found == kNotAClass ? std::nullopt : found;
}

}  // namespace chorus::formats
