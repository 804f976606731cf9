#pragma once
// A species list: the classes a prediction run reports (postprocess.species, predict
// --species-list), as BirdNET-Analyzer's --slist restricts its output. A text file, one class
// name per line as the model names it; blank lines and lines starting with '#' are skipped,
// surrounding whitespace is ignored, a name listed twice counts once. A name that is not one of
// the model's classes, or a list naming none, is a FormatError naming the file and line: a
// misspelt species must not silently vanish from a survey.

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace chorus::formats {

// The listed classes' indices into `classes`, in the model's class order.
std::vector<std::size_t> read_species_list(const std::filesystem::path& path,
                                           const std::vector<std::string>& classes);

}  // namespace chorus::formats
