#include "support/test_support.hpp"

#include <gtest/gtest.h>
#include <sndfile.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>

namespace chorus::testing {
namespace {

std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

int exit_status(int status) { return WIFEXITED(status) ? WEXITSTATUS(status) : 128; }

}  // namespace

TempDir::TempDir() {
  std::random_device rd;
  path_ = std::filesystem::temp_directory_path() /
          ("chorus-test-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::filesystem::path shared_data() { return CHORUS_SHARED_DATA; }
bool have_shared_data() { return std::filesystem::is_directory(shared_data() / "esc50_dev"); }

void run_oracle(const std::string& script, const std::vector<std::string>& args) {
  run_python("tests/oracles/" + script, args);
}

std::map<std::string, std::filesystem::path> run_oracle_once(const std::string& script,
                                                             const std::vector<std::string>& names,
                                                             const OracleArguments& arguments) {
  // Kept (and removed) until the process ends: suites read the folders from every test.
  static std::vector<std::unique_ptr<TempDir>> kept;
  kept.push_back(std::make_unique<TempDir>());
  std::map<std::string, std::filesystem::path> folders;
  std::vector<std::string> args;
  for (const std::string& name : names) {
    const std::filesystem::path folder = *kept.back() / name;
    std::filesystem::create_directories(folder);
    folders.emplace(name, folder);
    for (std::string& a : arguments(name, folder)) args.push_back(std::move(a));
  }
  run_oracle(script, args);
  return folders;
}

void run_python(const std::string& script_from_root, const std::vector<std::string>& args) {
  std::string command = std::string(CHORUS_PYTHON) + " " +
                        quote(std::string(CHORUS_SOURCE_DIR) + "/" + script_from_root);
  for (const auto& a : args) command += " " + quote(a);
  command += " 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr) << command;
  std::string output;
  char buffer[4096];
  while (std::fgets(buffer, sizeof buffer, pipe)) output += buffer;
  const int status = ::pclose(pipe);
  ASSERT_EQ(exit_status(status), 0) << "oracle failed: " << command << "\n" << output;
}

CommandResult run_chorus(const std::vector<std::string>& args) {
  return run_program(CHORUS_BINARY, args);
}

CommandResult run_program(const std::filesystem::path& program,
                          const std::vector<std::string>& args) {
  static int counter = 0;
  TempDir dir;
  std::string command = quote(program.string());
  for (const auto& a : args) command += " " + quote(a);
  const auto out_path = dir / ("out" + std::to_string(counter));
  const auto err_path = dir / ("err" + std::to_string(counter++));
  command += " >" + quote(out_path.string()) + " 2>" + quote(err_path.string()) + " </dev/null";
  CommandResult result;
  result.exit_code = exit_status(std::system(command.c_str()));
  result.out = read_text(out_path);
  result.err = read_text(err_path);
  return result;
}

void write_mp3_without_tag(const std::filesystem::path& path, const std::vector<float>& mono,
                           int sample_rate) {
  // Constant bitrate, as sox writes: without the tag, libsndfile's length estimate (size over
  // bitrate) is then near the truth. (A variable-bitrate file without its tag is estimated from
  // its first frame's bitrate, and libsndfile stops decoding at that estimate.)
  SF_INFO info{};
  info.samplerate = sample_rate;
  info.channels = 1;
  info.format = SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III;
  SNDFILE* file = sf_open(path.c_str(), SFM_WRITE, &info);
  if (file == nullptr) throw std::runtime_error(path.string() + ": " + sf_strerror(nullptr));
  int mode = SF_BITRATE_MODE_CONSTANT;
  sf_command(file, SFC_SET_BITRATE_MODE, &mode, sizeof mode);
  sf_writef_float(file, mono.data(), static_cast<sf_count_t>(mono.size()));
  sf_close(file);
  std::string bytes = read_text(path);
  // The first frame is the tag. Its length from its header (ISO 11172-3 / 13818-3, layer III):
  // 144 (MPEG-1) or 72 (MPEG-2/2.5) × bitrate / sample rate, plus the padding byte.
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(bytes.at(i)); };
  if (byte(0) != 0xFF || (byte(1) & 0xE0) != 0xE0)
    throw std::runtime_error(path.string() + ": no MPEG frame at the start");
  const int version = (byte(1) >> 3) & 3;  // 3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5
  static const int kRates[3] = {44100, 48000, 32000};
  static const int kKbps1[16] = {0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320};
  static const int kKbps2[16] = {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160};
  const int kbps = (version == 3 ? kKbps1 : kKbps2)[byte(2) >> 4];
  const int rate = kRates[(byte(2) >> 2) & 3] / (version == 3 ? 1 : version == 2 ? 2 : 4);
  const std::size_t frame = static_cast<std::size_t>(
      (version == 3 ? 144 : 72) * kbps * 1000 / rate + ((byte(2) >> 1) & 1));
  if (bytes.find("Xing") > frame && bytes.find("Info") > frame)
    throw std::runtime_error(path.string() + ": the first frame is not a Xing/LAME tag");
  write_text(path, bytes.substr(frame));
}

void write_raw_wav(const std::filesystem::path& path, const std::vector<float>& interleaved,
                   int channels, int subtype) {
  SF_INFO info{};
  info.samplerate = 32000;
  info.channels = channels;
  info.format = SF_FORMAT_WAV | subtype;
  SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
  ASSERT_NE(f, nullptr) << path;
  sf_writef_float(f, interleaved.data(), static_cast<sf_count_t>(interleaved.size()) / channels);
  sf_close(f);
}

void patch_wav_sample_rate(const std::filesystem::path& path, std::uint32_t rate) {
  std::string bytes = read_text(path);
  const std::size_t fmt_chunk = bytes.find("fmt ");
  ASSERT_NE(fmt_chunk, std::string::npos) << path << ": no fmt chunk";
  // "fmt ", chunk size (4), format tag (2), channels (2), then the rate, little-endian.
  for (int i = 0; i < 4; ++i)
    bytes[fmt_chunk + 12 + i] = static_cast<char>((rate >> (8 * i)) & 0xffu);
  write_text(path, bytes);
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::filesystem::path write_text(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

}  // namespace chorus::testing
