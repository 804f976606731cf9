#include "core/atomic_file.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "core/error.hpp"
#include "support/test_support.hpp"

namespace chorus {
namespace {

TEST(AtomicFile, FailedWriteKeepsTheOldFileAndNoTemporary) {
  testing::TempDir dir;
  const auto target = dir / "result.csv";
  core::write_file_atomically(target, "old\n");
  EXPECT_THROW(core::write_atomically(target,
                                      [](const std::filesystem::path& tmp) {
                                        std::ofstream(tmp) << "half of the new";
                                        throw IoError("disk full");
                                      }),
               IoError);
  EXPECT_EQ(testing::read_text(target), "old\n");
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir.path()))
    ++files;
  EXPECT_EQ(files, 1u);
  core::write_file_atomically(target, "new\n");
  EXPECT_EQ(testing::read_text(target), "new\n");
}

TEST(AtomicFile, MissingDirectoryIsAnError) {
  testing::TempDir dir;
  try {
    core::write_file_atomically(dir / "no" / "such" / "x.txt", "x");
    FAIL();
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("does not exist"), std::string::npos);
  }
}

}  // namespace
}  // namespace chorus
