#include "core/atomic_file.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <regex>

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
    std::error_code ignored;  // the rename's error is the one to report
    fs::remove(temporary, ignored);
    throw IoError(fmt::format("cannot write {}: {}", path.string(), ec.message()));
  }
}

std::size_t remove_stale_temporaries(const std::filesystem::path& dir) {
  namespace fs = std::filesystem;
  static const std::regex temporary_name(R"(\..+\.tmp-(\d+))");
  std::size_t removed = 0;
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir, ec)) {
    std::smatch m;
    const std::string name = entry.path().filename().string();
    if (!std::regex_match(name, m, temporary_name)) continue;
    // A live process may be writing it (another chorus sharing the folder): only the dead's go.
    // (A number no pid can be is left alone: the file is not ours.)
    const std::string digits = m[1];
    pid_t pid = 0;
    const auto [end, parsed] = std::from_chars(digits.data(), digits.data() + digits.size(), pid);
    if (parsed != std::errc() || pid <= 0) continue;
    if (pid == ::getpid() || ::kill(pid, 0) == 0 || errno != ESRCH) continue;
    std::error_code ignored;
    removed += fs::remove(entry.path(), ignored) ? 1 : 0;
  }
  return removed;
}

void write_file_atomically(const std::filesystem::path& path, std::string_view bytes) {
  // write(2) rather than a stream: its errno says why (a full disk, a quota, a read-only file
  // system), and the message names the file the user asked for, not the temporary.
  write_atomically(path, [&](const std::filesystem::path& temporary) {
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    CHORUS_CHECK_AS(IoError, fd >= 0, "cannot write {}: {}", path.string(), std::strerror(errno));
    int error = 0;
    for (std::size_t done = 0; done < bytes.size();) {
      const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        error = errno;
        break;
      }
      done += static_cast<std::size_t>(n);
    }
    if (::close(fd) != 0 && error == 0) error = errno;
    CHORUS_CHECK_AS(IoError, error == 0, "cannot write {}: {}", path.string(),
                    std::strerror(error));
  });
}

}  // namespace chorus::core
