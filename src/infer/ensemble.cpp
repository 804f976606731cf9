#include "infer/ensemble.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <numeric>

#include "core/error.hpp"

namespace chorus::infer {

struct EnsembleExpression::Node {
  std::string name;                                   // a reduction, or a leaf's member name
  std::vector<std::shared_ptr<const Node>> children;  // empty for a leaf
  std::vector<double> weights;                        // wmean only
  bool leaf() const { return children.empty(); }
};

namespace {

using Node = EnsembleExpression::Node;
const char* const kReductions[] = {"mean", "min", "max", "gmean", "rankmean", "wmean"};

class Parser {
 public:
  explicit Parser(const std::string& text) : text_(text) {}

  std::shared_ptr<const Node> expression() {
    auto node = std::make_shared<Node>();
    node->name = identifier();
    skip_space();
    if (!accept('(')) return node;
    CHORUS_CHECK_AS(
        ConfigError,
        std::find(std::begin(kReductions), std::end(kReductions), node->name) !=
            std::end(kReductions),
        "ensemble '{}': unknown reduction '{}' (known: mean, min, max, gmean, rankmean, wmean)",
        text_, node->name);
    do {
      node->children.push_back(expression());
      if (node->name == "wmean") {
        skip_space();
        fail_unless(accept(':'), "expected ':' and a weight after each member of wmean");
        node->weights.push_back(number());
      }
      skip_space();
    } while (accept(','));
    fail_unless(accept(')'), "expected ',' or ')'");
    return node;
  }

  void finish() {
    skip_space();
    fail_unless(pos_ == text_.size(), "unexpected text");
  }

 private:
  void skip_space() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }
  bool accept(char c) {
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  void fail_unless(bool ok, const char* what) {
    CHORUS_CHECK_AS(ConfigError, ok, "ensemble '{}': {} at character {}", text_, what, pos_ + 1);
  }
  std::string identifier() {
    skip_space();
    const std::size_t start = pos_;
    while (pos_ < text_.size() &&
           (std::isalnum(static_cast<unsigned char>(text_[pos_])) ||
            std::string_view("_-.*").find(text_[pos_]) != std::string_view::npos))
      ++pos_;
    fail_unless(pos_ > start, "expected a member or reduction name");
    return text_.substr(start, pos_ - start);
  }
  double number() {
    skip_space();
    std::size_t used = 0;
    double value = 0;
    try {
      value = std::stod(text_.substr(pos_), &used);
    } catch (const std::exception&) {
      used = 0;
    }
    fail_unless(used > 0 && value >= 0, "expected a non-negative weight");
    pos_ += used;
    return value;
  }

  const std::string& text_;
  std::size_t pos_ = 0;
};

// Per-column ranks scaled to [0, 1] (ties share their average rank), so models whose scores
// live on different scales weigh the same.
ScoreMatrix column_ranks(const ScoreMatrix& m) {
  ScoreMatrix out(m.rows, m.cols);
  std::vector<std::size_t> order(m.rows);
  for (std::size_t c = 0; c < m.cols; ++c) {
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return m.at(a, c) < m.at(b, c); });
    for (std::size_t i = 0; i < m.rows;) {
      std::size_t j = i;
      while (j + 1 < m.rows && m.at(order[j + 1], c) == m.at(order[i], c)) ++j;
      const double rank =
          m.rows > 1 ? 0.5 * static_cast<double>(i + j) / static_cast<double>(m.rows - 1) : 0.5;
      for (std::size_t k = i; k <= j; ++k) out.at(order[k], c) = static_cast<float>(rank);
      i = j + 1;
    }
  }
  return out;
}

