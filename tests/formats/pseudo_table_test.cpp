// The pseudo-label table: what is written reads back to the same floats, and every malformed
// table is refused naming the file, the line and the problem.

#include "formats/pseudo_table.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "support/test_support.hpp"

namespace chorus {
namespace {

TEST(PseudoTable, RoundTripsExactly) {
  testing::TempDir dir;
  formats::PseudoTable table;
  table.classes = {"amecro", "b,c", "sp\"q"};  // names that need quoting
  table.rows.push_back({"site_a/20190522_050000.ogg", 0, 5, {0.123456789f, 0.0f, 1.0f}, 0});
  table.rows.push_back({"site_b/20190522_050000.ogg", 2.5, 3.0, {1e-7f, 0.5f, 0.333333f}, 0});
  formats::write_pseudo_table(dir / "p.csv", table);
  const formats::PseudoTable back = formats::read_pseudo_table(dir / "p.csv");
  EXPECT_EQ(back.classes, table.classes);
  ASSERT_EQ(back.rows.size(), 2u);
  for (std::size_t r = 0; r < 2; ++r) {
    EXPECT_EQ(back.rows[r].recording, table.rows[r].recording);
    EXPECT_EQ(back.rows[r].start_seconds, table.rows[r].start_seconds);
    EXPECT_EQ(back.rows[r].end_seconds, table.rows[r].end_seconds);
    EXPECT_EQ(back.rows[r].probabilities, table.rows[r].probabilities);  // bit for bit
    EXPECT_EQ(back.rows[r].line, static_cast<int>(r) + 2);
  }
  EXPECT_EQ(testing::read_text(dir / "p.csv").substr(0, 39),
            "recording,start_s,end_s,amecro,\"b,c\",\"s");
}

TEST(PseudoTable, MalformedTablesAreNamed) {
  testing::TempDir dir;
  const auto error = [&](const std::string& text) {
    std::ofstream(dir / "p.csv") << text;
    return testing::error_message([&] { formats::read_pseudo_table(dir / "p.csv"); });
  };
  const std::string p = (dir / "p.csv").string();
  EXPECT_EQ(error("recording,start_s,end_s\na.ogg,0,5\n"),
            p + ":1: no class column (expected recording, start_s, end_s and one column per "
                "class)");
  EXPECT_EQ(error("recording,start_s,end_s,x,x\na.ogg,0,5,0,0\n"),
            p + ":1: column 'x' appears twice (columns 4 and 5)");
  EXPECT_EQ(error("recording,start_s,end_s,x\na.ogg,0,5,1.5\n"),
            p + ":2: x = 1.5 is not a probability in [0, 1]");
  EXPECT_EQ(error("recording,start_s,end_s,x\na.ogg,5,5,0.5\n"),
            p + ":2: end_s 5 is not after start_s 5");
  EXPECT_EQ(error("recording,start_s,end_s,x\na.ogg,-1,5,0.5\n"), p + ":2: start_s -1 is negative");
  EXPECT_NE(error("recording,start_s,end_s,x\na.ogg,0,5,nan\n").find(p + ":2:"), std::string::npos);
  EXPECT_NE(error("start_s,end_s,x\n0,5,0.5\n").find("recording"), std::string::npos);
}

}  // namespace
}  // namespace chorus
