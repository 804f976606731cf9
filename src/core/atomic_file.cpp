#include "core/atomic_file.hpp"

#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "core/error.hpp"

namespace chorus::core {

void write_atomically(const std::filesystem::path& path,
                      const std::function<void(const std::filesystem::path&)>& write) {
  namespace fs = std::filesystem;
  const fs::path parent = path.parent_path().empty() ? fs::path(".") : path.parent_path();
  CHORUS_CHECK_AS(IoError, fs::is_directory(parent), "cannot write {}: directory {} does not exist",
                  path.string(), parent.string());
  // Same directory as the target, so the rename never crosses file systems.
  const fs::path temporary =
      parent / fmt::format(".{}.tmp-{}", path.filename().string(), ::getpid());
  try {
    write(temporary);
  } catch (...) {
    std::error_code ignored;
    fs::remove(temporary, ignored);
    throw;
  }
  std::error_code ec;
  fs::rename(temporary, path, ec);
  if (ec) {
    fs::remove(temporary, ec);
    throw IoError(fmt::format("cannot write {}: {}", path.string(), ec.message()));
  }
}

void write_file_atomically(const std::filesystem::path& path, std::string_view bytes) {
  write_atomically(path, [&](const std::filesystem::path& temporary) {
    std::ofstream out(temporary, std::ios::binary);
    CHORUS_CHECK_AS(IoError, out.good(), "cannot open {} for writing", temporary.string());
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.flush();
    CHORUS_CHECK_AS(IoError, out.good(), "cannot write {} (disk full?)", temporary.string());
  });
}

}  // namespace chorus::core
