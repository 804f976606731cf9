// Raven Pro selection tables (tab-separated, the label in `Species` or a named column), as
// chorus eval and Raven-annotated training folders read them.

#include "formats/raven_table.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using chorus::formats::RavenTable;
  return chorus::fuzz::read_as_file(data, size, ".selections.txt",
                                    [](const auto& path) { RavenTable::read(path); });
}
