// Teacher tables from chorus and other tools: class names matched by code, scientific or common
// name (through a taxonomy), unknown and ambiguous names counted and left out, detections
// gathered into chunks by hand-computed rows, and tables that cannot serve refused by name.

#include "formats/teacher_table.hpp"

#include <gtest/gtest.h>

#include "support/test_support.hpp"

namespace chorus {
namespace {

formats::ClassList birds() { return formats::ClassList({"amerob", "bkcchi", "norcar"}, "test"); }

// A BirdCLEF-style taxonomy; "Robin" is claimed by two rows, so it names neither.
formats::ClassNames bird_names(const testing::TempDir& dir) {
  testing::write_text(dir / "taxonomy.csv",
                      "primary_label,scientific_name,common_name\n"
                      "amerob,Turdus migratorius,American Robin\n"
                      "bkcchi,Poecile atricapillus,Black-capped Chickadee\n"
                      "norcar,Cardinalis cardinalis,Robin\n"
                      "eurrob1,Erithacus rubecula,Robin\n");
  formats::ClassNames names(birds());
  names.add_taxonomy(dir / "taxonomy.csv");
  return names;
}

TEST(ClassNames, CodesScientificAndCommonNames) {
  testing::TempDir dir;
  const formats::ClassNames names = bird_names(dir);
  EXPECT_EQ(names.find("amerob"), 0u);
  EXPECT_EQ(names.find("Turdus migratorius"), 0u);
  EXPECT_EQ(names.find("black-capped chickadee"), 1u);  // ASCII case ignored
  EXPECT_EQ(names.find("BKCCHI"), 1u);
  EXPECT_EQ(names.find("Cardinalis cardinalis"), 2u);
  EXPECT_EQ(names.find("Robin"), std::nullopt);  // two classes' name (one not even a class)
  EXPECT_EQ(names.find("Erithacus rubecula"), std::nullopt);  // not a class
  EXPECT_EQ(names.find("Turdus"), std::nullopt);              // no partial matches
}

TEST(TeacherTable, BirdNetCsvBecomesChunksOverTheNamedClasses) {
  testing::TempDir dir;
  testing::write_text(dir / "birdnet.csv",
                      "Start (s),End (s),Scientific name,Common name,Confidence,File\n"
                      "0.0,3.0,Turdus migratorius,American Robin,0.81,site/a.wav\n"
                      "0.0,3.0,Poecile atricapillus,Black-capped Chickadee,0.40,site/a.wav\n"
                      "0.0,3.0,Turdus migratorius,American Robin,0.90,site/a.wav\n"
                      "3.0,6.0,Poecile atricapillus,Black-capped Chickadee,0.55,site/a.wav\n"
                      "3.0,6.0,Strix varia,Barred Owl,0.95,site/a.wav\n"
                      "0.0,3.0,Strix varia,Barred Owl,0.30,site/b.wav\n");
  const auto t = formats::read_teacher_table(dir / "birdnet.csv", birds(), bird_names(dir));
  EXPECT_EQ(t.format, formats::TeacherFormat::birdnet);
  // norcar is never named: not a column, so nothing claims it absent.
  EXPECT_EQ(t.table.classes, (std::vector<std::string>{"amerob", "bkcchi"}));
  ASSERT_EQ(t.table.rows.size(), 2u);
  EXPECT_EQ(t.table.rows[0].recording, "site/a.wav");
  EXPECT_EQ(t.table.rows[0].end_seconds, 3.0);
  EXPECT_EQ(t.table.rows[0].probabilities, (std::vector<float>{0.90f, 0.40f}));  // max of two
  EXPECT_EQ(t.table.rows[1].start_seconds, 3.0);
  EXPECT_EQ(t.table.rows[1].probabilities, (std::vector<float>{0.0f, 0.55f}));
  EXPECT_EQ(t.unknown_names, (std::map<std::string, std::size_t>{{"Strix varia", 2}}));
}

TEST(TeacherTable, RavenDetectionsAndPseudoTables) {
  testing::TempDir dir;
  const formats::ClassNames names = bird_names(dir);
  // BirdNET-Analyzer's Raven table: tab-separated, Species Code, Begin Path, Confidence.
  testing::write_text(
      dir / "r.txt",
      "Selection\tView\tChannel\tBegin Time (s)\tEnd Time (s)\tLow Freq (Hz)\t"
      "High Freq (Hz)\tCommon Name\tSpecies Code\tConfidence\tBegin Path\t"
      "File Offset (s)\n"
      "1\tSpectrogram 1\t1\t0\t3\t150\t15000\tAmerican Robin\tamerob\t0.7\t"
      "x/a.flac\t0\n"
      "2\tSpectrogram 1\t1\t3\t6\t150\t15000\tBarred Owl\tbarowl\t0.6\tx/a.flac\t3\n");
  auto t = formats::read_teacher_table(dir / "r.txt", birds(), names);
  EXPECT_EQ(t.format, formats::TeacherFormat::raven);
  ASSERT_EQ(t.table.rows.size(), 1u);
  EXPECT_EQ(t.table.rows[0].recording, "x/a.flac");
  EXPECT_EQ(t.table.rows[0].probabilities, (std::vector<float>{0.7f}));
  EXPECT_EQ(t.unknown_names.at("barowl"), 1u);

  testing::write_text(dir / "d.csv",
                      "recording,class,start_s,end_s,score\nx/a.flac,norcar,0,10,0.6\n");
  t = formats::read_teacher_table(dir / "d.csv", birds(), names);
  EXPECT_EQ(t.format, formats::TeacherFormat::detections);
  EXPECT_EQ(t.table.classes, (std::vector<std::string>{"norcar"}));
  EXPECT_EQ(t.table.rows[0].end_seconds, 10.0);

  // A pseudo table by common names, in another order, one unknown column: renamed, reordered.
  testing::write_text(dir / "p.csv",
                      "recording,start_s,end_s,Black-capped Chickadee,Barred Owl,amerob\n"
                      "x/a.flac,0,5,0.25,0.5,0.75\n");
  t = formats::read_teacher_table(dir / "p.csv", birds(), names);
  EXPECT_EQ(t.format, formats::TeacherFormat::pseudo);
  EXPECT_EQ(t.table.classes, (std::vector<std::string>{"amerob", "bkcchi"}));
  EXPECT_EQ(t.table.rows[0].probabilities, (std::vector<float>{0.75f, 0.25f}));
  EXPECT_EQ(t.unknown_names.at("Barred Owl"), 1u);
}

TEST(TeacherTable, TablesThatCannotServeAreNamed) {
  testing::TempDir dir;
  const formats::ClassNames names = bird_names(dir);
  const auto error = [&](const std::string& text) {
    testing::write_text(dir / "t.csv", text);
    return testing::error_message(
        [&] { formats::read_teacher_table(dir / "t.csv", birds(), names); });
  };
  const std::string t = (dir / "t.csv").string();
  EXPECT_EQ(error("Start (s),End (s),Scientific name,Common name,Confidence\n0,3,a,b,0.5\n"),
            t + ": no File column, so the rows cannot be matched to recordings (write the "
                "combined table, BirdNET-Analyzer's --combine_results)");
  EXPECT_EQ(error("Start (s),End (s),Scientific name,Common name,Confidence,File\n"
                  "0,3,a,b,1.5,x.wav\n"),
            t + ":2: Confidence 1.5 is not in [0, 1]");
  EXPECT_EQ(error("a,b\n1,2\n"),
            t + ": not a teacher table chorus reads (a chorus pseudo-label or detections table, a "
                "BirdNET-Analyzer CSV or a Raven selection table); its header is: a,b");
  EXPECT_EQ(error("recording,start_s,end_s,amerob,American Robin\nx,0,5,0.1,0.2\n"),
            t + ": columns 'amerob' and 'American Robin' both name class amerob");
  EXPECT_EQ(error("recording,class,start_s,end_s,score\nx.wav,amerob,0,5,3.5\n"),
            t + ":2: score 3.5 is not in [0, 1] (a teacher's scores are probabilities)");
  EXPECT_EQ(error("Start (s),End (s),Scientific name,Common name,Confidence,File\n"
                  "0,3,Strix varia,Barred Owl,0.5,x.wav\n"),
            t + ": no name in the table is a class of test (Strix varia)");
  // Columns are matched whole: a pseudo table whose classes merely contain "class" and "score".
  testing::write_text(dir / "p.csv",
                      "recording,start_s,end_s,amerob,classy,scores\nx,0,5,0.1,0,0\n");
  EXPECT_EQ(formats::read_teacher_table(dir / "p.csv", birds(), names).format,
            formats::TeacherFormat::pseudo);
}

}  // namespace
}  // namespace chorus
