// The synthetic species dataset (`chorus synth`): the same seed gives the same files, the layout
// and columns are BirdCLEF's, soundscape labels follow the events by the documented rule, and
// each species' calls stay in the band the taxonomy declares.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "audio/audio_decoder.hpp"
#include "audio/waveform.hpp"
#include "core/error.hpp"
#include "core/progress.hpp"
#include "features/stft.hpp"
#include "formats/csv_table.hpp"
#include "support/test_support.hpp"
#include "synth/synthetic_dataset.hpp"

namespace chorus {
namespace {

constexpr int kRate = 32000;

// Mean power spectrum (n_fft 2048, 15.6 Hz bins) of a signal.
std::vector<double> power_spectrum(std::span<const float> signal) {
  features::StftSettings settings;
  settings.n_fft = settings.win_length = 2048;
  settings.hop_length = 1024;
  features::StftFrames stft(settings);
  const std::int64_t frames =
      features::stft_frame_count(static_cast<std::int64_t>(signal.size()), settings);
  std::vector<double> mean(static_cast<std::size_t>(stft.n_freqs()), 0.0);
  std::vector<float> frame(mean.size());
  for (std::int64_t f = 0; f < frames; ++f) {
    stft.compute(signal, f, frame.data());
    for (std::size_t k = 0; k < mean.size(); ++k) mean[k] += frame[k] / static_cast<double>(frames);
  }
  return mean;
}

double bin_hz(std::size_t k) { return static_cast<double>(k) * kRate / 2048; }

// Energy inside [low, high] over energy outside, dB.
double in_band_over_out_db(const std::vector<double>& spectrum, double low, double high) {
  double in = 0, out = 0;
  for (std::size_t k = 0; k < spectrum.size(); ++k)
    (bin_hz(k) >= low && bin_hz(k) <= high ? in : out) += spectrum[k];
  return 10 * std::log10(in / out);
}

// Mean power per bin inside [low, high] over mean power per bin outside, dB.
double in_band_density_over_out_db(const std::vector<double>& spectrum, double low, double high) {
  double in = 0, out = 0;
  int n_in = 0, n_out = 0;
  for (std::size_t k = 1; k < spectrum.size(); ++k) {
    if (bin_hz(k) >= low && bin_hz(k) <= high) {
      in += spectrum[k];
      ++n_in;
    } else {
      out += spectrum[k];
      ++n_out;
    }
  }
  return 10 * std::log10((in / n_in) / (out / n_out));
}

std::vector<float> decode(const std::filesystem::path& path) {
  const audio::Waveform w = audio::load_audio(path, audio::AudioConfig{}, 1);
  return {w.samples.begin(), w.samples.end()};
}

// Every file under `root`, relative paths, sorted.
std::vector<std::filesystem::path> files_under(const std::filesystem::path& root) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root))
    if (entry.is_regular_file()) files.push_back(std::filesystem::relative(entry.path(), root));
  std::sort(files.begin(), files.end());
  return files;
}

synth::SyntheticDatasetOptions small_options(std::uint32_t seed) {
  synth::SyntheticDatasetOptions o;
  o.species = 4;
  o.seed = seed;
  o.clips_per_species = 2;
  o.soundscapes = 2;
  return o;
}

// ---------------------------------------------------------------------------------------------
// Species

TEST(SyntheticSpecies, SameSeedSameSpeciesAndSeedsDiffer) {
  const auto a = synth::make_synthetic_species(8, 5);
  const auto b = synth::make_synthetic_species(8, 5);
  const auto c = synth::make_synthetic_species(8, 6);
  ASSERT_EQ(a.size(), 8u);
  bool any_difference = false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].label, b[i].label);
    EXPECT_EQ(a[i].common_name, b[i].common_name);
    EXPECT_EQ(a[i].call.f_start, b[i].call.f_start);
    EXPECT_EQ(a[i].call_interval, b[i].call_interval);
    any_difference |= a[i].call.f_start != c[i].call.f_start;
  }
  EXPECT_TRUE(any_difference);
  EXPECT_EQ(a[0].label, "sp01");
  EXPECT_EQ(a[7].label, "sp08");
  EXPECT_EQ(synth::make_synthetic_species(120, 1)[119].label, "sp120");
}

