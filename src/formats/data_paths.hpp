#pragma once
// Filenames read from metadata tables (BirdCLEF `filename`, RFCX recording ids, soundscape
// files) are resolved against a data root the user chose. A table is data, not code: it must not
// be able to make chorus read (or, through caches named after it, write) outside that root, so
// absolute names and names that climb out of the root are errors, not paths.

#include <filesystem>
#include <string_view>

namespace chorus::formats {

// `root / relative`, with `relative` normalised lexically ("a/./b/../c" → "a/c"). A FormatError
// "<where>: …" (where = "<table>:<line>", the place the name was read) for an empty name, a NUL
// byte, an absolute name, a name that leaves the root after normalisation ("../x",
// "a/../../x"), a name that is the root itself ("a/..") and one that ends in a directory ("a/").
// Symbolic links inside the root are followed as the file system does: placing them there is the
// user's own decision.
std::filesystem::path resolve_data_path(const std::filesystem::path& root,
                                        std::string_view relative, std::string_view where);

}  // namespace chorus::formats
