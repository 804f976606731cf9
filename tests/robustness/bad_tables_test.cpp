// Tables and arrays a user hands over (issue #17): a Raven table with two label columns or a NUL
// byte in a label, an .npy of negative shape, weights with tensors no model has, and a CSV of a
// million ragged rows, which must fail at its first and not after holding them all.

#include <sys/resource.h>

#include <filesystem>
#include <string>

#include "e2e/random_checkpoint.hpp"
#include "robustness/bad_input_fixture.hpp"

namespace chorus::testing {
namespace {

const std::string kRavenHeader =
    "Selection\tView\tChannel\tBegin Time (s)\tEnd Time (s)\tLow Freq (Hz)\tHigh Freq (Hz)"
    "\tSpecies";

// The Raven reader took the first of two `Species` columns, and cut a label at a NUL byte.
TEST_F(BadInput, RavenTablesWithTwoLabelColumnsOrANulByte) {
  const std::string submission =
      write_text(dir() / "submission.csv", "row_id,sp1,sp2\nrec_5,0.1,0.2\n").string();
  const fs::path twice = write_text(dir() / "twice.Table.1.selections.txt",
                                    kRavenHeader +
                                        "\tSpecies\n1\tSpectrogram 1\t1\t0.5\t1.5\t1000"
                                        "\t4000\tsp1\tsp2\n");
  expect_one_line_error(
      run_chorus({"eval", "--truth", twice.string(), "--predictions", submission}),
      "twice.Table.1.selections.txt:1: column 'Species' appears twice (columns 8 and 9)");
  const fs::path nul = write_text(dir() / "nul.Table.1.selections.txt",
                                  kRavenHeader + "\n1\tSpectrogram 1\t1\t0.5\t1.5\t1000\t4000\tsp" +
                                      std::string(1, '\0') + "1\n");
  expect_one_line_error(run_chorus({"eval", "--truth", nul.string(), "--predictions", submission}),
                        "nul.Table.1.selections.txt:2: field 8 holds a NUL byte");
}

// An .npy of `shape` with 24 bytes of data.
fs::path write_npy_claiming(const fs::path& path, const std::string& shape) {
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }";
  header += std::string(63 - (10 + header.size()) % 64, ' ') + "\n";
  const std::string length{static_cast<char>(header.size() & 0xff),
                           static_cast<char>(header.size() >> 8)};
  return write_text(path,
                    std::string("\x93NUMPY\x01\x00", 8) + length + header + std::string(24, '\0'));
}

// An .npy whose header gives shape (-2, 3) was read as (2, 3); one of 200 bytes claiming
// (2, 2047033901) allocated 16 GB before finding its data short (found by fuzz_npy).
TEST_F(BadInput, AnNpyOfNegativeOrHugeShape) {
  const auto forward = [&](const fs::path& input) {
    return run_chorus({"forward", "--model", model(), "--input", input.string(), "--output",
                       (dir() / "y.npy").string()});
  };
  expect_one_line_error(forward(write_npy_claiming(dir() / "x.npy", "(-2, 3)")),
                        "x.npy: .npy shape (-2, 3) holds '-2', not a dimension");
  expect_one_line_error(forward(write_npy_claiming(dir() / "huge.npy", "(2, 2047033901)")),
                        "huge.npy: truncated data: shape (2,2047033901) needs 16376271208 bytes, "
                        "file has 24");
  EXPECT_FALSE(fs::exists(dir() / "y.npy"));
}

// A safetensors header holding a number too large for any type was an internal error
// (nlohmann's out_of_range escaped the reader; found by fuzz_safetensors).
TEST_F(BadInput, ASafetensorsHeaderWithAnOverflowingNumber) {
  const std::string json =
      R"({"w":{"dtype":"F32","shape":[8e8888888888888888],"data_offsets":[0,4]}})";
  std::string length(8, '\0');
  length[0] = static_cast<char>(json.size());
  const fs::path file = write_text(dir() / "overflow.ckpt", length + json + std::string(4, '\0'));
  expect_one_line_error(run_chorus({"info", "--model", file.string()}),
                        "overflow.ckpt: header is not valid JSON");
}

// `chorus import` dropped a tensor the architecture has no place for without a word: it is
// named in a warning, and refused with --strict.
TEST_F(BadInput, ImportedWeightsWithATensorNoModelHas) {
  ASSERT_EQ(import_random_resnet18(dir(), {"sp1", "sp2"}).exit_code, 0);
  models::TensorMap weights = models::read_safetensors(dir() / "m.safetensors").tensors;
  weights.emplace("extra.weight", torch::zeros({2}));
  models::write_safetensors(dir() / "extra.safetensors", weights);
  const std::vector<std::string> import = {"import",
                                           "--arch",
                                           "resnet18",
                                           "--weights",
                                           (dir() / "extra.safetensors").string(),
                                           "--classes",
                                           (dir() / "m_classes.txt").string(),
                                           "--out",
                                           (dir() / "x.ckpt").string()};
  const auto warned = run_chorus(import);
  ASSERT_EQ(warned.exit_code, 0) << warned.err;
  EXPECT_NE(warned.err.find("extra.safetensors: 1 tensors not used (no place for them in "
                            "resnet18): extra.weight"),
            std::string::npos)
      << warned.err;
  fs::remove(dir() / "x.ckpt");
  std::vector<std::string> strict = import;
  strict.push_back("--strict");
  expect_one_line_error(run_chorus(strict), "1 tensors that resnet18 has no place for (--strict)");
  EXPECT_FALSE(fs::exists(dir() / "x.ckpt"));
}

// Training metadata naming a folder as a recording said "read error while hashing"; `--fold 0`
// on a `fold` column of only −1 said there was no `fold` column.
TEST_F(BadInput, MetadataNamingAFolderOrOnlyNegativeFolds) {
  const fs::path set = dir() / "set";
  fs::create_directories(set / "train_audio/sp1/a.ogg");
  audio::write_audio(set / "train_audio/sp1/b.ogg", white_noise(32000, 3.0, 0.1, 4), 32000);
  write_text(set / "train_metadata.csv",
             "primary_label,filename,fold\nsp1,sp1/a.ogg,-1\nsp1,sp1/b.ogg,-1\n");
  const auto prepared =
      run_chorus({"--quiet", "prepare", set.string(), "--cache", (dir() / "cache").string()});
  EXPECT_EQ(prepared.exit_code, 2) << prepared.err;
  EXPECT_NE(prepared.err.find("a.ogg: a folder, not a file"), std::string::npos) << prepared.err;
  expect_one_line_error(run_chorus({"--quiet", "train", set.string(), "--fold", "0", "--out",
                                    (dir() / "run").string()}),
                        "no item has a fold (no `fold` column, or only negative values in it)");
}

// A million rows of garbage took 1.4 GB in `chorus folds` before it failed at line 2: the table
// is checked row by row as it is parsed, and fails there, in little memory.
// (Its own process with no other child, so RUSAGE_CHILDREN measures `folds` alone.)
TEST(BadTable, AMillionRaggedRowsFailAtTheFirst) {
  TempDir dir;
  std::string text = "primary_label,filename\n";
  for (int i = 0; i < 1000000; ++i) text += "x,y,z\n";
  const fs::path table = write_text(dir / "garbage.csv", text);
  const auto r = run_chorus({"folds", table.string(), "--out", (dir / "folds.csv").string()});
  expect_one_line_error(r, "garbage.csv:2: expected 2 fields (as in the header), found 3");
  EXPECT_FALSE(fs::exists(dir / "folds.csv"));
  rusage usage{};
  ::getrusage(RUSAGE_CHILDREN, &usage);
  // The file is 6 MB; 1.4 GB before. (A sanitizer build, make test-asan, about triples the
  // little it takes now.)
  EXPECT_LT(usage.ru_maxrss, 600 * 1024) << "KiB";
}

}  // namespace
}  // namespace chorus::testing
