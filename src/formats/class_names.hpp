#pragma once
// The names a class goes by, for tables other tools write: its code (the class list's name) and,
// from a taxonomy, its scientific and common names (BirdCLEF taxonomy.csv: scientific_name,
// common_name; eBird's: SCI_NAME, PRIMARY_COM_NAME). A code wins; then a name matches exactly,
// or else ignoring ASCII case; a name that two classes share matches neither (it is reported,
// not guessed).

#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "formats/class_list.hpp"

namespace chorus::formats {

class ClassNames {
 public:
  explicit ClassNames(const ClassList& classes);

  // Adds the scientific and common names of the taxonomy's rows (the code column as
  // ClassList::from_taxonomy reads it). Rows that are not classes take part too: a name one of
  // them shares with a class names neither. Errors name the file and line.
  void add_taxonomy(const std::filesystem::path& path);

  // The class `name` stands for, or nothing (unknown, or shared by two classes).
  std::optional<std::size_t> find(std::string_view name) const;

 private:
  using Names = std::map<std::string, std::optional<std::size_t>, std::less<>>;
  static constexpr std::size_t kNotAClass = static_cast<std::size_t>(-1);  // a taxonomy species
  void add(std::string_view name, std::size_t cls);

  std::map<std::string, std::size_t, std::less<>> codes_;
  Names exact_, folded_;  // name → its class; nothing when two classes claim it
};

}  // namespace chorus::formats
