// Damaged recordings and folders through every command that reads them (issue #17): samples that
// are not sound, headers with absurd rates, links that lead nowhere, names with newlines. Each is
// the error of its own file, named in one line; the good recordings beside it are still scored.

#include <sndfile.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <limits>
#include <vector>

#include "robustness/bad_input_fixture.hpp"

namespace chorus::testing {
namespace {

// A mono 32 kHz float WAV of 0.1 with `value` at sample 100.
fs::path float_wav_with(const fs::path& path, float value) {
  std::vector<float> samples(32000, 0.1f);
  samples[100] = value;
  write_raw_wav(path, samples, 1, SF_FORMAT_FLOAT);
  return path;
}

// A float WAV holding ±1e38 (finite, but inf once squared in a spectrogram) used to abort a whole
// predict run ("damaged prediction part (…null)") and give an all-inf mel matrix with exit 0.
TEST_F(BadInput, SamplesFarBeyondFullScaleFailOnlyTheirFile) {
  const fs::path folder = dir() / "recordings";
  fs::create_directories(folder);
  fs::copy_file(recording(), folder / "good.wav");
  const fs::path huge = float_wav_with(folder / "huge.wav", 1e38f);
  const std::string out = (dir() / "out").string();
  const auto r =
      run_chorus({"--quiet", "predict", folder.string(), "--model", model(), "--out", out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(read_text(out + "/submission.csv").find("good_5,"), std::string::npos);
  const std::string errors = read_text(out + "/errors.csv");
  EXPECT_NE(errors.find("huge.wav: sample 100 (at 0.003 s) is 1e+38, beyond ±1e+06"),
            std::string::npos)
      << errors;

  expect_one_line_error(run_chorus({"mel", huge.string(), "--npy", (dir() / "huge.npy").string()}),
                        "huge.wav: sample 100 (at 0.003 s) is 1e+38");
  EXPECT_FALSE(fs::exists(dir() / "huge.npy"));
}

// `chorus info` showed a NaN sample as a peak of "-inf dBFS", which reads as silence.
TEST_F(BadInput, InfoSaysANanSampleIsDamage) {
  const fs::path nan = float_wav_with(dir() / "nan.wav", std::numeric_limits<float>::quiet_NaN());
  expect_one_line_error(run_chorus({"info", nan.string()}),
                        "nan.wav: sample 100 (at 0.003 s) is NaN: damaged audio data");
}

// A 64 KB WAV whose header claims 1 Hz cost 35 s and 6.8 GB resampled to 32 kHz; now its rate is
// refused as it is opened, at once.
TEST_F(BadInput, AHeaderRateOfOneHertzIsRefusedAtOnce) {
  const fs::path slow = dir() / "slow.wav";
  audio::write_audio(slow, std::vector<float>(32000, 0.1f), 32000);
  patch_wav_sample_rate(slow, 1);
  const auto start = std::chrono::steady_clock::now();
  expect_one_line_error(run_chorus({"mel", slow.string(), "--npy", (dir() / "s.npy").string()}),
                        "slow.wav: the header gives a sample rate of 1 Hz; chorus reads "
                        "1000–1000000 Hz");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
  EXPECT_FALSE(fs::exists(dir() / "s.npy"));
}

// libsndfile describes some damage in its own terms: a WAV of 0 Hz was "SF_INFO struct
// incomplete", an MP3 cut in its first frame "File does not exist or is not a regular file
// (possibly a pipe?)".
TEST_F(BadInput, HeadersLibsndfileDescribesInItsOwnTerms) {
  const fs::path zero = dir() / "zero.wav";
  audio::write_audio(zero, std::vector<float>(8000, 0.1f), 32000);
  patch_wav_sample_rate(zero, 0);
  expect_one_line_error(run_chorus({"info", zero.string()}),
                        "zero.wav: the header gives a sample rate of 0 Hz (a damaged header?)");
  const fs::path cut = dir() / "cut.mp3";
  audio::write_audio(cut, white_noise(32000, 2.0, 0.1, 3), 32000);
  fs::resize_file(cut, 40);
  const auto r = run_chorus({"info", cut.string()});
  // (libmpg123 may print a warning of its own first, which chorus cannot silence.)
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("error: " + cut.string() +
                       ": cannot decode: its header cannot be read (truncated or damaged?)"),
            std::string::npos)
      << r.err;
}

// A folder of recordings with a symbolic link loop in it ended the whole run with "internal
// error: filesystem error"; dangling links and FIFOs were left out without a word. Each is now
// an errors.csv line of its own, and the good recording is scored.
TEST_F(BadInput, LinkLoopsDanglingLinksAndFifosInAFolderAreReportedPerFile) {
  const fs::path folder = dir() / "recordings";
  fs::create_directories(folder);
  fs::copy_file(recording(), folder / "good.wav");
  fs::create_symlink("loop.wav", folder / "loop.wav");
  fs::create_symlink("gone.wav", folder / "dangling.wav");
  ASSERT_EQ(::mkfifo((folder / "pipe.wav").c_str(), 0600), 0);
  fs::create_directory_symlink(".", folder / "again");  // a folder link: not followed
  const std::string out = (dir() / "out").string();
  const auto r =
      run_chorus({"--quiet", "predict", folder.string(), "--model", model(), "--out", out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("1 predicted, 0 resumed, 3 failed"), std::string::npos) << r.out;
  const std::string errors = read_text(out + "/errors.csv");
  EXPECT_NE(errors.find("loop.wav: a symbolic link loop"), std::string::npos) << errors;
  EXPECT_NE(errors.find("dangling.wav: a symbolic link to 'gone.wav', which does not exist"),
            std::string::npos)
      << errors;
  EXPECT_NE(errors.find("pipe.wav: a FIFO (named pipe), not a regular file"), std::string::npos)
      << errors;

  // A loop where an output folder or a model should be is the error of that path.
  fs::create_symlink("out_loop", dir() / "out_loop");
  expect_one_line_error(run_chorus({"--quiet", "predict", recording().string(), "--model", model(),
                                    "--out", (dir() / "out_loop").string()}),
                        "Too many levels of symbolic links");
  fs::create_symlink("m_loop.ckpt", dir() / "m_loop.ckpt");
  expect_one_line_error(run_chorus({"info", "--model", (dir() / "m_loop.ckpt").string()}),
                        "m_loop.ckpt");
}

// A newline in a file name split the error line in two; it is written as an escape.
TEST_F(BadInput, ANewlineInAFileNameStaysOnOneErrorLine) {
  const fs::path odd = write_text(dir() / "two\nlines.wav", "not audio");
  expect_one_line_error(run_chorus({"mel", odd.string(), "--npy", (dir() / "x.npy").string()}),
                        "two\\nlines.wav: ");
}

// `mel --start 1e300` overflowed into "invalid sample range [-9223372036854775808, …)"; an output
// path that is a folder said "cannot write DIR: Success".
TEST_F(BadInput, SpansPastTheEndAndOutputsThatAreFolders) {
  expect_one_line_error(run_chorus({"mel", recording().string(), "--start", "1e300", "--npy",
                                    (dir() / "x.npy").string()}),
                        "rec.wav: --start 1e+300 s is past the end (6.000 s)");
  fs::create_directories(dir() / "taken.npy");
  expect_one_line_error(
      run_chorus({"mel", recording().string(), "--npy", (dir() / "taken.npy").string()}),
      "taken.npy: Is a directory");
}

}  // namespace
}  // namespace chorus::testing
