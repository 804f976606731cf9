#include "formats/python_list.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstddef>

#include "core/error.hpp"

namespace chorus::formats {
namespace {

class PythonListParser {
 public:
  explicit PythonListParser(std::string_view text) : text_(text) {}

  std::vector<std::string> parse() {
    skip_space();
    if (!at('[')) fail(pos_, "expected '['");
    ++pos_;
    std::vector<std::string> items;
    skip_space();
    while (!at(']')) {
      items.push_back(quoted_string());
      skip_space();
      if (at(',')) {
        ++pos_;
        skip_space();
      } else if (!at(']')) {
        fail(pos_, "expected ',' or ']'");
      }
    }
    ++pos_;
    skip_space();
    if (pos_ != text_.size()) fail(pos_, "unexpected text after ']'");
    return items;
  }

 private:
  bool at(char c) const { return pos_ < text_.size() && text_[pos_] == c; }

  void skip_space() {
    while (pos_ < text_.size() &&
           std::string_view(" \t\r\n").find(text_[pos_]) != std::string_view::npos)
      ++pos_;
  }

  std::string quoted_string() {
    if (!at('\'') && !at('"')) fail(pos_, "expected a quoted string or ']'");
    const std::size_t start = pos_;
    const char quote = text_[pos_++];
    std::string value;
    for (;;) {
      // A Python string in quotes ends on its line.
      if (pos_ == text_.size() || text_[pos_] == '\n') fail(start, "unterminated string");
      const char c = text_[pos_];
      if (c == quote) {
        ++pos_;
        return value;
      }
      if (c == '\\') {
        const bool known =
            pos_ + 1 < text_.size() &&
            std::string_view("\\'\"").find(text_[pos_ + 1]) != std::string_view::npos;
        if (!known) fail(pos_, "unsupported escape sequence");
        value += text_[pos_ + 1];
        pos_ += 2;
        continue;
      }
      value += c;
      ++pos_;
    }
  }

  [[noreturn]] void fail(std::size_t offset, std::string_view expected) const {
    // UTF-8 continuation bytes (10xxxxxx) do not start a character.
    const auto characters = std::count_if(text_.begin(), text_.begin() + offset, [](char c) {
      return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    });
    throw FormatError(fmt::format("{} at character {}", expected, characters + 1));
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

}  // namespace

std::vector<std::string> parse_python_string_list(std::string_view text) {
  return PythonListParser(text).parse();
}

}  // namespace chorus::formats
