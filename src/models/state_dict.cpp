#include "models/state_dict.hpp"

#include <fmt/ranges.h>
#include <torch/types.h>

#include "core/error.hpp"

namespace chorus::models {

TensorMap state_dict(const torch::nn::Module& module) {
  TensorMap tensors;
  for (const auto& item : module.named_parameters()) tensors.emplace(item.key(), item.value());
  for (const auto& item : module.named_buffers()) tensors.emplace(item.key(), item.value());
  return tensors;
}

std::string StateDictReport::describe() const {
  // A model of the wrong architecture misses hundreds of keys: the first few say enough.
  constexpr std::size_t kNamesShown = 4;
  std::string text;
  const auto section = [&](std::string_view title, const std::vector<std::string>& names) {
    if (names.empty()) return;
    if (!text.empty()) text += "; ";
    const std::size_t shown = std::min(names.size(), kNamesShown);
    text += fmt::format("{} {} key{}: {}", names.size(), title, names.size() == 1 ? "" : "s",
                        fmt::join(names.begin(), names.begin() + static_cast<long>(shown), ", "));
    if (names.size() > shown) text += fmt::format(" and {} more", names.size() - shown);
  };
  section("missing", missing);
  section("mis-shaped", mis_shaped);
  section("unexpected", unexpected);
  section("replaced (another class count; left freshly initialised)", replaced);
  return text;
}

StateDictReport compare_state_dict(const torch::nn::Module& module, const TensorMap& tensors) {
  return compare_state_dict(state_dict(module), tensors);
}

StateDictReport compare_state_dict(const TensorMap& own, const TensorMap& tensors) {
  StateDictReport report;
  for (const auto& [name, target] : own) {
    const auto found = tensors.find(name);
    if (found == tensors.end()) {
      report.missing.push_back(name);
    } else if (found->second.sizes() != target.sizes()) {
      report.mis_shaped.push_back(fmt::format("{}: file {} vs model {}", name,
                                              found->second.sizes().vec(), target.sizes().vec()));
    }
  }
  for (const auto& [name, tensor] : tensors)
    if (!own.contains(name)) report.unexpected.push_back(name);
  return report;
}

StateDictReport load_state_dict(torch::nn::Module& module, const TensorMap& tensors,
                                const std::string& source) {
  StateDictReport report = compare_state_dict(module, tensors);
  CHORUS_CHECK_AS(ModelError, report.fits(), "{}weights do not fit the model: {}",
                  source.empty() ? "" : source + ": ", report.describe());
  torch::NoGradGuard no_grad;
  for (auto& [name, target] : state_dict(module)) target.copy_(tensors.at(name));
  return report;
}

}  // namespace chorus::models
