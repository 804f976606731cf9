#pragma once
// Every output chorus writes goes to a temporary name beside the target and is renamed into
// place, so a killed run leaves the old file or the new one, never half of one.

#include <cstddef>
#include <filesystem>
#include <functional>
#include <string_view>

namespace chorus::core {

// Calls write(temporary_path), then renames the temporary onto `path`. If write throws, the
// temporary is removed, `path` is untouched and the exception propagates.
void write_atomically(const std::filesystem::path& path,
                      const std::function<void(const std::filesystem::path& temporary)>& write);

// Removes the temporaries (`.NAME.tmp-PID`) that killed processes left in `dir`, not those of a
// live process; returns how many. A run calls it on the folders it takes over, so a kill leaves
// nothing behind for good.
std::size_t remove_stale_temporaries(const std::filesystem::path& dir);

// Writes `bytes` to `path` atomically.
void write_file_atomically(const std::filesystem::path& path, std::string_view bytes);

}  // namespace chorus::core
