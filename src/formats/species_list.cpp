#include "formats/species_list.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <set>

#include "core/error.hpp"

namespace chorus::formats {
namespace {

std::string trimmed(const std::string& line) {
  const auto first = line.find_first_not_of(" \t\r");
  if (first == std::string::npos) return {};
  return line.substr(first, line.find_last_not_of(" \t\r") - first + 1);
}

// "a, b, c" for messages, at most `shown` names.
std::string some_of(const std::vector<std::string>& names, std::size_t shown = 8) {
  std::string text;
  for (std::size_t i = 0; i < std::min(shown, names.size()); ++i)
    text += (i ? ", " : "") + names[i];
  return names.size() > shown ? text + ", …" : text;
}

}  // namespace

std::vector<std::size_t> read_species_list(const std::filesystem::path& path,
                                           const std::vector<std::string>& classes) {
  std::ifstream in(path);
  CHORUS_CHECK_AS(IoError, in.good(), "{}: cannot open the species list", path.string());
  std::set<std::size_t> listed;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    const std::string name = trimmed(line);
    if (name.empty() || name.front() == '#') continue;
    const auto found = std::find(classes.begin(), classes.end(), name);
    CHORUS_CHECK_AS(FormatError, found != classes.end(),
                    "{}:{}: '{}' is not one of the model's {} classes ({})", path.string(), number,
                    name, classes.size(), some_of(classes));
    listed.insert(static_cast<std::size_t>(found - classes.begin()));
  }
  CHORUS_CHECK_AS(IoError, !in.bad(), "{}: read error", path.string());
  CHORUS_CHECK_AS(FormatError, !listed.empty(), "{}: the species list names no class",
                  path.string());
  return {listed.begin(), listed.end()};
}

}  // namespace chorus::formats
