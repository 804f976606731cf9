#include "synth/synthetic_dataset.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "audio/audio_writer.hpp"
#include "core/error.hpp"
#include "core/parallel.hpp"
#include "formats/csv_table.hpp"

namespace chorus::synth {
namespace {

using Row = std::vector<std::string>;

// Generators are seeded per file from (seed, stream, index) through seed_seq, so files are
// independent of each other and of the order threads produce them in, and seeds s and s + 1 do
// not share files.
enum class Stream : std::uint32_t { clip = 1, soundscape = 2, location = 3, background = 4 };

std::mt19937 file_rng(std::uint32_t seed, Stream stream, std::size_t index) {
  std::seed_seq seq{seed, static_cast<std::uint32_t>(stream), static_cast<std::uint32_t>(index),
                    static_cast<std::uint32_t>(index >> 32)};
  return std::mt19937(seq);
}

// Times are written to the millisecond; labels are derived from the times as written, so a
// reader applying the rule to soundscape_events.csv gets exactly soundscape_labels.csv.
double to_millisecond(double seconds) { return std::round(seconds * 1000) / 1000; }

std::string python_list(const std::vector<std::string>& items) {
  std::string s = "[";
  for (std::size_t i = 0; i < items.size(); ++i)
    s += fmt::format("{}'{}'", i ? ", " : "", items[i]);
  return s + "]";
}

void make_output_directory(const std::filesystem::path& dir) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  CHORUS_CHECK_AS(IoError, !error && std::filesystem::is_directory(dir),
                  "{}: cannot create the output directory: {}", dir.string(),
                  error ? error.message() : "a file of that name exists");
}

struct SoundscapeResult {
  std::string id;
  std::vector<SyntheticEvent> events;
  std::string background;
};

Row clip_row(const SyntheticClip& clip, const std::vector<SyntheticSpecies>& species,
             const std::string& filename, double seconds, std::mt19937 location_rng) {
  const SyntheticSpecies& s = species[static_cast<std::size_t>(clip.focal)];
  std::vector<std::string> secondary;
  for (const int other : clip.secondary)
    secondary.push_back(species[static_cast<std::size_t>(other)].label);
  // Recordings scatter around the centre of the species' range.
  std::normal_distribution<double> scatter(0.0, 1.5);
  const double latitude = std::clamp(s.latitude + scatter(location_rng), -89.0, 89.0);
  const double longitude = std::remainder(s.longitude + scatter(location_rng), 360.0);
  return {s.label,
          python_list(secondary),
          python_list({s.call_type}),
          filename,
          fmt::format("{:.1f}", rating_for_snr(clip.snr_db)),
          fmt::format("{:.4f}", latitude),
          fmt::format("{:.4f}", longitude),
          s.common_name,
          fmt::format("{:.2f}", seconds),
          fmt::format("{:.1f}", clip.snr_db)};
}

void write_tables(const std::filesystem::path& root, const std::vector<SyntheticSpecies>& species,
                  const std::vector<Row>& clip_rows,
                  const std::vector<SoundscapeResult>& soundscapes, double soundscape_seconds) {
  formats::write_csv(root / "train_metadata.csv",
                     {"primary_label", "secondary_labels", "type", "filename", "rating", "latitude",
                      "longitude", "common_name", "duration_s", "snr_db"},
                     clip_rows);

  std::vector<Row> taxonomy;
  for (const SyntheticSpecies& s : species)
    taxonomy.push_back(
        {s.label, s.common_name, s.call_type, std::string(call_shape_name(s.call.shape)),
         fmt::format("{:.0f}", s.band.low), fmt::format("{:.0f}", s.band.high),
         fmt::format("{:.3f}", s.call.duration), fmt::format("{:.3f}", s.call_interval),
         s.resembles >= 0 ? species[static_cast<std::size_t>(s.resembles)].label : ""});
  formats::write_csv(root / "taxonomy.csv",
                     {"primary_label", "common_name", "call_type", "call_shape", "f_low", "f_high",
                      "call_seconds", "call_interval_s", "resembles"},
                     taxonomy);

  std::vector<Row> labels;
  std::vector<Row> events;
  for (const SoundscapeResult& r : soundscapes) {
    const auto windows = window_species(r.events, soundscape_seconds);
    for (std::size_t w = 0; w < windows.size(); ++w) {
      std::string present;
      for (const int s : windows[w])
        present += (present.empty() ? "" : " ") + species[static_cast<std::size_t>(s)].label;
      const auto end_second = static_cast<int>(std::lround((w + 1) * kLabelWindowSeconds));
      labels.push_back({fmt::format("{}_{}", r.id, end_second), r.id, std::to_string(end_second),
                        present, r.background});
    }
    for (const SyntheticEvent& e : r.events)
      events.push_back({r.id, species[static_cast<std::size_t>(e.species)].label,
                        fmt::format("{:.3f}", e.t_start), fmt::format("{:.3f}", e.t_end),
                        fmt::format("{:.0f}", e.band.low), fmt::format("{:.0f}", e.band.high),
                        fmt::format("{:.2f}", e.snr_db)});
  }
  formats::write_csv(root / "soundscape_labels.csv",
                     {"row_id", "soundscape_id", "end_second", "labels", "background"}, labels);
  formats::write_csv(root / "soundscape_events.csv",
                     {"soundscape_id", "label", "t_start", "t_end", "f_low", "f_high", "snr_db"},
                     events);
}

}  // namespace

