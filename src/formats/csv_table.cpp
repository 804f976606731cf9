#include "formats/csv_table.hpp"

#include <csv.h>
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "formats/decimal_text.hpp"

namespace chorus::formats {
namespace {

// libcsv calls back per field and per record; this gathers them with the line each record
// started on, and checks each record as it ends, so a table of a million bad rows fails at its
// first (without holding the rest in memory).
struct Collector {
  std::string path;
  std::vector<std::string> header;
  std::vector<std::string> fields;
  std::vector<std::vector<std::string>> records;  // the rows after the header
  std::vector<int> record_lines;
  int line = 1;         // physical line being parsed
  int record_line = 0;  // line where the current record started (0: none yet)
  bool have_header = false;
  std::string problem;  // the first record's problem; parsing stops there

  // A NUL byte is binary data, not text: cut at it, a label would silently lose its end.
  void check_text(int at) {
    for (std::size_t i = 0; i < fields.size() && problem.empty(); ++i)
      if (fields[i].find('\0') != std::string::npos)
        problem = fmt::format("{}:{}: field {} holds a NUL byte (binary data, not text)", path, at,
                              i + 1);
  }

  void end_record() {
    const int at = record_line ? record_line : line;
    check_text(at);
    if (!have_header) {
      // Two columns of one name: a reader would silently take the first.
      for (std::size_t i = 0; i < fields.size() && problem.empty(); ++i)
        for (std::size_t j = i + 1; j < fields.size() && problem.empty(); ++j)
          if (!fields[i].empty() && fields[i] == fields[j])
            problem = fmt::format("{}:{}: column '{}' appears twice (columns {} and {})", path, at,
                                  fields[i], i + 1, j + 1);
      header = std::move(fields);
      have_header = true;
    } else if (problem.empty() && !std::all_of(fields.begin(), fields.end(),
                                               [](const std::string& f) { return f.empty(); })) {
      // (A trailing delimiter-only line or a row of empty cells carries nothing.)
      if (fields.size() != header.size())
        problem = fmt::format("{}:{}: expected {} fields (as in the header), found {}", path, at,
                              header.size(), fields.size());
      records.push_back(std::move(fields));
      record_lines.push_back(at);
    }
    fields.clear();
    record_line = 0;
  }
};

void on_field(void* data, std::size_t size, void* sink) {
  auto& c = *static_cast<Collector*>(sink);
  if (c.fields.empty() && c.record_line == 0) c.record_line = c.line;
  c.fields.emplace_back(data ? static_cast<const char*>(data) : "", data ? size : 0);
}

void on_record(int, void* sink) {
  auto& c = *static_cast<Collector*>(sink);
  if (c.problem.empty()) c.end_record();
}

// Only spaces are trimmed around unquoted fields (libcsv's default also trims tabs, which are
// the delimiter of Raven tables).
int is_space(unsigned char c) { return c == ' ' ? 1 : 0; }

bool needs_quotes(std::string_view field, char delimiter) {
  return std::any_of(field.begin(), field.end(), [delimiter](char c) {
    return c == delimiter || c == '"' || c == '\n' || c == '\r';
  });
}

}  // namespace

CsvTable CsvTable::read(const std::filesystem::path& path, char delimiter) {
  CsvTable table;
  table.path_ = path.string();
  std::ifstream in(path, std::ios::binary);
  CHORUS_CHECK_AS(IoError, in.good(), "{}: cannot open (no such file or not readable)",
                  table.path_);
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string text = buffer.str();
  if (text.starts_with("\xEF\xBB\xBF")) text.erase(0, 3);
  CHORUS_CHECK_AS(FormatError, text.find_first_not_of(" \t\r\n") != std::string::npos,
                  "{}: empty file", table.path_);

  csv_parser parser;
  csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL);
  csv_set_delim(&parser, static_cast<unsigned char>(delimiter));
  csv_set_space_func(&parser, is_space);
  Collector collector;
  collector.path = table.path_;
  // One physical line at a time, so the collector knows which line each record starts on.
  std::size_t pos = 0;
  bool failed = false;
  while (pos < text.size() && !failed && collector.problem.empty()) {
    const std::size_t end = std::min(text.find('\n', pos), text.size() - 1) + 1;
    failed = csv_parse(&parser, text.data() + pos, end - pos, on_field, on_record, &collector) !=
             end - pos;
    if (!failed) ++collector.line;
    pos = end;
  }
  if (!failed && collector.problem.empty())
    failed = csv_fini(&parser, on_field, on_record, &collector) != 0;
  const std::string reason = failed ? csv_strerror(csv_error(&parser)) : "";
  csv_free(&parser);
  // The line of the record being parsed: where an unterminated quote opened, or the stray one.
  CHORUS_CHECK_AS(FormatError, !failed,
                  "{}:{}: malformed {} ({}; is a quote left open, or not doubled inside a field?)",
                  table.path_, collector.record_line ? collector.record_line : collector.line,
                  delimiter == '\t' ? "TSV" : "CSV", reason);

