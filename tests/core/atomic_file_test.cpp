#include "core/atomic_file.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <string>
#include <vector>

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

// Only a dead process's temporaries go: not this process's, not a name whose number no pid can
// be (it is not chorus's), not other files. Linux pids stay below 4194304.
TEST(AtomicFile, StaleTemporariesOfDeadProcessesAreRemoved) {
  testing::TempDir dir;
  const std::vector<std::string> kept = {".b.csv.tmp-" + std::to_string(::getpid()),
                                         ".c.csv.tmp-99999999999999999999", "d.csv.tmp-4194305",
                                         "e.csv"};
  for (const std::string& name : kept) testing::write_text(dir / name, "x");
  testing::write_text(dir / ".a.csv.tmp-4194305", "half");
  EXPECT_EQ(core::remove_stale_temporaries(dir.path()), 1u);
  EXPECT_FALSE(std::filesystem::exists(dir / ".a.csv.tmp-4194305"));
  for (const std::string& name : kept) EXPECT_TRUE(std::filesystem::exists(dir / name)) << name;
}

}  // namespace
}  // namespace chorus