void SyntheticDatasetOptions::validate() const {
  CHORUS_CHECK_AS(ConfigError, species >= 1 && species <= 999, "--species {} must be 1 to 999",
                  species);
  CHORUS_CHECK_AS(ConfigError, clips_per_species >= 1, "--clips-per-species {} must be at least 1",
                  clips_per_species);
  CHORUS_CHECK_AS(ConfigError, soundscapes >= 0, "--soundscapes {} must be 0 or more", soundscapes);
  CHORUS_CHECK_AS(ConfigError, backgrounds >= 0, "--backgrounds {} must be 0 or more", backgrounds);
  CHORUS_CHECK_AS(ConfigError, sample_rate >= 32000,
                  "audio.sample_rate {} must be at least 32000 Hz for the synthetic species "
                  "(their calls reach 15 kHz)",
                  sample_rate);
  const SynthesisRanges& r = ranges;
  CHORUS_CHECK_AS(ConfigError, r.clip_min_seconds > 0 && r.clip_min_seconds <= r.clip_max_seconds,
                  "clip lengths {}–{} s must be positive and in order", r.clip_min_seconds,
                  r.clip_max_seconds);
  CHORUS_CHECK_AS(ConfigError, r.soundscape_seconds >= kLabelWindowSeconds,
                  "soundscape length {} s must be at least one {} s window", r.soundscape_seconds,
                  kLabelWindowSeconds);
  CHORUS_CHECK_AS(ConfigError,
                  r.clip_snr_low <= r.clip_snr_high &&
                      r.soundscape_snr_low <= r.soundscape_snr_high &&
                      r.secondary_drop_low <= r.secondary_drop_high,
                  "SNR ranges must run from low to high");
  CHORUS_CHECK_AS(ConfigError, r.secondary_probability >= 0 && r.secondary_probability <= 1,
                  "secondary probability {} must be 0 to 1", r.secondary_probability);
  CHORUS_CHECK_AS(ConfigError, r.soundscape_max_species >= 1,
                  "species per soundscape {} must be at least 1", r.soundscape_max_species);
}

bool call_counts_in_window(double t_start, double t_end, double window_start, double window_end) {
  const double overlap = std::min(t_end, window_end) - std::max(t_start, window_start);
  const double needed = std::min(kPresenceSeconds, 0.5 * (t_end - t_start));
  // A microsecond of slack: the times are decimal milliseconds, not exact binary fractions.
  return overlap > 0 && overlap >= needed - 1e-6;
}

std::vector<std::vector<int>> window_species(const std::vector<SyntheticEvent>& events,
                                             double seconds) {
  const auto count = static_cast<std::size_t>(std::floor(seconds / kLabelWindowSeconds + 1e-9));
  std::vector<std::vector<int>> windows(count);
  for (std::size_t w = 0; w < count; ++w) {
    const double start = static_cast<double>(w) * kLabelWindowSeconds;
    for (const SyntheticEvent& e : events)
      if (call_counts_in_window(e.t_start, e.t_end, start, start + kLabelWindowSeconds))
        windows[w].push_back(e.species);
    std::sort(windows[w].begin(), windows[w].end());
    windows[w].erase(std::unique(windows[w].begin(), windows[w].end()), windows[w].end());
  }
  return windows;
}

