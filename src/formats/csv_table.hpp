#pragma once
// CSV and TSV tables (BirdCLEF metadata, RFCX annotations, Raven selection tables, soundscape
// labels, submissions), parsed by libcsv in strict RFC 4180 mode: quoted fields may hold commas,
// quotes ("") and newlines. Every error names the file and the line: a ragged row, a stray quote,
// a missing column, a cell that is not the number it should be.

#include <cstddef>
#include <filesystem>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chorus::formats {

class CsvTable {
 public:
  // Reads the whole table; the first record is the header. A UTF-8 byte-order mark is dropped,
  // blank lines are skipped, CRLF line ends are accepted.
  static CsvTable read(const std::filesystem::path& path, char delimiter = ',');

  const std::string& path() const { return path_; }
  const std::vector<std::string>& header() const { return header_; }
  std::size_t rows() const { return rows_.size(); }
  // The physical line (1-based) where a row starts.
  int line(std::size_t row) const { return lines_[row]; }

  std::optional<std::size_t> find_column(std::string_view name) const;
  // The column's index; a FormatError listing the columns there are when it is missing.
  std::size_t column(std::string_view name) const;
  // The first of several accepted names that is a column (formats that spell a column in more
  // than one way); a FormatError listing both the names and the columns when none is.
  std::size_t column(std::initializer_list<std::string_view> names) const;

  const std::string& at(std::size_t row, std::size_t column) const { return rows_[row][column]; }
  // The cell as a finite number / an integer, or a FormatError naming file, line and column.
  double number(std::size_t row, std::size_t column) const;
  long long integer(std::size_t row, std::size_t column) const;
  // An empty cell is a missing value (pandas writes NaN as nothing); anything else must be a
  // finite number.
  std::optional<double> optional_number(std::size_t row, std::size_t column) const;
  // The cell, which must not be empty (a FormatError naming the column otherwise).
  const std::string& text(std::size_t row, std::size_t column) const;

  // Throws FormatError("<path>:<line>: <message>") for a row.
  [[noreturn]] void fail(std::size_t row, const std::string& message) const;

 private:
  std::string path_;
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
  std::vector<int> lines_;
};

// A table's text built a row at a time, for tables too long to hold as strings per field (a
// run's detections reach millions of rows): fields are quoted where they hold the delimiter, a
// quote or a line break, and numbers are written straight into the text.
class CsvText {
 public:
  explicit CsvText(char delimiter = ',') : delimiter_(delimiter) {}

  CsvText& field(std::string_view text);
  // `value` with `decimals` digits after the point (12.500), as printf's %.*f.
  CsvText& fixed(double value, int decimals);
  // `value` to `digits` significant digits without trailing zeros (0.9, 1.23457e-05), as %.*g.
  CsvText& significant(double value, int digits);
  CsvText& integer(long long value);
  // Ends the row (a line break).
  void end_row();
  // A whole row of text fields (a header).
  void row(std::initializer_list<std::string_view> fields);

  const std::string& text() const { return text_; }

 private:
  // The delimiter before every field but a row's first.
  void separate();
  std::string text_;
  char delimiter_;
  bool row_open_ = false;
};

// Writes a table atomically, quoting fields that hold the delimiter, a quote or a line break.
void write_csv(const std::filesystem::path& path, const std::vector<std::string>& header,
               const std::vector<std::vector<std::string>>& rows, char delimiter = ',');

}  // namespace chorus::formats
