#pragma once
// Helpers for the metadata reader tests: write a small table, and get the message a reader
// rejects it with (the tests compare whole messages: the file, the line and the wording are
// what a user sees).

#include <filesystem>
#include <fstream>
#include <string>

#include "core/error.hpp"
#include "support/test_support.hpp"

namespace chorus::testing {

inline std::filesystem::path write_file(const TempDir& dir, const std::string& name,
                                        const std::string& text) {
  std::ofstream(dir / name, std::ios::binary) << text;
  return dir / name;
}

// The FormatError's message, or "no error" when `action` succeeds.
template <class Action>
std::string format_error(Action&& action) {
  try {
    action();
  } catch (const FormatError& e) {
    return e.what();
  }
  return "no error";
}

// The same, with `path` written as "<p>" in the message, so expectations stay readable.
template <class Action>
std::string format_error_in(const std::filesystem::path& path, Action&& action) {
  std::string message = format_error(action);
  if (const auto at = message.find(path.string()); at != std::string::npos)
    message.replace(at, path.string().size(), "<p>");
  return message;
}

}  // namespace chorus::testing
