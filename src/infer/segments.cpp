#include "infer/segments.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <span>

#include "audio/audio_decoder.hpp"
#include "audio/audio_writer.hpp"
#include "audio/waveform.hpp"
#include "core/error.hpp"
#include "formats/csv_table.hpp"

namespace chorus::infer {
namespace {

namespace fs = std::filesystem;

// A file name free in `folder`: `base`.wav, else `base`_2.wav, …
fs::path free_name(const fs::path& folder, const std::string& base) {
  fs::path path = folder / (base + ".wav");
  for (int k = 2; fs::exists(path); ++k) path = folder / fmt::format("{}_{}.wav", base, k);
  return path;
}

// The clips an earlier run listed in <out>/segments.csv, and the table: a rerun leaves no stale
// clip behind, and touches nothing else in the folder.
void remove_earlier_segments(const fs::path& out) {
  const fs::path table = out / "segments.csv";
  if (!fs::exists(table)) return;
  const formats::CsvTable earlier = formats::CsvTable::read(table);
  const std::size_t column = earlier.column("file");
  for (std::size_t r = 0; r < earlier.rows(); ++r) {
    // Only clips inside the folder: a damaged table must not delete elsewhere.
    const fs::path clip = fs::path(earlier.at(r, column)).lexically_normal();
    if (!clip.empty() && clip.is_relative() && *clip.begin() != "..") fs::remove(out / clip);
  }
  fs::remove(table);
}

}  // namespace

std::vector<formats::DetectionRow> choose_segments(const std::vector<formats::DetectionRow>& rows,
                                                   const SegmentOptions& o) {
  std::vector<std::string> order;
  std::map<std::string, std::vector<formats::DetectionRow>> by_class;
  for (const formats::DetectionRow& r : rows) {
    if (r.score < o.min_score) continue;
    if (!by_class.contains(r.cls)) order.push_back(r.cls);
    by_class[r.cls].push_back(r);
  }
  std::vector<formats::DetectionRow> chosen;
  for (const std::string& cls : order) {
    auto& list = by_class[cls];
    std::stable_sort(list.begin(), list.end(),
                     [](const auto& a, const auto& b) { return a.score > b.score; });
    if (o.max_per_class > 0 && list.size() > static_cast<std::size_t>(o.max_per_class))
      list.resize(static_cast<std::size_t>(o.max_per_class));
    chosen.insert(chosen.end(), list.begin(), list.end());
  }
  return chosen;
}

SegmentReport write_segments(const std::vector<formats::DetectionRow>& chosen, const fs::path& out,
                             const SegmentOptions& o) {
  remove_earlier_segments(out);
  SegmentReport report;
  std::vector<std::vector<std::string>> rows;
  for (const formats::DetectionRow& d : chosen) {
    try {
      const audio::AudioFileInfo info = audio::open_audio(d.recording)->info();
      const double begin = std::max(0.0, d.start_seconds - o.padding_seconds);
      const double end = std::min(info.duration_seconds(), d.end_seconds + o.padding_seconds);
      CHORUS_CHECK_AS(FormatError, end > begin,
                      "{}: the detection at {:.3f}–{:.3f} s lies past the recording's end "
                      "({:.3f} s)",
                      d.recording, d.start_seconds, d.end_seconds, info.duration_seconds());
      // The recording's own rate: nothing resampled, what was heard is what is written.
      audio::AudioConfig native;
      native.sample_rate = info.sample_rate;
      const audio::Waveform clip = audio::load_audio_span(d.recording, native, begin, end - begin);
      const fs::path folder = out / d.cls;
      fs::create_directories(folder);
      const fs::path file =
          free_name(folder, fmt::format("{:.3f}_{}_{:.1f}-{:.1f}s", d.score,
                                        fs::path(d.recording).stem().string(), begin, end));
      audio::write_audio(file, std::span<const float>(clip.samples.data(), clip.samples.size()),
                         clip.sample_rate);
      rows.push_back({file.lexically_relative(out).generic_string(), d.recording, d.cls,
                      fmt::format("{:.6g}", d.score), fmt::format("{:.3f}", d.start_seconds),
                      fmt::format("{:.3f}", d.end_seconds), fmt::format("{:.3f}", begin),
                      fmt::format("{:.3f}", end)});
      ++report.written;
    } catch (const Error& e) {
      report.failures.push_back({d, e.what()});
    }
  }
  fs::create_directories(out);
  formats::write_csv(
      out / "segments.csv",
      {"file", "recording", "class", "score", "start_s", "end_s", "clip_start_s", "clip_end_s"},
      rows);
  return report;
}

}  // namespace chorus::infer
