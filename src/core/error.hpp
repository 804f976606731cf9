#pragma once
// Errors for bad input (thrown, reach the user as `error: <what> (<where>)`) and checks of
// internal invariants (abort: a failed DCHECK is a bug in chorus, not in the user's data).
// Modelled on faiss's FAISS_THROW_IF_NOT / FAISS_ASSERT split.

#include <fmt/format.h>

#include <source_location>
#include <stdexcept>
#include <string>

namespace chorus {

// Base of every user-facing failure. `what()` is the message alone; `where()` is the source
// location that raised it, kept apart so the CLI can print both on one line.
class Error : public std::runtime_error {
 public:
  explicit Error(std::string message,
                 std::source_location location = std::source_location::current());
  const std::string& where() const noexcept { return where_; }

 private:
  std::string where_;
};

// A configuration key with an impossible value, an unknown key, a malformed TOML file.
class ConfigError : public Error {
 public:
  using Error::Error;
};

// A file that cannot be opened, read, written or renamed.
class IoError : public Error {
 public:
  using Error::Error;
};

// A file that opens but whose contents are wrong: corrupt audio, malformed CSV, bad npy header.
class FormatError : public Error {
 public:
  using Error::Error;
};

// A model or weight file that does not fit: unknown architecture, mis-shaped tensors.
class ModelError : public Error {
 public:
  using Error::Error;
};

namespace detail {
[[noreturn]] void dcheck_failed(const char* expression, std::source_location location);
}  // namespace detail

}  // namespace chorus

// Throws `chorus::Error` with a fmt-formatted message when `cond` is false.
#define CHORUS_CHECK(cond, ...)                        \
  do {                                                 \
    if (!(cond)) [[unlikely]]                          \
      throw ::chorus::Error(fmt::format(__VA_ARGS__)); \
  } while (false)

// Same, with a chosen subclass: CHORUS_CHECK_AS(FormatError, n > 0, "{}: empty", path).
#define CHORUS_CHECK_AS(ErrorType, cond, ...)              \
  do {                                                     \
    if (!(cond)) [[unlikely]]                              \
      throw ::chorus::ErrorType(fmt::format(__VA_ARGS__)); \
  } while (false)

// Internal invariant: aborts with the expression and place. Active in every build type,
// because a silently wrong spectrogram is worse than a crash report.
#define CHORUS_DCHECK(cond)                                                    \
  do {                                                                         \
    if (!(cond)) [[unlikely]]                                                  \
      ::chorus::detail::dcheck_failed(#cond, std::source_location::current()); \
  } while (false)

// Code no input can reach (after a switch over every enumerator): aborts like CHORUS_DCHECK.
#define CHORUS_UNREACHABLE(what) \
  ::chorus::detail::dcheck_failed("unreachable: " what, std::source_location::current())
