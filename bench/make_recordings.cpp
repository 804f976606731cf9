// Builds the long recordings the feature benchmark decodes, from the real recordings in
// ../shared/data (never committed): field recorders write hour-long files, the shared data has
// short ones, so they are concatenated.
//
//   chorus_bench_make_recordings SHARED_DATA OUT_DIR
//
// Writes long_32k.ogg and long_48k.ogg (40 minutes, Ogg Vorbis), long_2h_32k.ogg (2 hours, for
// the prediction benchmark's memory check) and soundscape_4min_{0..3}.ogg (32 kHz), skipping
// files that already exist.

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <vector>

#include "audio/audio_writer.hpp"
#include "audio/resampler.hpp"
#include "audio/waveform.hpp"

namespace fs = std::filesystem;

namespace {

// Every .ogg under `dir`, decoded at 32 kHz and joined, in sorted order (deterministic).
std::vector<float> join_recordings(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir))
    if (entry.path().extension() == ".ogg") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  std::vector<float> joined;
  for (const fs::path& f : files) {
    const auto wave = chorus::audio::load_audio(f, chorus::audio::AudioConfig{});
    joined.insert(joined.end(), wave.samples.begin(), wave.samples.end());
  }
  return joined;
}

std::vector<float> repeat_to(const std::vector<float>& source, std::size_t length) {
  std::vector<float> out(length);
  for (std::size_t i = 0; i < length; ++i) out[i] = source[i % source.size()];
  return out;
}

void write_if_missing(const fs::path& path, const std::vector<float>& samples, int rate) {
  if (fs::exists(path)) return;
  chorus::audio::write_audio(path, samples, rate);
  fmt::print("wrote {} ({:.1f} min at {} Hz)\n", path.string(), samples.size() / 60.0 / rate, rate);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    fmt::print(stderr, "usage: chorus_bench_make_recordings SHARED_DATA OUT_DIR\n");
    return 2;
  }
  const fs::path shared = argv[1], out = argv[2];
  fs::create_directories(out);
  constexpr int kRate = 32000;
  const std::vector<float> field =
      join_recordings(shared / "bird_extras" / "unlabeled_soundscapes");
  const std::vector<float> long_32k = repeat_to(field, std::size_t{40} * 60 * kRate);
  write_if_missing(out / "long_32k.ogg", long_32k, kRate);
  if (!fs::exists(out / "long_2h_32k.ogg"))
    write_if_missing(out / "long_2h_32k.ogg", repeat_to(field, std::size_t{120} * 60 * kRate),
                     kRate);
  if (!fs::exists(out / "long_48k.ogg"))
    write_if_missing(
        out / "long_48k.ogg",
        chorus::audio::resample(long_32k, kRate, 48000, chorus::audio::ResampleQuality::vhq),
        48000);
  const std::vector<float> mixes = join_recordings(shared / "esc50_dev" / "soundscapes");
  for (int i = 0; i < 4; ++i) {
    std::vector<float> part(std::size_t{4} * 60 * kRate);
    for (std::size_t j = 0; j < part.size(); ++j)
      part[j] = (i % 2 ? field : mixes)[(j + i * part.size()) % (i % 2 ? field : mixes).size()];
    write_if_missing(out / fmt::format("soundscape_4min_{}.ogg", i), part, kRate);
  }
  return 0;
}
