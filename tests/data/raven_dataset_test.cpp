// A Raven-annotated folder as a training set: clips of data.window_seconds labelled by the boxes
// that overlap them enough (checked by hand), classes from the labels or a taxonomy (other
// labels left out and counted), folds by recording, and the errors of tables naming no file or
// several.

#include "data/raven_dataset.hpp"

#include <gtest/gtest.h>

#include "audio/audio_writer.hpp"
#include "core/error.hpp"
#include "data/dataset_layout.hpp"
#include "support/signals.hpp"
#include "support/test_support.hpp"

namespace chorus {
namespace {

namespace fs = std::filesystem;

constexpr const char* kRavenHeader =
    "Selection\tView\tChannel\tBegin Time (s)\tEnd Time (s)\tLow Freq (Hz)\tHigh Freq (Hz)\t"
    "Species\n";

std::string selection(int n, double begin, double end, const std::string& label) {
  return fmt::format("{}\tSpectrogram 1\t1\t{}\t{}\t1000\t8000\t{}\n", n, begin, end, label);
}

// site/rec1.wav (12 s) with three boxes, site/rec2.wav (6 s) annotated as holding no call, and
// unannotated.wav, which no table names.
struct AnnotatedFolder {
  testing::TempDir dir;
  AnnotatedFolder() {
    fs::create_directories(dir / "site");
    audio::write_audio(dir / "site/rec1.wav", testing::white_noise(16000, 12.0, 0.1, 1), 16000);
    audio::write_audio(dir / "site/rec2.wav", testing::white_noise(16000, 6.0, 0.1, 2), 16000);
    audio::write_audio(dir / "unannotated.wav", testing::white_noise(16000, 5.0, 0.1, 3), 16000);
    // amerob inside the first clip; gowwar's 0.4 s box overlaps the first clip by 0.1 s (less
    // than half of it: not labelled) and the second by 0.3 s (labelled); unknown in the second.
    testing::write_text(dir / "site/rec1.Table.1.selections.txt",
                        std::string(kRavenHeader) + selection(1, 1.0, 2.0, "amerob") +
                            selection(2, 4.9, 5.3, "gowwar") + selection(3, 7.0, 8.0, "unknown"));
    testing::write_text(dir / "site/rec2.Table.1.selections.txt", kRavenHeader);
  }
};

std::vector<float> values(const data::Item& item) { return item.target.values; }

TEST(RavenDataset, ClipsAreLabelledByTheBoxesOverlappingThem) {
  const AnnotatedFolder f;
  data::DataConfig config;
  config.window_seconds = 5.0;
  ASSERT_TRUE(data::has_raven_tables(f.dir.path()));
  const data::RavenDataset r = data::open_raven_dataset(f.dir.path(), config, 2);
  const data::Dataset& d = r.dataset;
  EXPECT_EQ(r.tables, 2u);
  EXPECT_EQ(r.selections, 3u);
  EXPECT_EQ(d.classes.names(), (std::vector<std::string>{"amerob", "gowwar", "unknown"}));
  EXPECT_EQ(d.files, (std::vector<fs::path>{f.dir / "site/rec1.wav", f.dir / "site/rec2.wav"}));
  // 12 s: [0, 5) and [5, 12) (a 2 s tail joins the clip before it); 6 s: one clip.
  ASSERT_EQ(d.items.size(), 3u);
  EXPECT_EQ(d.items[1].start_seconds, 5.0);
  EXPECT_EQ(d.items[1].end_seconds, 12.0);
  EXPECT_EQ(values(d.items[0]), (std::vector<float>{1, 0, 0}));
  EXPECT_EQ(values(d.items[1]), (std::vector<float>{0, 1, 1}));
  EXPECT_EQ(values(d.items[2]), (std::vector<float>{0, 0, 0}));
  EXPECT_EQ(d.items[2].target.mask, (std::vector<float>{1, 1, 1}));
  EXPECT_EQ(d.items[0].fold, 0);
  EXPECT_EQ(d.items[1].fold, 0);
  EXPECT_EQ(d.items[2].fold, 1);

  // With a taxonomy the classes are its own; "unknown" is left out and counted.
  testing::write_text(f.dir / "taxonomy.csv",
                      "primary_label,scientific_name,common_name\n"
                      "amerob,Turdus migratorius,American Robin\n"
                      "gowwar,Vermivora chrysoptera,Golden-winged Warbler\n");
  const data::RavenDataset named = data::open_raven_dataset(f.dir.path(), config, 1);
  EXPECT_EQ(named.dataset.classes.names(), (std::vector<std::string>{"amerob", "gowwar"}));
  EXPECT_EQ(named.selections, 2u);
  EXPECT_EQ(named.left_out, (std::map<std::string, std::size_t>{{"unknown", 1}}));
  EXPECT_EQ(values(named.dataset.items[1]), (std::vector<float>{0, 1}));
  EXPECT_EQ(named.dataset.names.common[0], "American Robin");

  // open_dataset reads the folder so: it has neither a clip table nor RFCX tables.
  EXPECT_TRUE(data::open_dataset(f.dir.path(), {}, config, 1).raven.has_value());
}

TEST(RavenDataset, ATableNamingNoFileOrSeveralIsRefused) {
  const AnnotatedFolder f;
  fs::create_directories(f.dir / "site_b");
  audio::write_audio(f.dir / "site_b/rec1.wav", testing::white_noise(16000, 5.0, 0.1, 4), 16000);
  // rec1 is site/rec1 and site_b/rec1: a table of that name cannot say which.
  testing::write_text(f.dir / "rec1.selections.txt",
                      std::string(kRavenHeader) + selection(1, 1.0, 2.0, "amerob"));
  const std::string several = testing::error_message(
      [&] { data::open_raven_dataset(f.dir.path(), data::DataConfig{}, 1); });
  EXPECT_NE(several.find("rec1.selections.txt:2: the selection's recording 'rec1' could be any "
                         "of site/rec1, site_b/rec1"),
            std::string::npos)
      << several;
  fs::remove(f.dir / "rec1.selections.txt");
  testing::write_text(f.dir / "site/gone.Table.1.selections.txt",
                      std::string(kRavenHeader) + selection(1, 1.0, 2.0, "amerob"));
  const std::string none = testing::error_message(
      [&] { data::open_raven_dataset(f.dir.path(), data::DataConfig{}, 1); });
  EXPECT_NE(none.find("the selection's recording 'site/gone' is none of the audio files"),
            std::string::npos)
      << none;
}

}  // namespace
}  // namespace chorus