  CHORUS_CHECK_AS(FormatError, collector.problem.empty(), "{}", collector.problem);
  CHORUS_CHECK_AS(FormatError, collector.have_header, "{}: empty file", table.path_);
  table.header_ = std::move(collector.header);
  table.rows_ = std::move(collector.records);
  table.lines_ = std::move(collector.record_lines);
  return table;
}

std::optional<std::size_t> CsvTable::find_column(std::string_view name) const {
  const auto it = std::find(header_.begin(), header_.end(), name);
  if (it == header_.end()) return std::nullopt;
  return static_cast<std::size_t>(it - header_.begin());
}

std::size_t CsvTable::column(std::string_view name) const {
  const auto index = find_column(name);
  CHORUS_CHECK_AS(FormatError, index.has_value(), "{}: missing column '{}' (columns: {})", path_,
                  name, fmt::join(header_, ", "));
  return *index;
}

std::size_t CsvTable::column(std::initializer_list<std::string_view> names) const {
  for (const std::string_view name : names)
    if (const auto index = find_column(name)) return *index;
  throw FormatError(fmt::format("{}: missing column (one of '{}') (columns: {})", path_,
                                fmt::join(names, "', '"), fmt::join(header_, ", ")));
}

double CsvTable::number(std::size_t row, std::size_t column) const {
  const std::string& text = rows_[row][column];
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value))
    fail(row, fmt::format("column '{}': '{}' is not a finite number", header_[column], text));
  return value;
}

long long CsvTable::integer(std::size_t row, std::size_t column) const {
  const std::string& text = rows_[row][column];
  long long value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size())
    fail(row, fmt::format("column '{}': '{}' is not an integer", header_[column], text));
  return value;
}

std::optional<double> CsvTable::optional_number(std::size_t row, std::size_t column) const {
  if (rows_[row][column].empty()) return std::nullopt;
  return number(row, column);
}

const std::string& CsvTable::text(std::size_t row, std::size_t column) const {
  const std::string& cell = rows_[row][column];
  if (cell.empty()) fail(row, fmt::format("column '{}' is empty", header_[column]));
  return cell;
}

void CsvTable::fail(std::size_t row, const std::string& message) const {
  throw FormatError(fmt::format("{}:{}: {}", path_, lines_[row], message));
}

CsvText& CsvText::field(std::string_view text) {
  separate();
  if (!needs_quotes(text, delimiter_)) {
    text_ += text;
    return *this;
  }
  text_ += '"';
  for (char c : text) {
    if (c == '"') text_ += '"';
    text_ += c;
  }
  text_ += '"';
  return *this;
}

CsvText& CsvText::fixed(double value, int decimals) {
  separate();
  append_fixed(text_, value, decimals);
  return *this;
}

CsvText& CsvText::significant(double value, int digits) {
  separate();
  append_significant(text_, value, digits);
  return *this;
}

CsvText& CsvText::integer(long long value) {
  separate();
  append_integer(text_, value);
  return *this;
}

void CsvText::end_row() {
  text_ += '\n';
  row_open_ = false;
}

void CsvText::row(std::initializer_list<std::string_view> fields) {
  for (std::string_view f : fields) field(f);
  end_row();
}

void CsvText::separate() {
  if (row_open_) text_ += delimiter_;
  row_open_ = true;
}

void write_csv(const std::filesystem::path& path, const std::vector<std::string>& header,
               const std::vector<std::vector<std::string>>& rows, char delimiter) {
  CsvText text(delimiter);
  const auto append_record = [&](const std::vector<std::string>& fields) {
    for (const std::string& f : fields) text.field(f);
    text.end_row();
  };
  append_record(header);
  for (const auto& row : rows) {
    CHORUS_DCHECK(row.size() == header.size());
    append_record(row);
  }
  core::write_file_atomically(path, text.text());
}

}  // namespace chorus::formats
