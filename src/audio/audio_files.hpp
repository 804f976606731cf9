#pragma once
// Finding recordings: which files chorus treats as audio, and the walk of folders that
// `chorus predict`, training's no-call and background folders all do the same way.

#include <filesystem>
#include <string>
#include <vector>

namespace chorus::audio {

// The extension in lower case, with its dot (".ogg"); empty where there is none.
std::string lowercase_extension(const std::filesystem::path& path);

// Whether the extension is one chorus decodes: .wav .flac .ogg .opus .mp3 .aiff .aif, any case.
bool has_audio_extension(const std::filesystem::path& path);

// What keeps `path` from being read as a file, in words: "no such file", "a symbolic link
// loop", "a symbolic link to 'x', which does not exist", "a FIFO (named pipe), not a regular
// file", … (for a path that is not a readable regular file).
std::string unreadable_path(const std::filesystem::path& path);

// The audio files among `inputs`: a folder is searched recursively (not into linked folders) for
// entries with an audio extension that are not folders, a file is taken as it is (whatever its
// extension: the user named it). Entries that cannot be read (dangling links, link loops, FIFOs)
// are included, for open_audio to report per file. A missing input is an IoError naming it. In
// path order.
std::vector<std::filesystem::path> collect_audio_files(
    const std::vector<std::filesystem::path>& inputs);

}  // namespace chorus::audio
