#pragma once
// Finding recordings: which files chorus treats as audio, and the walk of folders that
// `chorus predict`, training's no-call and background folders all do the same way.

#include <filesystem>
#include <vector>

namespace chorus::audio {

// Whether the extension is one chorus decodes: .wav .flac .ogg .opus .mp3 .aiff .aif, any case.
bool has_audio_extension(const std::filesystem::path& path);

// The audio files among `inputs`: a folder is searched recursively for regular files with an
// audio extension, a file is taken as it is (whatever its extension: the user named it). A
// missing input is an IoError naming it. In path order.
std::vector<std::filesystem::path> collect_audio_files(
    const std::vector<std::filesystem::path>& inputs);

}  // namespace chorus::audio
