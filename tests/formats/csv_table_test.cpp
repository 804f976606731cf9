// CSV/TSV tables: RFC 4180 quoting, and errors that name the file, the line and the problem.

#include "formats/csv_table.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <fstream>

#include "core/error.hpp"
#include "formats/reader_testing.hpp"
#include "support/test_support.hpp"

namespace chorus {
namespace {

std::filesystem::path write(const testing::TempDir& dir, const std::string& name,
                            const std::string& text) {
  std::ofstream(dir / name, std::ios::binary) << text;
  return dir / name;
}

std::string read_error(const std::filesystem::path& path, char delimiter = ',') {
  try {
    formats::CsvTable::read(path, delimiter);
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

TEST(CsvTable, QuotedCommasQuotesAndNewlines) {
  testing::TempDir dir;
  const auto path = write(dir, "m.csv",
                          "\xEF\xBB\xBFprimary_label,secondary_labels,filename,rating\r\n"
                          "amecro,\"['amerob', 'blujay']\",amecro/XC1.ogg,4.5\r\n"
                          "\n"
                          "tawowl1,\"a \"\"quoted\"\"\nnote\",tawowl1/XC2.ogg,3\n"
                          "zebdov,[],zébdov/XC3 été.ogg,0\n");
  const formats::CsvTable t = formats::CsvTable::read(path);
  EXPECT_EQ(t.header(),
            (std::vector<std::string>{"primary_label", "secondary_labels", "filename", "rating"}));
  ASSERT_EQ(t.rows(), 3u);
  EXPECT_EQ(t.at(0, 1), "['amerob', 'blujay']");
  EXPECT_EQ(t.at(1, 1), "a \"quoted\"\nnote");
  EXPECT_EQ(t.at(2, 2), "zébdov/XC3 été.ogg");
  EXPECT_EQ(t.line(0), 2);
  EXPECT_EQ(t.line(1), 4);
  EXPECT_EQ(t.line(2), 6);  // the quoted newline makes the previous record two lines long
  EXPECT_DOUBLE_EQ(t.number(0, t.column("rating")), 4.5);
  EXPECT_EQ(t.integer(1, 3), 3);
}

TEST(CsvTable, TabSeparatedRavenTable) {
  testing::TempDir dir;
  const auto path = write(dir, "r.txt",
                          "Selection\tView\tBegin Time (s)\tEnd Time (s)\tSpecies\n"
                          "1\tSpectrogram 1\t1.25\t2.5\tgolden-winged warbler\n");
  const formats::CsvTable t = formats::CsvTable::read(path, '\t');
  EXPECT_EQ(t.at(0, t.column("Species")), "golden-winged warbler");
  EXPECT_DOUBLE_EQ(t.number(0, t.column("Begin Time (s)")), 1.25);
}

TEST(CsvTable, ErrorsNameFileLineAndProblem) {
  testing::TempDir dir;
  const std::string p = (dir / "x.csv").string();
  write(dir, "x.csv", "a,b\n1,2\n3\n");
  EXPECT_EQ(read_error(dir / "x.csv"), p + ":3: expected 2 fields (as in the header), found 1");
  write(dir, "x.csv", "a,b\n1,\"open\n");
  EXPECT_EQ(read_error(dir / "x.csv").rfind(p + ":2: malformed CSV", 0), 0u)
      << read_error(dir / "x.csv");
  write(dir, "x.csv", "a,b\n1,x\"y\n");
  EXPECT_EQ(read_error(dir / "x.csv").rfind(p + ":2: malformed CSV", 0), 0u)
      << read_error(dir / "x.csv");
  write(dir, "x.csv", "");
  EXPECT_EQ(read_error(dir / "x.csv"), p + ": empty file");
  write(dir, "x.csv", "\n\n");
  EXPECT_EQ(read_error(dir / "x.csv"), p + ": empty file");
  EXPECT_EQ(read_error(dir / "none.csv"),
            (dir / "none.csv").string() + ": cannot open (no such file or not readable)");

  write(dir, "x.csv", "a,rating\n1,good\n");
  const formats::CsvTable t = formats::CsvTable::read(dir / "x.csv");
  try {
    t.number(0, 1);
    FAIL();
  } catch (const FormatError& e) {
    EXPECT_EQ(std::string(e.what()), p + ":2: column 'rating': 'good' is not a finite number");
  }
  try {
    t.column("filename");
    FAIL();
  } catch (const FormatError& e) {
    EXPECT_EQ(std::string(e.what()), p + ": missing column 'filename' (columns: a, rating)");
  }
}

TEST(CsvTable, OptionalNumbersRequiredTextAndAlternativeColumnNames) {
  testing::TempDir dir;
  const std::string p = (dir / "o.csv").string();
  write(dir, "o.csv", "SPECIES_CODE,latitude\namecro,\n,40.5\n");
  const formats::CsvTable t = formats::CsvTable::read(dir / "o.csv");
  EXPECT_EQ(t.optional_number(0, 1), std::nullopt);
  EXPECT_EQ(t.optional_number(1, 1), 40.5);
  EXPECT_EQ(t.text(0, 0), "amecro");
  EXPECT_EQ(t.column({"primary_label", "SPECIES_CODE"}), 0u);
  EXPECT_EQ(testing::format_error([&] { t.text(1, 0); }), p + ":3: column 'SPECIES_CODE' is empty");
  EXPECT_EQ(testing::format_error([&] {
              t.column({"primary_label", "species_code"});
            }),
            p + ": missing column (one of 'primary_label', 'species_code') (columns: SPECIES_CODE, "
                "latitude)");
}

TEST(CsvTable, WrittenTablesReadBack) {
  testing::TempDir dir;
  const std::vector<std::string> header = {"row_id", "note"};
  const std::vector<std::vector<std::string>> rows = {{"s_5", "plain"}, {"s_10", "a, \"b\"\nc"}};
  formats::write_csv(dir / "w.csv", header, rows);
  const formats::CsvTable t = formats::CsvTable::read(dir / "w.csv");
  EXPECT_EQ(t.header(), header);
  ASSERT_EQ(t.rows(), 2u);
  EXPECT_EQ(t.at(1, 1), rows[1][1]);
}

TEST(CsvText, NumbersAsPrintfWritesThemAndFieldsQuotedOnlyWhereNeeded) {
  formats::CsvText text('\t');
  text.row({"name", "seconds", "score", "count"});
  // A comma needs no quotes in a tab-separated table; a tab, a quote or a line break does.
  text.field("a, b").fixed(12.5, 3).significant(0.9f, 6).integer(-7).end_row();
  text.field("tab\there").fixed(0.0005, 3).significant(1.234567e-5, 6).integer(0).end_row();
  text.field("say \"hi\"\r\n").fixed(-2.25, 1).significant(123456789.0, 6).integer(42).end_row();
  EXPECT_EQ(text.text(),
            "name\tseconds\tscore\tcount\n"
            "a, b\t12.500\t0.9\t-7\n"
            "\"tab\there\"\t0.001\t1.23457e-05\t0\n"
            "\"say \"\"hi\"\"\r\n\"\t-2.2\t1.23457e+08\t42\n");
  // The numbers as fmt (and printf) format them, to the digit.
  for (const double v : {0.0, 1e-7, 0.1, 0.30000001192092896, 2.5, 1234.5678, 1e21, -3.75e-3}) {
    formats::CsvText one;
    one.fixed(v, 3).significant(v, 6);
    EXPECT_EQ(one.text(), fmt::format("{:.3f},{:.6g}", v, v)) << v;
  }
}

}  // namespace
}  // namespace chorus
