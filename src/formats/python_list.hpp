#pragma once
// BirdCLEF metadata stores label lists as Python literals (pandas wrote `str(list)`):
// `['amecro', 'blujay']`, `[]`, `["o'brien"]`. They are parsed strictly, as a subset of what
// Python's `ast.literal_eval` accepts for a list of strings (single- or double-quoted items, the
// escapes \\ \' \" that `repr` writes, commas, whitespace, an optional trailing comma), so a
// truncated or hand-edited cell is an error and never a list holding a wrong label.

#include <string>
#include <string_view>
#include <vector>

namespace chorus::formats {

// The strings of a Python list literal. Anything else is a FormatError "<what was expected> at
// character N", N counted from 1 in characters (not bytes) of the UTF-8 text, so the caller can
// prefix the file, line and column.
std::vector<std::string> parse_python_string_list(std::string_view text);

}  // namespace chorus::formats