double rating_for_snr(double snr_db) {
  return std::clamp(std::round(2 * (1 + snr_db / 5)) / 2, 1.0, 5.0);
}

SyntheticDatasetSummary write_synthetic_dataset(const std::filesystem::path& root,
                                                const SyntheticDatasetOptions& options, int threads,
                                                core::ProgressSink* sink) {
  options.validate();
  const std::vector<SyntheticSpecies> species =
      make_synthetic_species(options.species, options.seed);
  make_output_directory(root / "soundscapes");
  for (const SyntheticSpecies& s : species) make_output_directory(root / "train_audio" / s.label);

  const auto n_clips = static_cast<std::size_t>(options.species) * options.clips_per_species;
  const auto n_soundscapes = static_cast<std::size_t>(options.soundscapes);
  const int id_digits = options.soundscapes > 100 ? 3 : 2;
  std::vector<Row> clip_rows(n_clips);
  std::vector<double> clip_seconds(n_clips);
  std::vector<SoundscapeResult> soundscapes(n_soundscapes);

  const auto n_backgrounds = static_cast<std::size_t>(options.backgrounds);
  if (n_backgrounds > 0) make_output_directory(root / "backgrounds");
  const auto progress =
      core::start_task(sink, "synth", n_soundscapes + n_clips + n_backgrounds, "files");
  // Soundscapes first: they are the longest files, so the threads finish together.
  core::parallel_for(
      n_soundscapes + n_clips + n_backgrounds, threads, 1, [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {
          if (i >= n_soundscapes + n_clips) {
            const std::size_t b = i - n_soundscapes - n_clips;
            std::mt19937 rng = file_rng(options.seed, Stream::background, b);
            const SyntheticRecording r =
                synthesise_background(options.ranges, options.sample_rate, rng);
            audio::write_audio(root / "backgrounds" / fmt::format("background_{:02}.ogg", b),
                               r.samples, options.sample_rate);
          } else if (i < n_soundscapes) {
            std::mt19937 rng = file_rng(options.seed, Stream::soundscape, i);
            SyntheticRecording r =
                synthesise_soundscape(species, options.ranges, options.sample_rate, rng);
            SoundscapeResult& result = soundscapes[i];
            result.id = fmt::format("soundscape_{:0{}}", i, id_digits);
            audio::write_audio(root / "soundscapes" / (result.id + ".ogg"), r.samples,
                               options.sample_rate);
            for (SyntheticEvent& e : r.events) {
              e.t_start = to_millisecond(e.t_start);
              e.t_end = to_millisecond(e.t_end);
            }
            result.events = std::move(r.events);
            result.background = std::move(r.background);
          } else {
            const std::size_t c = i - n_soundscapes;
            const int focal =
                static_cast<int>(c / static_cast<std::size_t>(options.clips_per_species));
            const std::size_t k = c % static_cast<std::size_t>(options.clips_per_species);
            std::mt19937 rng = file_rng(options.seed, Stream::clip, c);
            const SyntheticClip clip =
                synthesise_clip(species, focal, options.ranges, options.sample_rate, rng);
            const std::string& label = species[static_cast<std::size_t>(focal)].label;
            const std::string filename = fmt::format("{}/{}_{:04}.ogg", label, label, k);
            audio::write_audio(root / "train_audio" / filename, clip.recording.samples,
                               options.sample_rate);
            clip_seconds[c] =
                static_cast<double>(clip.recording.samples.size()) / options.sample_rate;
            clip_rows[c] = clip_row(clip, species, filename, clip_seconds[c],
                                    file_rng(options.seed, Stream::location, c));
          }
          progress->advance();
        }
      });
  progress->finish();
  write_tables(root, species, clip_rows, soundscapes, options.ranges.soundscape_seconds);

  SyntheticDatasetSummary summary;
  summary.species = options.species;
  summary.clips = static_cast<int>(n_clips);
  for (const double s : clip_seconds) summary.clip_seconds += s;
  summary.soundscapes = options.soundscapes;
  summary.soundscape_seconds = options.soundscapes * options.ranges.soundscape_seconds;
  for (const SoundscapeResult& r : soundscapes)
    summary.soundscape_events += static_cast<int>(r.events.size());
  return summary;
}

}  // namespace chorus::synth
