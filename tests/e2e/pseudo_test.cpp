// chorus pseudo end to end: the same scores as chorus predict, the [pseudo] transforms applied,
// bad recordings reported, settings that cannot give probabilities refused, the networks'
// number format chosen as in predict (--precision).

#include <gtest/gtest.h>

#include <fstream>

#include "audio/audio_writer.hpp"
#include "e2e/random_checkpoint.hpp"
#include "formats/pseudo_table.hpp"
#include "formats/score_table.hpp"
#include "support/signals.hpp"
#include "support/test_support.hpp"

namespace chorus {
namespace {

using testing::run_chorus;

// A 3-class ResNet-18 checkpoint with random weights, and a folder of two recordings and a
// broken file.
struct PseudoFixture {
  testing::TempDir dir;
  std::filesystem::path model = dir / "m.ckpt", folder = dir / "audio";
  PseudoFixture() {
    testing::import_random_resnet18(dir.path(), {"sp1", "sp2", "sp3"});
    std::filesystem::create_directories(folder);
    audio::write_audio(folder / "s1.ogg", testing::white_noise(32000, 12.0, 0.1, 1), 32000);
    audio::write_audio(folder / "s2.flac", testing::sine(48000, 5.0, 2000, 0.3), 48000);
    std::ofstream(folder / "s3.wav") << "broken";
  }
  testing::CommandResult pseudo(const std::string& out, std::vector<std::string> extra = {}) const {
    std::vector<std::string> args{"--quiet",      "pseudo", folder.string(),     "--model",
                                  model.string(), "--out",  (dir / out).string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_chorus(args);
  }
};

TEST(Pseudo, LabelsAreThePredictorsScoresTransformed) {
  const PseudoFixture f;
  const auto predict = run_chorus({"--quiet", "predict", f.folder.string(), "--model",
                                   f.model.string(), "--out", (f.dir / "pred").string()});
  ASSERT_EQ(predict.exit_code, 0) << predict.err;
  const auto plain = f.pseudo("plain.csv");
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_NE(plain.err.find("s3.wav"), std::string::npos) << plain.err;  // reported, not fatal
  EXPECT_NE(plain.out.find("3 recordings: 2 labelled, 1 failed; 4 of 4 chunks kept"),
            std::string::npos)
      << plain.out;
  const formats::PseudoTable labels = formats::read_pseudo_table(f.dir / "plain.csv");
  const formats::ScoreTable submission = formats::read_score_table(f.dir / "pred/submission.csv");
  EXPECT_EQ(labels.classes, submission.classes);
  ASSERT_EQ(labels.rows.size(), submission.rows());  // s1: 3 chunks, s2: 1
  EXPECT_EQ(labels.rows[0].recording, (f.folder / "s1.ogg").string());
  EXPECT_EQ(labels.rows[2].start_seconds, 10);
  EXPECT_EQ(labels.rows[2].end_seconds, 12);  // the last chunk ends with the recording
  for (std::size_t r = 0; r < labels.rows.size(); ++r)
    for (std::size_t k = 0; k < labels.classes.size(); ++k)
      EXPECT_NEAR(labels.rows[r].probabilities[k], submission.score(r, k), 1e-6);

  // Each [pseudo] key through the command: temperature 0.5 squares, floor clears, the cap
  // bounds each row's sum, top_k = 1 keeps one class per chunk, min_confidence = 1 drops all.
  ASSERT_EQ(f.pseudo("t.csv", {"--set", "pseudo.temperature=0.5", "--set", "pseudo.floor=0.3",
                               "--set", "pseudo.row_cap=0.5"})
                .exit_code,
            0);
  const formats::PseudoTable sharp = formats::read_pseudo_table(f.dir / "t.csv");
  ASSERT_EQ(sharp.rows.size(), labels.rows.size());
  for (std::size_t r = 0; r < sharp.rows.size(); ++r) {
    std::vector<float> want;
    for (float p : labels.rows[r].probabilities) want.push_back(p * p < 0.3f ? 0.0f : p * p);
    double sum = 0;
    for (float p : want) sum += p;
    for (std::size_t k = 0; k < want.size(); ++k)
      EXPECT_NEAR(sharp.rows[r].probabilities[k], sum > 0.5 ? want[k] * 0.5 / sum : want[k], 1e-6);
  }
  ASSERT_EQ(f.pseudo("top1.csv", {"--set", "pseudo.top_k=1"}).exit_code, 0);
  for (const formats::PseudoRow& row : formats::read_pseudo_table(f.dir / "top1.csv").rows)
    EXPECT_EQ(std::count(row.probabilities.begin(), row.probabilities.end(), 0.0f), 2);
  const auto none = f.pseudo("none.csv", {"--set", "pseudo.min_confidence=1"});
  ASSERT_EQ(none.exit_code, 0) << none.err;
  EXPECT_NE(none.out.find("0 of 4 chunks kept (4 below pseudo.min_confidence)"), std::string::npos)
      << none.out;
  EXPECT_TRUE(formats::read_pseudo_table(f.dir / "none.csv").rows.empty());
}

// Two runs' best.ckpt in one ensemble: members named by folder where their stems repeat.
TEST(Pseudo, ModelsWithOneStemAreNamedByFolder) {
  const PseudoFixture f;
  for (const char* run : {"run_a", "run_b"}) {
    std::filesystem::create_directories(f.dir / run);
    std::filesystem::copy_file(f.model, f.dir / run / "best.ckpt");
  }
  const std::string a = (f.dir / "run_a/best.ckpt").string(),
                    b = (f.dir / "run_b/best.ckpt").string();
  const auto named =
      run_chorus({"--quiet", "pseudo", f.folder.string(), "--model", a, "--model", b, "--ensemble",
                  "min(run_a.best, run_b.best)", "--out", (f.dir / "named.csv").string()});
  ASSERT_EQ(named.exit_code, 0) << named.err;
  ASSERT_EQ(f.pseudo("one.csv").exit_code, 0);
  // The same weights twice: the ensemble is the one model.
  const auto one = formats::read_pseudo_table(f.dir / "one.csv");
  const auto two = formats::read_pseudo_table(f.dir / "named.csv");
  ASSERT_EQ(one.rows.size(), two.rows.size());
  for (std::size_t r = 0; r < one.rows.size(); ++r)
    EXPECT_EQ(one.rows[r].probabilities, two.rows[r].probabilities);
}

TEST(Pseudo, RefusesLogitsAndEachChannelAndStopsWhenAsked) {
  const PseudoFixture f;
  const auto logits = f.pseudo("l.csv", {"--set", "postprocess.activation=none"});
  EXPECT_EQ(logits.exit_code, 2);
  EXPECT_NE(logits.err.find("pseudo-labels are probabilities"), std::string::npos) << logits.err;
  const auto stop = f.pseudo("s.csv", {"--fail-fast"});
  EXPECT_EQ(stop.exit_code, 2);
  EXPECT_NE(stop.err.find("stopped: --fail-fast"), std::string::npos) << stop.err;
  EXPECT_FALSE(std::filesystem::exists(f.dir / "s.csv"));
  EXPECT_FALSE(std::filesystem::exists(f.dir / "l.csv"));
  // A table labels one signal per recording: not each channel as predict can.
  const auto each = f.pseudo("c.csv", {"--set", "infer.channel=all"});
  EXPECT_EQ(each.exit_code, 2);
  EXPECT_NE(each.err.find("infer.channel = all: chorus pseudo labels one signal"),
            std::string::npos)
      << each.err;
}

// pseudo takes --precision as predict does: bf16 and int8 (of a calibrated model) labels are
// predict's scores in that precision, and differ from the fp32 labels; where oneDNN has no bf16
// kernels (below AVX-512) both refuse bf16 alike.
TEST(Pseudo, PrecisionAsInPredict) {
  const PseudoFixture f;
  ASSERT_EQ(f.pseudo("fp32.csv").exit_code, 0);
  const formats::PseudoTable fp32 = formats::read_pseudo_table(f.dir / "fp32.csv");
  // int8 needs the model calibrated (in place: fp32 and bf16 ignore the calibration).
  ASSERT_EQ(
      run_chorus({"--quiet", "calibrate", "--model", f.model.string(), "--data", f.folder.string()})
          .exit_code,
      0);
  for (const std::string precision : {"bf16", "int8"}) {
    SCOPED_TRACE(precision);
    const auto predict =
        run_chorus({"--quiet", "predict", f.folder.string(), "--model", f.model.string(), "--out",
                    (f.dir / ("pred_" + precision)).string(), "--precision", precision});
    const auto labelled = f.pseudo(precision + ".csv", {"--precision", precision});
    if (precision == "bf16" && predict.exit_code == 2) {
      EXPECT_NE(predict.err.find("needs a CPU with AVX-512"), std::string::npos) << predict.err;
      EXPECT_EQ(labelled.exit_code, 2);
      EXPECT_NE(labelled.err.find("needs a CPU with AVX-512"), std::string::npos) << labelled.err;
      continue;
    }
    ASSERT_EQ(predict.exit_code, 0) << predict.err;
    ASSERT_EQ(labelled.exit_code, 0) << labelled.err;
    EXPECT_NE(labelled.out.find("networks in " + precision), std::string::npos) << labelled.out;
    const formats::PseudoTable labels = formats::read_pseudo_table(f.dir / (precision + ".csv"));
    const formats::ScoreTable submission =
        formats::read_score_table(f.dir / ("pred_" + precision) / "submission.csv");
    ASSERT_EQ(labels.rows.size(), submission.rows());
    bool differs = false;
    for (std::size_t r = 0; r < labels.rows.size(); ++r)
      for (std::size_t k = 0; k < labels.classes.size(); ++k) {
        EXPECT_NEAR(labels.rows[r].probabilities[k], submission.score(r, k), 1e-6);
        differs |= labels.rows[r].probabilities[k] != fp32.rows[r].probabilities[k];
      }
    EXPECT_TRUE(differs) << precision << " gave the fp32 labels";
  }
}

}  // namespace
}  // namespace chorus
