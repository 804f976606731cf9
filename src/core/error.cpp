#include "core/error.hpp"

#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace chorus {
namespace {

// "src/audio/decoder.cpp:42": the path from the project's src/ down, never a build machine's.
std::string short_location(const std::source_location& location) {
  std::string_view file = location.file_name();
  if (auto pos = file.rfind("src/"); pos != std::string_view::npos) file.remove_prefix(pos);
  return fmt::format("{}:{}", file, location.line());
}

}  // namespace

Error::Error(std::string message, std::source_location location)
    : std::runtime_error(std::move(message)), where_(short_location(location)) {}

namespace detail {
void dcheck_failed(const char* expression, std::source_location location) {
  std::fprintf(stderr, "chorus internal error: check failed: %s (%s)\n", expression,
               short_location(location).c_str());
  std::abort();
}
}  // namespace detail
}  // namespace chorus
