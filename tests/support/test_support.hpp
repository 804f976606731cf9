#pragma once
// Shared helpers for the test suites: temporary directories, the shared recordings, and
// running the Python reference oracles.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace chorus::testing {

// A fresh directory under the system temp dir, removed with the object.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

// ../shared/data beside the checkout; tests that need it call GTEST_SKIP when it is absent.
std::filesystem::path shared_data();
bool have_shared_data();

// Runs `/usr/bin/python3 tests/oracles/<script> args…`; fails the test (with the script's
// output) on a non-zero exit.
void run_oracle(const std::string& script, const std::vector<std::string>& args);
// The same for any script of the project, by its path from the source root (a peer in bench/).
void run_python(const std::string& script_from_root, const std::vector<std::string>& args);

// An oracle run once for every case of a suite (starting Python with torch costs seconds, a case
// far less): each named case gets a folder of its own, `arguments(folder)` gives that case's
// group of arguments, and the script is run once with all groups in order. Returns the folders
// by case name; they last until the process ends.
using OracleArguments = std::function<std::vector<std::string>(
    const std::string& name, const std::filesystem::path& folder)>;
std::map<std::string, std::filesystem::path> run_oracle_once(const std::string& script,
                                                             const std::vector<std::string>& names,
                                                             const OracleArguments& arguments);

struct CommandResult {
  int exit_code = 0;
  std::string out;  // stdout
  std::string err;  // stderr
};
// Runs the chorus executable with `args` (each argument shell-quoted).
CommandResult run_chorus(const std::vector<std::string>& args);
// The same for the program at `program`.
CommandResult run_program(const std::filesystem::path& program,
                          const std::vector<std::string>& args);

std::string read_text(const std::filesystem::path& path);

// A 32 kHz WAV written straight through libsndfile (bypassing chorus's writer, which only writes
// mono): `interleaved` holds frames × channels floats, `subtype` is e.g. SF_FORMAT_FLOAT.
void write_raw_wav(const std::filesystem::path& path, const std::vector<float>& interleaved,
                   int channels, int subtype);
// Overwrites the sample rate in a WAV file's `fmt ` chunk, as damaged firmware might write it.
void patch_wav_sample_rate(const std::filesystem::path& path, std::uint32_t rate);
// An MP3 as sox writes it: LAME (through libsndfile) at a constant bitrate with the Xing/LAME
// tag frame cut off, so the file's length is an estimate from its size and bitrate, and the
// decoder keeps the encoder's delay and padding.
void write_mp3_without_tag(const std::filesystem::path& path, const std::vector<float>& mono,
                           int sample_rate);
// Writes `text` to `path` byte for byte (no line-end translation) and returns the path.
std::filesystem::path write_text(const std::filesystem::path& path, const std::string& text);

// The message of the chorus::Error that `action` throws, or "no error": tests assert whole
// messages, which name the file, the line and the problem.
template <typename Action>
std::string error_message(Action&& action) {
  try {
    action();
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace chorus::testing
