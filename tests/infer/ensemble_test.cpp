// Ensemble reductions on hand-computed examples.

#include "infer/ensemble.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"

namespace chorus {
namespace {

infer::ScoreMatrix m(std::vector<float> v) {
  infer::ScoreMatrix s(2, 2);
  s.values = std::move(v);
  return s;
}

const std::map<std::string, infer::ScoreMatrix> kMembers = {
    {"effnet0", m({0.2f, 0.9f, 0.4f, 0.1f})},
    {"effnet1", m({0.4f, 0.5f, 0.8f, 0.3f})},
    {"regnet0", m({0.1f, 0.7f, 0.6f, 0.2f})},
};

std::vector<float> eval(const std::string& expression) {
  return infer::EnsembleExpression::parse(expression).evaluate(kMembers).values;
}

void expect_near(const std::vector<float>& a, const std::vector<float>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_NEAR(a[i], b[i], 1e-6) << "at " << i;
}

TEST(Ensemble, ReductionsByHand) {
  expect_near(eval("mean(effnet0, effnet1)"), {0.3f, 0.7f, 0.6f, 0.2f});
  expect_near(eval("min(effnet0, effnet1)"), {0.2f, 0.5f, 0.4f, 0.1f});
  expect_near(eval("max(effnet*)"), {0.4f, 0.9f, 0.8f, 0.3f});
  // √(0.2·0.4) = 0.28284, √(0.9·0.5) = 0.67082, √(0.4·0.8) = 0.56569, √(0.1·0.3) = 0.17321
  expect_near(eval("gmean(effnet0, effnet1)"), {0.282843f, 0.670820f, 0.565685f, 0.173205f});
  expect_near(eval("wmean(effnet0:3, regnet0:1)"), {0.175f, 0.85f, 0.45f, 0.125f});
  // Column ranks scaled to [0,1] over 2 rows: the larger of two gets 1, the smaller 0.
  // effnet0: col0 (0.2 < 0.4) → 0, 1; col1 (0.9 > 0.1) → 1, 0. regnet0: col0 → 0, 1; col1 → 1, 0.
  expect_near(eval("rankmean(effnet0, regnet0)"), {0, 1, 1, 0});
}

TEST(Ensemble, NestedLikeBirdClef2024) {
  // mean(min(effnet0, effnet1), min(regnet0)) = mean({0.2,0.5,0.4,0.1}, {0.1,0.7,0.6,0.2})
  expect_near(eval("mean(min(effnet*), min(regnet*))"), {0.15f, 0.6f, 0.5f, 0.15f});
  EXPECT_EQ(infer::EnsembleExpression::parse(" mean( min(effnet*) ,regnet0 )").text(),
            "mean(min(effnet*), regnet0)");
}

TEST(Ensemble, MistakesAreNamed) {
  const auto error = [](const std::string& e) {
    try {
      eval(e);
    } catch (const Error& x) {
      return std::string(x.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(error("mean(effnet0, resnet*)"),
            "ensemble: no member matches 'resnet*' (members: effnet0, effnet1, regnet0)");
  EXPECT_EQ(error("median(effnet0)"),
            "ensemble 'median(effnet0)': unknown reduction 'median' (known: mean, min, max, gmean, "
            "rankmean, wmean)");
  EXPECT_EQ(error("mean(effnet0"), "ensemble 'mean(effnet0': expected ',' or ')' at character 13");
  EXPECT_EQ(error("wmean(effnet0, effnet1:1)"),
            "ensemble 'wmean(effnet0, effnet1:1)': expected ':' and a weight after each member of "
            "wmean at character 14");
  EXPECT_EQ(error("effnet*"),
            "ensemble 'effnet*' names 2 members but reduces none of them: wrap it in mean(…)");
}

}  // namespace
}  // namespace chorus