ScoreMatrix reduce(const Node& node, const std::vector<ScoreMatrix>& parts) {
  const ScoreMatrix& first = parts.front();
  for (const ScoreMatrix& p : parts)
    CHORUS_CHECK(p.rows == first.rows && p.cols == first.cols,
                 "ensemble {}(…): members have different shapes ({}×{} and {}×{})", node.name,
                 first.rows, first.cols, p.rows, p.cols);
  ScoreMatrix out(first.rows, first.cols);
  const std::size_t n = parts.size();
  double weight_sum = 0;
  for (double w : node.weights) weight_sum += w;
  CHORUS_CHECK_AS(ConfigError, node.name != "wmean" || weight_sum > 0,
                  "ensemble wmean(…): the weights sum to 0");
  std::vector<ScoreMatrix> ranked;
  if (node.name == "rankmean")
    for (const ScoreMatrix& p : parts) ranked.push_back(column_ranks(p));
  for (std::size_t i = 0; i < out.values.size(); ++i) {
    double acc = node.name == "min" ? INFINITY : node.name == "max" ? -INFINITY : 0.0;
    for (std::size_t k = 0; k < n; ++k) {
      const double v = parts[k].values[i];
      if (node.name == "mean")
        acc += v / n;
      else if (node.name == "min")
        acc = std::min(acc, v);
      else if (node.name == "max")
        acc = std::max(acc, v);
      else if (node.name == "gmean")
        acc += std::log(std::max(v, 1e-12)) / n;
      else if (node.name == "rankmean")
        acc += ranked[k].values[i] / n;
      else
        acc += node.weights[k] * v / weight_sum;  // wmean
    }
    out.values[i] = static_cast<float>(node.name == "gmean" ? std::exp(acc) : acc);
  }
  return out;
}

std::vector<ScoreMatrix> evaluate_node(const Node& node,
                                       const std::map<std::string, ScoreMatrix>& members);

// A leaf: one member, or with a trailing '*' every member with that prefix (in name order).
std::vector<ScoreMatrix> leaf_members(const Node& leaf,
                                      const std::map<std::string, ScoreMatrix>& members) {
  std::vector<ScoreMatrix> out;
  if (!leaf.name.empty() && leaf.name.back() == '*') {
    const std::string prefix = leaf.name.substr(0, leaf.name.size() - 1);
    for (const auto& [name, scores] : members)
      if (name.starts_with(prefix)) out.push_back(scores);
  } else if (const auto it = members.find(leaf.name); it != members.end()) {
    out.push_back(it->second);
  }
  std::vector<std::string> names;
  for (const auto& [name, scores] : members) names.push_back(name);
  CHORUS_CHECK_AS(ConfigError, !out.empty(), "ensemble: no member matches '{}' (members: {})",
                  leaf.name, fmt::join(names, ", "));
  return out;
}

std::vector<ScoreMatrix> evaluate_node(const Node& node,
                                       const std::map<std::string, ScoreMatrix>& members) {
  if (node.leaf()) return leaf_members(node, members);
  std::vector<ScoreMatrix> parts;
  for (const auto& child : node.children) {
    auto values = evaluate_node(*child, members);
    parts.insert(parts.end(), std::make_move_iterator(values.begin()),
                 std::make_move_iterator(values.end()));
  }
  CHORUS_CHECK_AS(
      ConfigError, node.name != "wmean" || parts.size() == node.weights.size(),
      "ensemble wmean(…): each weight must name one member (a '*' leaf matched several)");
  return {reduce(node, parts)};
}

std::string node_text(const Node& node) {
  if (node.leaf()) return node.name;
  std::vector<std::string> parts;
  for (std::size_t i = 0; i < node.children.size(); ++i)
    parts.push_back(node.weights.empty()
                        ? node_text(*node.children[i])
                        : fmt::format("{}:{}", node_text(*node.children[i]), node.weights[i]));
  return fmt::format("{}({})", node.name, fmt::join(parts, ", "));
}

}  // namespace

EnsembleExpression EnsembleExpression::parse(const std::string& text) {
  Parser parser(text);
  EnsembleExpression e;
  e.root_ = parser.expression();
  parser.finish();
  return e;
}

ScoreMatrix EnsembleExpression::evaluate(const std::map<std::string, ScoreMatrix>& members) const {
  std::vector<ScoreMatrix> result = evaluate_node(*root_, members);
  CHORUS_CHECK_AS(ConfigError, result.size() == 1,
                  "ensemble '{}' names {} members but reduces none of them: wrap it in mean(…)",
                  text(), result.size());
  return std::move(result.front());
}

std::string EnsembleExpression::text() const { return node_text(*root_); }

}  // namespace chorus::infer
