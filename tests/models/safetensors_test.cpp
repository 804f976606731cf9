// Safetensors round trips and the readers' (whole file, header alone) refusal of truncated and
// hostile files, each with the whole message a user would see.

#include "models/safetensors.hpp"

#include <gtest/gtest.h>
#include <torch/types.h>

#include <cstdint>
#include <string>

#include "checkpoint/safetensors_header.hpp"
#include "support/test_support.hpp"

namespace chorus {
namespace {

using models::read_safetensors;
using models::TensorMap;

// A file made by hand: the header length, the header JSON, then `data`.
std::filesystem::path write_raw(const std::filesystem::path& path, const std::string& header,
                                const std::string& data, std::uint64_t declared_length) {
  std::string bytes;
  for (int i = 0; i < 8; ++i)
    bytes.push_back(static_cast<char>((declared_length >> (8 * i)) & 0xff));
  return testing::write_text(path, bytes + header + data);
}

std::filesystem::path write_raw(const std::filesystem::path& path, const std::string& header,
                                const std::string& data) {
  return write_raw(path, header, data, header.size());
}

// The whole-file reader's message, which reading the header alone must give too: its bounds
// are checked against the file's size without reading the data.
std::string read_error(const std::filesystem::path& path) {
  const std::string whole = testing::error_message([&] { read_safetensors(path); });
  EXPECT_EQ(testing::error_message([&] { checkpoint::read_safetensors_header(path); }), whole)
      << path.filename();
  return whole;
}

TEST(Safetensors, RoundTripKeepsNamesShapesValuesAndMetadata) {
  testing::TempDir dir;
  const TensorMap tensors{{"b.weight", torch::arange(12, torch::kFloat32).reshape({3, 4})},
                          {"a.scalar", torch::tensor(2.5f).reshape({})},
                          {"bn.num_batches_tracked", torch::tensor(7, torch::kInt64).reshape({})},
                          {"empty", torch::zeros({0, 3})}};
  models::write_safetensors(dir / "w.safetensors", tensors, {{"epoch", "3"}});
  const models::SafetensorsFile back = read_safetensors(dir / "w.safetensors");
  ASSERT_EQ(back.tensors.size(), tensors.size());
  for (const auto& [name, tensor] : tensors) {
    const torch::Tensor& read = back.tensors.at(name);
    EXPECT_EQ(read.sizes(), tensor.sizes()) << name;
    EXPECT_EQ(read.scalar_type(), tensor.scalar_type()) << name;
    EXPECT_TRUE(torch::equal(read, tensor)) << name;
  }
  EXPECT_EQ(back.metadata, (std::map<std::string, std::string>{{"epoch", "3"}}));
  const checkpoint::SafetensorsHeader header =
      checkpoint::read_safetensors_header(dir / "w.safetensors");
  EXPECT_EQ(header.metadata, back.metadata);
  ASSERT_EQ(header.entries.size(), tensors.size());
  EXPECT_EQ(header.entries.back().end, 12u * 4 + 4 + 8);  // the data section, in name order
  // The header is padded so the data section starts 8-byte aligned, as the reference writes it.
  EXPECT_EQ((std::filesystem::file_size(dir / "w.safetensors") - 12 * 4 - 4 - 8) % 8, 0u);
}

TEST(Safetensors, HalfPrecisionAndDoubleBecomeFloat32) {
  testing::TempDir dir;
  // 1.5 and -2 as F16 (0x3E00, 0xC000), BF16 (0x3FC0, 0xC000) and F64.
  const std::string f16("\x00\x3e\x00\xc0", 4);
  const std::string bf16("\xc0\x3f\x00\xc0", 4);
  std::string f64(16, '\0');
  const double values[2] = {1.5, -2.0};
  std::memcpy(f64.data(), values, 16);
  const auto path = write_raw(dir / "h.safetensors",
                              R"({"h":{"dtype":"F16","shape":[2],"data_offsets":[0,4]},)"
                              R"("b":{"dtype":"BF16","shape":[2],"data_offsets":[4,8]},)"
                              R"("d":{"dtype":"F64","shape":[1,2],"data_offsets":[8,24]}})",
                              f16 + bf16 + f64);
  const models::SafetensorsFile file = read_safetensors(path);
  for (const char* name : {"h", "b", "d"}) {
    const torch::Tensor t = file.tensors.at(name);
    EXPECT_EQ(t.scalar_type(), torch::kFloat32) << name;
    EXPECT_TRUE(torch::equal(t.flatten(), torch::tensor({1.5f, -2.0f}))) << name;
  }
}

TEST(Safetensors, TruncatedAndHostileFilesAreRefusedWithTheReason) {
  testing::TempDir dir;
  const auto p = [&](const char* name) { return (dir / name).string(); };
  const std::string one_float(4, '\0');

  testing::write_text(dir / "short", "abc");
  EXPECT_EQ(read_error(dir / "short"),
            p("short") + ": 3 bytes, too short for a safetensors file (8-byte header length)");

  write_raw(dir / "long", "{}", "", 1000);
  EXPECT_EQ(read_error(dir / "long"),
            p("long") + ": header length 1000 runs past the end of the file (10 bytes)");

  write_raw(dir / "huge", "{}", "", ~std::uint64_t{0});
  EXPECT_EQ(read_error(dir / "huge"), p("huge") +
                                          ": header length 18446744073709551615 runs past "
                                          "the end of the file (10 bytes)");

  write_raw(dir / "json", R"({"a": {"dtype": "F32",)", one_float);
  EXPECT_EQ(read_error(dir / "json"), p("json") + ": header is not valid JSON (error at byte 23)");

  write_raw(dir / "array", "[1, 2]", "");
  EXPECT_EQ(read_error(dir / "array"), p("array") + ": header is not a JSON object");

  write_raw(dir / "fields", R"({"a": {"dtype": "F32", "shape": [1]}})", one_float);
  EXPECT_EQ(read_error(dir / "fields"),
            p("fields") +
                ": tensor 'a': expected an object with dtype, shape and data_offsets "
                "[begin, end]");

  write_raw(dir / "dtype", R"({"a": {"dtype": "C64", "shape": [1], "data_offsets": [0, 4]}})",
            one_float);
  EXPECT_EQ(read_error(dir / "dtype"),
            p("dtype") +
                ": tensor 'a': unsupported dtype 'C64' (expected F32, F16, BF16, F64 or "
                "I64)");

  write_raw(dir / "shape", R"({"a": {"dtype": "F32", "shape": [-1], "data_offsets": [0, 4]}})",
            one_float);
  EXPECT_EQ(
      read_error(dir / "shape"),
      p("shape") + ": tensor 'a': shape [-1] has an entry that is not a non-negative integer");

  write_raw(dir / "overflow",
            R"({"a": {"dtype": "F32", "shape": [4294967296, 4294967296], "data_offsets": [0, 0]}})",
            "");
  EXPECT_EQ(read_error(dir / "overflow"),
            p("overflow") + ": tensor 'a': shape [4294967296,4294967296] is too large");

  write_raw(dir / "size", R"({"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 4]}})",
            one_float);
  EXPECT_EQ(read_error(dir / "size"),
            p("size") + ": tensor 'a': data_offsets [0, 4] hold 4 bytes, but F32 [2] needs 8");

  write_raw(dir / "reversed", R"({"a": {"dtype": "F32", "shape": [1], "data_offsets": [4, 0]}})",
            one_float);
  EXPECT_EQ(read_error(dir / "reversed"),
            p("reversed") + ": tensor 'a': data_offsets [4, 0] end before they begin");

  write_raw(dir / "outside", R"({"a": {"dtype": "F32", "shape": [1], "data_offsets": [4, 8]}})",
            one_float);
  EXPECT_EQ(read_error(dir / "outside"),
            p("outside") + ": tensor 'a': data_offsets [4, 8] run past the data section (4 bytes)");

  write_raw(dir / "overlap",
            R"({"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},)"
            R"( "b": {"dtype": "F32", "shape": [1], "data_offsets": [4, 8]}})",
            one_float + one_float);
  EXPECT_EQ(read_error(dir / "overlap"),
            p("overlap") + ": tensors 'a' [0, 8] and 'b' [4, 8] overlap");

  write_raw(dir / "gap", R"({"a": {"dtype": "F32", "shape": [1], "data_offsets": [4, 8]}})",
            one_float + one_float);
  EXPECT_EQ(read_error(dir / "gap"),
            p("gap") + ": bytes [0, 4] of the data section belong to no tensor");

  write_raw(dir / "trailing", R"({"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}})",
            one_float + one_float);
  EXPECT_EQ(read_error(dir / "trailing"),
            p("trailing") + ": bytes [4, 8] of the data section belong to no tensor");

  write_raw(dir / "metadata", R"({"__metadata__": {"epoch": 3}})", "");
  EXPECT_EQ(read_error(dir / "metadata"), p("metadata") + ": __metadata__ 'epoch' is not a string");

  EXPECT_EQ(read_error(dir / "absent"), "cannot open " + p("absent"));
  std::filesystem::create_directories(dir / "folder.safetensors");
  EXPECT_EQ(read_error(dir / "folder.safetensors"),
            "cannot read " + p("folder.safetensors") + ": Is a directory");
}

TEST(Safetensors, WritingOtherDtypesIsRefused) {
  testing::TempDir dir;
  EXPECT_EQ(testing::error_message([&] {
              models::write_safetensors(dir / "w", {{"x", torch::zeros({2}, torch::kInt32)}});
            }),
            "cannot write tensor 'x': dtype Int (expected float32 or int64)");
  EXPECT_FALSE(std::filesystem::exists(dir / "w"));
}

}  // namespace
}  // namespace chorus
