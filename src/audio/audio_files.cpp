#include "audio/audio_files.hpp"

#include <algorithm>
#include <cctype>
#include <set>
#include <string>

#include "core/error.hpp"

namespace chorus::audio {

namespace fs = std::filesystem;

bool has_audio_extension(const fs::path& path) {
  static const std::set<std::string> kExtensions = {".wav", ".flac", ".ogg", ".opus",
                                                    ".mp3", ".aiff", ".aif"};
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return kExtensions.contains(ext);
}

std::vector<fs::path> collect_audio_files(const std::vector<fs::path>& inputs) {
  std::vector<fs::path> files;
  for (const fs::path& input : inputs) {
    CHORUS_CHECK_AS(IoError, fs::exists(input), "{}: no such file or directory", input.string());
    if (!fs::is_directory(input)) {
      files.push_back(input);
      continue;
    }
    for (const auto& entry : fs::recursive_directory_iterator(input))
      if (entry.is_regular_file() && has_audio_extension(entry.path()))
        files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace chorus::audio
