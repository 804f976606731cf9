// A checkpoint's floating-point tensors read without LibTorch: F32 as stored, F16, BF16 and F64
// widened exactly (values whose float32 form is known), integer tensors skipped, a non-finite
// value refused naming the file and the tensor, a name the file lacks refused naming both.

#include "checkpoint/float_tensors.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "support/test_support.hpp"

namespace chorus {
namespace {

struct Stored {
  std::string name, dtype;
  std::vector<std::int64_t> shape;
  std::string bytes;
};

template <typename T>
std::string bytes_of(const std::vector<T>& values) {
  std::string out(values.size() * sizeof(T), '\0');
  std::memcpy(out.data(), values.data(), out.size());
  return out;
}

// A safetensors file of `tensors`, in order.
void write(const std::filesystem::path& path, const std::vector<Stored>& tensors) {
  nlohmann::json header = nlohmann::json::object();
  std::string data;
  for (const Stored& t : tensors) {
    header[t.name] = {{"dtype", t.dtype},
                      {"shape", t.shape},
                      {"data_offsets", {data.size(), data.size() + t.bytes.size()}}};
    data += t.bytes;
  }
  std::string text = header.dump();
  text.append((8 - text.size() % 8) % 8, ' ');
  std::ofstream out(path, std::ios::binary);
  const std::uint64_t length = text.size();
  out.write(reinterpret_cast<const char*>(&length), 8);
  out << text << data;
}

TEST(FloatTensors, WidenEveryFloatingTypeExactly) {
  testing::TempDir dir;
  // F16: 1, −2.5, the largest half (65504), the smallest subnormal (2^-24), −0, 1/3 rounded.
  const std::vector<std::uint16_t> half{0x3c00, 0xc100, 0x7bff, 0x0001, 0x8000, 0x3555};
  // BF16: the top 16 bits of 1.5f and −3.0e38f.
  const std::vector<std::uint16_t> brain{0x3fc0, 0xff61};
  write(dir / "m.safetensors",
        {{"a", "F16", {2, 3}, bytes_of(half)},
         {"b", "BF16", {2}, bytes_of(brain)},
         {"count", "I64", {1}, bytes_of(std::vector<std::int64_t>{7})},
         {"c", "F64", {2}, bytes_of(std::vector<double>{0.1, -1e300 / 1e300})},
         {"d", "F32", {3}, bytes_of(std::vector<float>{1.0f, -0.0f, 3.4e38f})}});
  const auto tensors = checkpoint::FloatTensors::read(dir / "m.safetensors");
  const std::vector<float> a(tensors->get("a").begin(), tensors->get("a").end());
  ASSERT_EQ(a.size(), 6u);
  EXPECT_EQ(a[0], 1.0f);
  EXPECT_EQ(a[1], -2.5f);
  EXPECT_EQ(a[2], 65504.0f);
  EXPECT_EQ(a[3], std::ldexp(1.0f, -24));
  EXPECT_TRUE(a[4] == 0.0f && std::signbit(a[4]));
  EXPECT_EQ(a[5], 0.333251953125f);
  EXPECT_EQ(tensors->get("b")[0], 1.5f);
  EXPECT_EQ(tensors->get("b")[1], std::bit_cast<float>(0xff610000u));
  EXPECT_EQ(tensors->get("c")[0], 0.1f);
  EXPECT_EQ(tensors->get("c")[1], -1.0f);
  EXPECT_EQ(tensors->get("d")[2], 3.4e38f);
  EXPECT_THROW(tensors->get("count"), ModelError);  // integers are not weights
  const std::string missing = testing::error_message([&] { tensors->get("e"); });
  EXPECT_NE(missing.find("m.safetensors"), std::string::npos) << missing;
  EXPECT_NE(missing.find("'e'"), std::string::npos) << missing;
}

TEST(FloatTensors, RefuseNonFiniteValuesNamingTheTensor) {
  testing::TempDir dir;
  // Half infinity, bfloat16 NaN, a double too large for float32 (infinite once narrowed).
  const std::vector<Stored> bad{{"h", "F16", {1}, bytes_of(std::vector<std::uint16_t>{0x7c00})},
                                {"g", "BF16", {1}, bytes_of(std::vector<std::uint16_t>{0x7fc1})},
                                {"f", "F64", {1}, bytes_of(std::vector<double>{1e300})}};
  for (const Stored& t : bad) {
    write(dir / "bad.safetensors", {{"ok", "F32", {1}, bytes_of(std::vector<float>{1})}, t});
    const std::string message =
        testing::error_message([&] { checkpoint::FloatTensors::read(dir / "bad.safetensors"); });
    EXPECT_NE(message.find("bad.safetensors"), std::string::npos) << message;
    EXPECT_NE(message.find("'" + t.name + "'"), std::string::npos) << message;
  }
}

}  // namespace
}  // namespace chorus