TEST(SyntheticSpecies, AllShapesAppearNamesAreUniqueAndLookAlikesAreClose) {
  for (std::uint32_t seed : {1u, 2u, 3u}) {
    const auto species = synth::make_synthetic_species(8, seed);
    std::set<synth::CallShape> shapes;
    std::set<std::string> names;
    int look_alikes = 0;
    for (const auto& s : species) {
      shapes.insert(s.call.shape);
      names.insert(s.common_name);
      if (s.resembles < 0) continue;
      ++look_alikes;
      const auto& model = species[static_cast<std::size_t>(s.resembles)];
      EXPECT_EQ(s.call.shape, model.call.shape);
      const double ratio = s.call.f_start / model.call.f_start;
      EXPECT_NEAR(std::abs(std::log(ratio)), std::log(1.16), std::log(1.21) - std::log(1.16) + 1e-9)
          << s.label << " resembles " << model.label << " at pitch ratio " << ratio;
    }
    EXPECT_EQ(shapes.size(), static_cast<std::size_t>(synth::kCallShapeCount)) << "seed " << seed;
    EXPECT_EQ(names.size(), species.size()) << "seed " << seed;
    EXPECT_EQ(look_alikes, 2) << "seed " << seed;
  }
  for (std::uint32_t seed = 1; seed <= 20; ++seed)
    for (const auto& s : synth::make_synthetic_species(40, seed)) {
      EXPECT_LE(s.band.high, synth::kHighestFrequency) << s.label << " of seed " << seed;
      EXPECT_GT(s.band.low, 40.0) << s.label << " of seed " << seed;  // the mel f_min
    }
}

// Rendered without background, every individual's calls (the extremes of pitch included) put
// at least 99.9 % of their energy (30 dB) inside the species' declared band.
TEST(SyntheticSpecies, CallsStayInTheDeclaredBand) {
  std::mt19937 rng(11);
  for (std::uint32_t seed : {1u, 2u}) {
    for (const auto& s : synth::make_synthetic_species(10, seed)) {
      for (const double pitch :
           {1 - synth::kIndividualPitchSpread, 1.0, 1 + synth::kIndividualPitchSpread}) {
        synth::Individual individual = synth::random_individual(rng);
        individual.pitch = pitch;
        std::vector<float> signal(static_cast<std::size_t>(12 * kRate), 0.0f);
        const auto calls = synth::sing(s, individual, 0.1, 11.9, rng);
        ASSERT_FALSE(calls.empty()) << s.label;
        for (const auto& c : calls) synth::add_call(signal, kRate, c.onset, c.call, 0.5);
        EXPECT_GT(in_band_over_out_db(power_spectrum(signal), s.band.low, s.band.high), 30.0)
            << s.label << " (" << synth::call_shape_name(s.call.shape) << ", band " << s.band.low
            << "–" << s.band.high << " Hz) pitch " << pitch;
      }
    }
  }
}

