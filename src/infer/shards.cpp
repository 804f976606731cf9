#include "infer/shards.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <tuple>

#include "core/error.hpp"
#include "formats/csv_table.hpp"
#include "formats/row_id_column.hpp"
#include "formats/score_table.hpp"

namespace chorus::infer {
Shard parse_shard(const std::string& text) {
  Shard s;
  int one_based = 0;
  const auto slash = text.find('/');
  const bool ok =
      slash != std::string::npos &&
      std::from_chars(text.data(), text.data() + slash, one_based).ptr == text.data() + slash &&
      std::from_chars(text.data() + slash + 1, text.data() + text.size(), s.count).ptr ==
          text.data() + text.size();
  CHORUS_CHECK_AS(ConfigError, ok && s.count >= 1 && one_based >= 1 && one_based <= s.count,
                  "--shard '{}': expected I/N with 1 ≤ I ≤ N (e.g. 3/8)", text);
  s.index = one_based - 1;
  return s;
}

void sort_canonically(std::vector<std::filesystem::path>& files) {
  std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) {
    return std::make_pair(a.stem().string(), a.string()) <
           std::make_pair(b.stem().string(), b.string());
  });
}

std::vector<std::size_t> shard_positions(std::size_t count, Shard shard) {
  std::vector<std::size_t> mine;
  for (auto i = static_cast<std::size_t>(shard.index); i < count;
       i += static_cast<std::size_t>(shard.count))
    mine.push_back(i);
  return mine;
}

void merge_submissions(const std::vector<std::filesystem::path>& parts,
                       const std::filesystem::path& out) {
  CHORUS_CHECK(!parts.empty(), "chorus merge: no submission parts given");
  struct Row {
    std::string stem;
    double end = 0;
    std::vector<std::string> cells;
  };
  std::vector<Row> rows;
  std::map<std::string, std::string> seen;  // row_id → the part it came from
  std::vector<std::string> header;
  for (const auto& part : parts) {
    const formats::CsvTable table = formats::CsvTable::read(part);
    if (header.empty()) header = table.header();
    CHORUS_CHECK_AS(FormatError, table.header() == header,
                    "{}: its columns differ from those of {}", part.string(),
                    parts.front().string());
    const std::size_t id = table.column("row_id");
    for (std::size_t r = 0; r < table.rows(); ++r) {
      const std::string& row_id = table.at(r, id);
      const auto [it, fresh] = seen.try_emplace(row_id, part.string());
      if (!fresh) table.fail(r, fmt::format("row_id '{}' is also in {}", row_id, it->second));
      auto [stem, end] =
          formats::split_chunk_row_id(row_id, fmt::format("{}:{}", part.string(), table.line(r)));
      Row row{std::move(stem), end, {}};
      for (std::size_t c = 0; c < header.size(); ++c) {
        // A score cell must be a finite number: NaN or inf would pass into the merged file.
        if (c != id) static_cast<void>(table.number(r, c));
        row.cells.push_back(table.at(r, c));
      }
      rows.push_back(std::move(row));
    }
  }
  std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    return std::tie(a.stem, a.end) < std::tie(b.stem, b.end);
  });
  std::vector<std::vector<std::string>> cells;
  for (auto& r : rows) cells.push_back(std::move(r.cells));
  formats::write_csv(out, header, cells);
}

}  // namespace chorus::infer
