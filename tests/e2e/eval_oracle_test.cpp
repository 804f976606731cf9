// `chorus eval --json` against tests/oracles/eval_oracle.py, which writes soundscape labels and
// shuffled submissions (rows and class columns out of order, a class without positives, ties,
// logits, unknown labels to drop) and scores them itself: its own CSV reading and alignment by
// row_id and class name, and scikit-learn's metrics.

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/test_support.hpp"

namespace chorus {
namespace {

constexpr double kTolerance = 1e-9;

// Numbers to kTolerance, null (an undefined per-class value) exactly, everything else equal.
void expect_matches(const nlohmann::json& actual, const nlohmann::json& expected,
                    const std::string& where) {
  if (expected.is_number_float()) {
    ASSERT_TRUE(actual.is_number()) << where << " = " << actual;
    EXPECT_NEAR(actual.get<double>(), expected.get<double>(), kTolerance) << where;
  } else if (expected.is_object()) {
    for (const auto& [key, value] : expected.items()) {
      ASSERT_TRUE(actual.contains(key)) << where << "." << key << " is missing";
      expect_matches(actual[key], value, where + "." + key);
    }
  } else if (expected.is_array()) {
    ASSERT_EQ(actual.size(), expected.size()) << where;
    for (std::size_t i = 0; i < expected.size(); ++i)
      expect_matches(actual[i], expected[i], where + "[" + std::to_string(i) + "]");
  } else {
    EXPECT_EQ(actual, expected) << where;
  }
}

TEST(EvalOracle, MatchesScikitLearnOnShuffledSubmissions) {
  testing::TempDir dir;
  testing::run_oracle("eval_oracle.py", {"--out", dir.path().string()});
  std::ifstream in(dir / "cases.json");
  const auto cases = nlohmann::json::parse(in).at("cases");
  ASSERT_GE(cases.size(), 4u);
  for (const auto& c : cases) {
    const std::string name = c.at("name");
    SCOPED_TRACE(name);
    std::vector<std::string> args = {"eval",          "--json",
                                     "--truth",       (dir / (name + ".truth.csv")).string(),
                                     "--predictions", (dir / (name + ".sub.csv")).string()};
    for (const auto& option : c.at("options")) args.push_back(option.get<std::string>());
    const auto r = testing::run_chorus(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    expect_matches(nlohmann::json::parse(r.out), c.at("expected"), name);
  }
}

}  // namespace
}  // namespace chorus
