#include "formats/data_paths.hpp"

#include <fmt/format.h>

#include "core/error.hpp"

namespace chorus::formats {

std::filesystem::path resolve_data_path(const std::filesystem::path& root,
                                        std::string_view relative, std::string_view where) {
  CHORUS_CHECK_AS(FormatError, !relative.empty(), "{}: empty filename", where);
  // The operating system would stop at a NUL byte and open a different file than the one named.
  CHORUS_CHECK_AS(FormatError, relative.find('\0') == std::string_view::npos,
                  "{}: filename contains a NUL byte", where);
  const std::filesystem::path name(relative);
  CHORUS_CHECK_AS(FormatError, !name.has_root_path(),
                  "{}: filename '{}' is absolute; filenames must be relative to the data root {}",
                  where, relative, root.string());
  const std::filesystem::path normal = name.lexically_normal();
  CHORUS_CHECK_AS(FormatError, *normal.begin() != "..", "{}: filename '{}' leaves the data root {}",
                  where, relative, root.string());
  CHORUS_CHECK_AS(FormatError, normal != ".",
                  "{}: filename '{}' names the data root itself, not a file in it", where,
                  relative);
  CHORUS_CHECK_AS(FormatError, normal.has_filename(),
                  "{}: filename '{}' names a directory, not a file", where, relative);
  return root / normal;
}

}  // namespace chorus::formats
