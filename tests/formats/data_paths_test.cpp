// Filenames from metadata tables stay inside the data root.

#include "formats/data_paths.hpp"

#include <gtest/gtest.h>

#include "formats/reader_testing.hpp"

namespace chorus {
namespace {

const std::filesystem::path kRoot = "/data/train_audio";

std::string path_error(std::string_view name) {
  return testing::format_error([&] { formats::resolve_data_path(kRoot, name, "m.csv:7"); });
}

TEST(DataPaths, RelativeNamesResolveUnderTheRoot) {
  EXPECT_EQ(formats::resolve_data_path(kRoot, "amecro/XC1.ogg", "m.csv:2"),
            kRoot / "amecro/XC1.ogg");
  EXPECT_EQ(formats::resolve_data_path(kRoot, "a/./b/../c.ogg", "m.csv:2"), kRoot / "a/c.ogg");
  EXPECT_EQ(formats::resolve_data_path(kRoot, "zébdov/XC3 été.ogg", "m.csv:2"),
            kRoot / "zébdov/XC3 été.ogg");
  EXPECT_EQ(formats::resolve_data_path(kRoot, "..x/y.ogg", "m.csv:2"), kRoot / "..x/y.ogg");
}

TEST(DataPaths, NamesThatLeaveTheRootAreErrors) {
  EXPECT_EQ(path_error("/etc/passwd"),
            "m.csv:7: filename '/etc/passwd' is absolute; filenames must be relative to the data "
            "root /data/train_audio");
  EXPECT_EQ(path_error("../secret.ogg"),
            "m.csv:7: filename '../secret.ogg' leaves the data root /data/train_audio");
  EXPECT_EQ(path_error(".."), "m.csv:7: filename '..' leaves the data root /data/train_audio");
  // Only normalisation shows that these climb out.
  EXPECT_EQ(path_error("a/../../b.ogg"),
            "m.csv:7: filename 'a/../../b.ogg' leaves the data root /data/train_audio");
  EXPECT_EQ(path_error("a/./b/../../../c.ogg"),
            "m.csv:7: filename 'a/./b/../../../c.ogg' leaves the data root /data/train_audio");
  EXPECT_EQ(path_error("a/.."),
            "m.csv:7: filename 'a/..' names the data root itself, not a file in it");
  EXPECT_EQ(path_error("a/b/.."), "m.csv:7: filename 'a/b/..' names a directory, not a file");
  EXPECT_EQ(path_error(""), "m.csv:7: empty filename");
  EXPECT_EQ(path_error(std::string_view("a\0/../../x", 10)),
            "m.csv:7: filename contains a NUL byte");
}

}  // namespace
}  // namespace chorus
