// Python list literals of labels (BirdCLEF secondary_labels and type): what pandas writes is
// read, anything else fails at the character where it goes wrong.

#include "formats/python_list.hpp"

#include <gtest/gtest.h>

#include "formats/reader_testing.hpp"

namespace chorus {
namespace {

using Labels = std::vector<std::string>;

std::string list_error(const std::string& text) {
  return testing::format_error([&] { formats::parse_python_string_list(text); });
}

TEST(PythonList, ReadsWhatPythonWrites) {
  EXPECT_EQ(formats::parse_python_string_list("[]"), Labels{});
  EXPECT_EQ(formats::parse_python_string_list("['amecro', 'blujay']"),
            (Labels{"amecro", "blujay"}));
  EXPECT_EQ(formats::parse_python_string_list("[\"o'brien\", 'a\\'b\\\\']"),
            (Labels{"o'brien", "a'b\\"}));
  EXPECT_EQ(formats::parse_python_string_list(" [ 'call' ,\"flight call\", ] "),
            (Labels{"call", "flight call"}));
  EXPECT_EQ(formats::parse_python_string_list("['pájaro', '鳥']"), (Labels{"pájaro", "鳥"}));
}

TEST(PythonList, MalformedListsNameTheCharacter) {
  EXPECT_EQ(list_error("amecro"), "expected '[' at character 1");
  EXPECT_EQ(list_error(""), "expected '[' at character 1");
  EXPECT_EQ(list_error("['a' 'b']"), "expected ',' or ']' at character 6");
  EXPECT_EQ(list_error("['a', b]"), "expected a quoted string or ']' at character 7");
  EXPECT_EQ(list_error("[,]"), "expected a quoted string or ']' at character 2");
  EXPECT_EQ(list_error("['a',,]"), "expected a quoted string or ']' at character 6");
  EXPECT_EQ(list_error("['a'"), "expected ',' or ']' at character 5");
  EXPECT_EQ(list_error("['abc"), "unterminated string at character 2");
  EXPECT_EQ(list_error("['a\nb']"), "unterminated string at character 2");
  EXPECT_EQ(list_error("['a'] x"), "unexpected text after ']' at character 7");
  EXPECT_EQ(list_error("['a\\n']"), "unsupported escape sequence at character 4");
  // Characters, not bytes: é is two bytes of UTF-8.
  EXPECT_EQ(list_error("['é' x]"), "expected ',' or ']' at character 6");
}

}  // namespace
}  // namespace chorus