TEST(SyntheticSpecies, AnIndividualNeverOverlapsItsOwnCalls) {
  std::mt19937 rng(3);
  for (const auto& s : synth::make_synthetic_species(12, 4)) {
    for (int trial = 0; trial < 20; ++trial) {
      synth::Individual individual = synth::random_individual(rng);
      individual.tempo = 1 + synth::kIndividualTempoSpread;    // fastest
      individual.length = 1 + synth::kIndividualLengthSpread;  // longest calls
      const auto calls = synth::sing(s, individual, 0, 30, rng);
      for (std::size_t i = 1; i < calls.size(); ++i)
        ASSERT_LE(calls[i - 1].end(), calls[i].onset) << s.label;
      for (const auto& c : calls) ASSERT_LE(c.end(), 30.0);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Recordings

TEST(SyntheticRecording, ClipsHaveTheirFocalSpeciesAndTheRangesHold) {
  const auto species = synth::make_synthetic_species(5, 1);
  const synth::SynthesisRanges ranges;
  int with_secondary = 0;
  for (std::uint32_t i = 0; i < 16; ++i) {
    std::mt19937 rng(i);
    const int focal = static_cast<int>(i % 5);
    const synth::SyntheticClip clip = synth::synthesise_clip(species, focal, ranges, kRate, rng);
    const double seconds = static_cast<double>(clip.recording.samples.size()) / kRate;
    EXPECT_GE(seconds, ranges.clip_min_seconds);
    EXPECT_LE(seconds, ranges.clip_max_seconds + 4);  // longer only to fit a long call
    EXPECT_GE(clip.snr_db, ranges.clip_snr_low);
    EXPECT_LE(clip.snr_db, ranges.clip_snr_high);
    float peak = 0;
    for (float v : clip.recording.samples) peak = std::max(peak, std::abs(v));
    EXPECT_LT(peak, 1.0f);
    EXPECT_GT(peak, 0.2f);  // −12 dBFS is the quietest clip peak
    ASSERT_FALSE(clip.recording.events.empty());
    double focal_snr = 0, secondary_snr = 0;
    int n_focal = 0, n_secondary = 0;
    for (const auto& e : clip.recording.events) {
      EXPECT_GE(e.t_start, 0);
      EXPECT_LE(e.t_end, seconds);
      if (e.species == focal) {
        focal_snr += e.snr_db;
        ++n_focal;
      } else {
        EXPECT_EQ(clip.secondary, std::vector<int>{e.species});
        secondary_snr += e.snr_db;
        ++n_secondary;
      }
    }
    ASSERT_GT(n_focal, 0);
    if (n_secondary > 0) {
      ++with_secondary;
      EXPECT_LT(secondary_snr / n_secondary, focal_snr / n_focal - ranges.secondary_drop_low + 3.1);
    }
  }
  EXPECT_GT(with_secondary, 0);  // 30 % of clips
  EXPECT_LT(with_secondary, 12);
}

// ---------------------------------------------------------------------------------------------
// Window labels

TEST(SyntheticDataset, PresenceRuleNeedsHalfASecondOrHalfTheCall) {
  using synth::call_counts_in_window;
  EXPECT_TRUE(call_counts_in_window(1.0, 1.3, 0, 5));   // a short call wholly inside
  EXPECT_TRUE(call_counts_in_window(4.5, 6.5, 0, 5));   // 0.5 s of a 2 s call
  EXPECT_FALSE(call_counts_in_window(4.6, 6.6, 0, 5));  // 0.4 s of it
  EXPECT_TRUE(call_counts_in_window(4.6, 6.6, 5, 10));
  EXPECT_TRUE(call_counts_in_window(4.75, 5.15, 0, 5));    // 0.25 of a 0.4 s call …
  EXPECT_FALSE(call_counts_in_window(4.75, 5.15, 5, 10));  // … but not its 0.15 s tail
  EXPECT_TRUE(call_counts_in_window(4.8, 5.2, 5, 10));     // exactly half counts (both sides)
  EXPECT_FALSE(call_counts_in_window(5.0, 5.3, 0, 5));     // touching is not overlapping
  EXPECT_DOUBLE_EQ(synth::rating_for_snr(0), 1.0);
  EXPECT_DOUBLE_EQ(synth::rating_for_snr(20), 5.0);
  EXPECT_DOUBLE_EQ(synth::rating_for_snr(9.9), 3.0);
  EXPECT_DOUBLE_EQ(synth::rating_for_snr(-3), 1.0);
}

// ---------------------------------------------------------------------------------------------
// The dataset on disk, written once for the tests that read it. A failure to write it fails each
// test in SetUp: one in SetUpTestSuite would only mark the tests skipped, which ctest counts as
// passed.

class SyntheticDatasetFiles : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    core::Progress::set_enabled(false);
    dir_ = new testing::TempDir;
    synth::SyntheticDatasetOptions o = small_options(1);
    o.ranges.clip_max_seconds = 8;  // soundscapes keep their 60 s: 12 windows each
    try {
      synth::write_synthetic_dataset(root(), o, 2);
    } catch (const std::exception& e) {
      setup_error_ = e.what();
    }
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  void SetUp() override {
    ASSERT_TRUE(setup_error_.empty()) << "writing the dataset failed: " << setup_error_;
  }
  static std::filesystem::path root() { return dir_->path() / "synth"; }

 private:
  static testing::TempDir* dir_;
  static inline std::string setup_error_;
};
testing::TempDir* SyntheticDatasetFiles::dir_ = nullptr;

TEST_F(SyntheticDatasetFiles, LayoutAndColumnsAreBirdClefs) {
  const auto metadata = formats::CsvTable::read(root() / "train_metadata.csv");
  EXPECT_EQ(
      metadata.header(),
      (std::vector<std::string>{"primary_label", "secondary_labels", "type", "filename", "rating",
                                "latitude", "longitude", "common_name", "duration_s", "snr_db"}));
  ASSERT_EQ(metadata.rows(), 8u);
  const auto taxonomy = formats::CsvTable::read(root() / "taxonomy.csv");
  ASSERT_EQ(taxonomy.rows(), 4u);
  EXPECT_EQ(taxonomy.header()[0], "primary_label");
  EXPECT_EQ(taxonomy.header()[1], "common_name");
  // Four species: three originals and one look-alike (the last) of one of them.
  const std::size_t resembles = taxonomy.column("resembles");
  EXPECT_EQ(taxonomy.at(0, resembles) + taxonomy.at(1, resembles) + taxonomy.at(2, resembles), "");
  EXPECT_TRUE(std::regex_match(taxonomy.at(3, resembles), std::regex("sp0[123]")))
      << taxonomy.at(3, resembles);
  std::set<std::string> labels;
  for (std::size_t r = 0; r < taxonomy.rows(); ++r) labels.insert(taxonomy.at(r, 0));

  const std::regex python_list(R"(\[\]|\['sp\d\d'(, 'sp\d\d')*\])");
  const std::regex type(R"(\['(song|call)'\])");
  for (std::size_t r = 0; r < metadata.rows(); ++r) {
    const std::string& label = metadata.at(r, 0);
    EXPECT_TRUE(labels.count(label)) << label;
    EXPECT_TRUE(std::regex_match(metadata.at(r, 1), python_list)) << metadata.at(r, 1);
    EXPECT_TRUE(std::regex_match(metadata.at(r, 2), type)) << metadata.at(r, 2);
    const std::string& filename = metadata.at(r, 3);
    EXPECT_EQ(filename.rfind(label + "/" + label + "_", 0), 0u) << filename;
    const double rating = metadata.number(r, 4);
    EXPECT_GE(rating, 1.0);
    EXPECT_LE(rating, 5.0);
    EXPECT_EQ(std::fmod(rating * 2, 1.0), 0.0);
    EXPECT_LE(std::abs(metadata.number(r, 5)), 90.0);
    EXPECT_LE(std::abs(metadata.number(r, 6)), 180.0);
    const auto file = audio::open_audio(root() / "train_audio" / filename);
    EXPECT_EQ(file->info().sample_rate, kRate);
    EXPECT_EQ(file->info().channels, 1);
    EXPECT_NEAR(file->info().duration_seconds(), metadata.number(r, 8), 0.005) << filename;
    EXPECT_GE(metadata.number(r, 8), 3.0);
  }
  EXPECT_TRUE(std::filesystem::exists(root() / "soundscapes" / "soundscape_00.ogg"));
  EXPECT_TRUE(std::filesystem::exists(root() / "soundscapes" / "soundscape_01.ogg"));
  EXPECT_EQ(
      audio::open_audio(root() / "soundscapes" / "soundscape_01.ogg")->info().duration_seconds(),
      60.0);
}

// The rule, written again here from its documentation, applied to soundscape_events.csv.
TEST_F(SyntheticDatasetFiles, SoundscapeLabelsFollowTheEvents) {
  const auto labels = formats::CsvTable::read(root() / "soundscape_labels.csv");
  const auto events = formats::CsvTable::read(root() / "soundscape_events.csv");
  EXPECT_EQ(labels.header(), (std::vector<std::string>{"row_id", "soundscape_id", "end_second",
                                                       "labels", "background"}));
  EXPECT_EQ(events.header(), (std::vector<std::string>{"soundscape_id", "label", "t_start", "t_end",
                                                       "f_low", "f_high", "snr_db"}));
  ASSERT_EQ(labels.rows(), 24u);  // 12 windows of 5 s per 60 s soundscape

  std::map<std::string, std::set<std::string>> expected;  // row_id → species
  for (std::size_t r = 0; r < events.rows(); ++r) {
    const double t0 = events.number(r, 2), t1 = events.number(r, 3);
    EXPECT_LT(t0, t1);
    EXPECT_LE(t1, 60.0);
    EXPECT_LT(events.number(r, 4), events.number(r, 5));
    EXPECT_GE(events.number(r, 6), -5.0);
    EXPECT_LE(events.number(r, 6), 15.0);
    for (int end = 5; end <= 60; end += 5) {
      const double overlap = std::min(t1, double(end)) - std::max(t0, end - 5.0);
      if (overlap > 0 && overlap >= std::min(0.5, (t1 - t0) / 2) - 1e-6)
        expected[events.at(r, 0) + "_" + std::to_string(end)].insert(events.at(r, 1));
    }
  }
  int non_empty = 0;
  for (std::size_t r = 0; r < labels.rows(); ++r) {
    const std::string& soundscape = labels.at(r, 1);
    const long long end = labels.integer(r, 2);
    EXPECT_EQ(end, static_cast<long long>(r % 12 + 1) * 5);
    EXPECT_EQ(labels.at(r, 0), soundscape + "_" + std::to_string(end));
    std::string want;
    for (const std::string& s : expected[labels.at(r, 0)]) want += (want.empty() ? "" : " ") + s;
    EXPECT_EQ(labels.at(r, 3), want) << labels.at(r, 0);
    non_empty += !want.empty();
    EXPECT_EQ(labels.at(r, 4).rfind("pink", 0), 0u);
  }
  EXPECT_GT(non_empty, 2);
  EXPECT_LT(non_empty, 24);
}

// On the written clips (background and all), the focal species' band is clearly louder per
// hertz than the rest of the spectrum in each species' best-rated clip.
TEST_F(SyntheticDatasetFiles, ClipEnergyConcentratesInTheFocalBand) {
  const auto metadata = formats::CsvTable::read(root() / "train_metadata.csv");
  const auto taxonomy = formats::CsvTable::read(root() / "taxonomy.csv");
  for (std::size_t t = 0; t < taxonomy.rows(); ++t) {
    const std::string& label = taxonomy.at(t, 0);
    std::size_t best = metadata.rows();
    for (std::size_t r = 0; r < metadata.rows(); ++r)
      if (metadata.at(r, 0) == label &&
          (best == metadata.rows() || metadata.number(r, 9) > metadata.number(best, 9)))
        best = r;
    ASSERT_LT(best, metadata.rows());
    const auto samples = decode(root() / "train_audio" / metadata.at(best, 3));
    const double low = taxonomy.number(t, taxonomy.column("f_low"));
    const double high = taxonomy.number(t, taxonomy.column("f_high"));
    EXPECT_GT(in_band_density_over_out_db(power_spectrum(samples), low, high), 6.0)
        << metadata.at(best, 3) << " at " << metadata.at(best, 9) << " dB SNR";
  }
}

// ---------------------------------------------------------------------------------------------
// Determinism

TEST(SyntheticDataset, SameSeedGivesTheSameBytesWhateverTheThreads) {
  core::Progress::set_enabled(false);
  testing::TempDir dir;
  // Short files: the point is equality, not realism.
  synth::SyntheticDatasetOptions o;
  o.species = 3;
  o.clips_per_species = 2;
  o.soundscapes = 2;
  o.backgrounds = 1;
  o.seed = 7;
  o.ranges.clip_max_seconds = 5;
  o.ranges.soundscape_seconds = 15;
  synth::write_synthetic_dataset(dir / "a", o, 1);
  synth::write_synthetic_dataset(dir / "b", o, 2);
  o.seed = 8;
  synth::write_synthetic_dataset(dir / "c", o, 2);

  const auto files = files_under(dir / "a");
  ASSERT_EQ(files, files_under(dir / "b"));
  ASSERT_EQ(files.size(), 4u + 6u + 2u + 1u);  // tables, clips, soundscapes, a background
  // The background is the soundscapes' length and holds sound (no calls: nothing labels it).
  const std::vector<float> background = decode(dir / "a" / "backgrounds" / "background_00.ogg");
  EXPECT_EQ(background.size(), 15u * 32000u);
  EXPECT_GT(*std::max_element(background.begin(), background.end()), 1e-3f);
  // Byte for byte, Ogg pages included: the feature cache is keyed by file content, so a
  // regenerated dataset must hit the cache of the first one.
  for (const auto& f : files)  // (not EXPECT_EQ: it would print both files' bytes)
    EXPECT_TRUE(testing::read_text(dir / "a" / f) == testing::read_text(dir / "b" / f))
        << f << " differs";
  EXPECT_NE(testing::read_text(dir / "a" / "train_metadata.csv"),
            testing::read_text(dir / "c" / "train_metadata.csv"));
  EXPECT_NE(decode(dir / "a" / "soundscapes" / "soundscape_00.ogg"),
            decode(dir / "c" / "soundscapes" / "soundscape_00.ogg"));
}

// ---------------------------------------------------------------------------------------------
// Bad arguments

std::string error_of(const std::filesystem::path& root, const synth::SyntheticDatasetOptions& o) {
  try {
    synth::write_synthetic_dataset(root, o, 1);
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

TEST(SyntheticDataset, BadArgumentsAreClearErrors) {
  core::Progress::set_enabled(false);
  testing::TempDir dir;
  synth::SyntheticDatasetOptions o = small_options(1);
  o.species = 0;
  EXPECT_EQ(error_of(dir / "x", o), "--species 0 must be 1 to 999");
  o = small_options(1);
  o.clips_per_species = 0;
  EXPECT_EQ(error_of(dir / "x", o), "--clips-per-species 0 must be at least 1");
  o = small_options(1);
  o.soundscapes = -1;
  EXPECT_EQ(error_of(dir / "x", o), "--soundscapes -1 must be 0 or more");
  o = small_options(1);
  o.sample_rate = 16000;
  EXPECT_NE(error_of(dir / "x", o).find("must be at least 32000 Hz"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(dir / "x"));

  // Under a regular file no directory can be made (whoever runs the test, root included).
  std::ofstream(dir / "file") << "x";
  const std::string unwritable = error_of(dir / "file" / "out", small_options(1));
  EXPECT_NE(unwritable.find("cannot create the output directory"), std::string::npos) << unwritable;
}

}  // namespace
}  // namespace chorus
