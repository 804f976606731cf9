// CSV and TSV tables as users hand them over: the strict RFC 4180 parser, then the readers built
// on it for training metadata (train_metadata.csv), soundscape labels and species lists.

#include "formats/clip_metadata.hpp"
#include "formats/csv_table.hpp"
#include "formats/soundscape_labels.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace chorus::formats;
  chorus::fuzz::read_as_file(data, size, ".csv", [](const auto& path) { CsvTable::read(path); });
  chorus::fuzz::read_as_file(data, size, ".tsv",
                             [](const auto& path) { CsvTable::read(path, '\t'); });
  chorus::fuzz::read_as_file(data, size, ".csv",
                             [](const auto& path) { ClipMetadata::read(path); });
  chorus::fuzz::read_as_file(data, size, ".csv",
                             [](const auto& path) { read_soundscape_labels(path); });
  return 0;
}
