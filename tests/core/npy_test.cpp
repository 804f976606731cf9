#include "core/npy.hpp"

#include <gtest/gtest.h>

#include <array>
#include <fstream>

#include "core/error.hpp"
#include "support/test_support.hpp"

namespace chorus {
namespace {

TEST(Npy, RoundTripKeepsShapeAndValues) {
  testing::TempDir dir;
  const std::vector<float> values = {1.5f, -2.0f, 3.25f, 0.0f, 1e-30f, 7.0f};
  const std::array<std::int64_t, 2> shape{2, 3};
  core::write_npy(dir / "a.npy", values, shape);
  const core::NpyArray back = core::read_npy(dir / "a.npy");
  EXPECT_EQ(back.shape, (std::vector<std::int64_t>{2, 3}));
  EXPECT_EQ(back.data, values);
  // The header is padded so the data starts on a 64-byte boundary (the .npy spec).
  EXPECT_EQ((std::filesystem::file_size(dir / "a.npy") - values.size() * 4) % 64, 0u);
}

TEST(Npy, BadFilesAreNamed) {
  testing::TempDir dir;
  std::ofstream(dir / "text.npy") << "not numpy";
  EXPECT_THROW(
      {
        try {
          core::read_npy(dir / "text.npy");
        } catch (const FormatError& e) {
          EXPECT_EQ(std::string(e.what()),
                    (dir / "text.npy").string() + ": not a .npy file (bad magic)");
          throw;
        }
      },
      FormatError);
  const std::array<std::int64_t, 1> shape{100};
  core::write_npy(dir / "full.npy", std::vector<float>(100, 1.0f), shape);
  std::filesystem::resize_file(dir / "full.npy", std::filesystem::file_size(dir / "full.npy") - 8);
  try {
    core::read_npy(dir / "full.npy");
    FAIL() << "truncated file accepted";
  } catch (const FormatError& e) {
    EXPECT_NE(std::string(e.what()).find("truncated data"), std::string::npos) << e.what();
  }
  EXPECT_THROW(core::read_npy(dir / "missing.npy"), IoError);
}

TEST(Npy, ShapeMismatchIsRejectedBeforeWriting) {
  testing::TempDir dir;
  const std::array<std::int64_t, 2> shape{2, 2};
  EXPECT_THROW(core::write_npy(dir / "x.npy", std::vector<float>(3), shape), Error);
  EXPECT_FALSE(std::filesystem::exists(dir / "x.npy"));
}

}  // namespace
}  // namespace chorus
