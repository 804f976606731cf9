#include "audio/audio_files.hpp"

#include <algorithm>
#include <cctype>
#include <set>
#include <string>

#include "core/error.hpp"

namespace chorus::audio {

namespace fs = std::filesystem;

std::string lowercase_extension(const fs::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext;
}

bool has_audio_extension(const fs::path& path) {
  static const std::set<std::string> kExtensions = {".wav", ".flac", ".ogg", ".opus",
                                                    ".mp3", ".aiff", ".aif"};
  return kExtensions.contains(lowercase_extension(path));
}

std::string unreadable_path(const fs::path& path) {
  std::error_code ec;
  const fs::file_status link = fs::symlink_status(path, ec);
  if (ec || !fs::exists(link)) return "no such file";
  const fs::file_status target = fs::status(path, ec);
  if (ec == std::errc::too_many_symbolic_link_levels) return "a symbolic link loop";
  if (ec && fs::is_symlink(link))
    return fmt::format("a symbolic link to '{}', which does not exist",
                       fs::read_symlink(path, ec).string());
  if (ec) return ec.message();
  switch (target.type()) {
    case fs::file_type::directory:
      return "a folder, not a file";
    case fs::file_type::fifo:
      return "a FIFO (named pipe), not a regular file";
    case fs::file_type::socket:
      return "a socket, not a regular file";
    case fs::file_type::block:
    case fs::file_type::character:
      return "a device, not a regular file";
    default:
      return "not a regular file";
  }
}

std::vector<fs::path> collect_audio_files(const std::vector<fs::path>& inputs) {
  std::vector<fs::path> files;
  for (const fs::path& input : inputs) {
    std::error_code ec;
    if (!fs::is_directory(input, ec)) {
      CHORUS_CHECK_AS(IoError, fs::exists(fs::symlink_status(input, ec)),
                      "{}: no such file or directory", input.string());
      files.push_back(input);  // whatever it is, the user named it: its reader says what is wrong
      continue;
    }
    // Links to folders are not followed (no loops); every other entry with an audio extension is
    // taken, readable or not, so that a dangling link, a loop or a FIFO among the recordings is
    // reported by its reader like any bad file instead of silently left out.
    auto entry = fs::recursive_directory_iterator(input, ec);
    for (; !ec && entry != fs::recursive_directory_iterator(); entry.increment(ec)) {
      std::error_code status;
      if (has_audio_extension(entry->path()) && !entry->is_directory(status))
        files.push_back(entry->path());
    }
    CHORUS_CHECK_AS(IoError, !ec, "{}: cannot list the folder: {}", input.string(), ec.message());
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace chorus::audio
