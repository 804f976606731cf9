#include "train/optimizer.hpp"

#include <fmt/ranges.h>

#include <array>
#include <set>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace chorus::train {
namespace {

// LibTorch keys an optimizer's per-parameter state by the address of the parameter's
// TensorImpl (torch/csrc/api/src/optim/adamw.cpp).
std::string state_key(const torch::Tensor& parameter) {
  return c10::guts::to_string(parameter.unsafeGetTensorImpl());
}

constexpr std::array<std::string_view, 3> kSuffixes{".exp_avg", ".exp_avg_sq", ".step"};

// The model's parameters that the optimizer updates, by name.
std::vector<std::pair<std::string, torch::Tensor>> optimized_parameters(
    const torch::optim::AdamW& optimizer, const torch::nn::Module& model) {
  std::set<std::string> in_optimizer;
  for (const auto& group : optimizer.param_groups())
    for (const torch::Tensor& p : group.params()) in_optimizer.insert(state_key(p));
  std::vector<std::pair<std::string, torch::Tensor>> out;
  for (const auto& item : model.named_parameters())
    if (in_optimizer.contains(state_key(item.value()))) out.emplace_back(item.key(), item.value());
  CHORUS_CHECK_AS(ModelError, out.size() == in_optimizer.size(),
                  "optimizer state: the optimizer holds {} parameters, the model names {} of them",
                  in_optimizer.size(), out.size());
  return out;
}

}  // namespace

std::unique_ptr<torch::optim::AdamW> make_optimizer(torch::nn::Module& model,
                                                    const TrainConfig& c) {
  std::vector<torch::Tensor> no_decay, decay;
  for (const torch::Tensor& p : model.parameters()) {
    if (!p.requires_grad()) continue;
    (p.dim() < 2 ? no_decay : decay).push_back(p);
  }
  CHORUS_CHECK_AS(ModelError, !no_decay.empty() || !decay.empty(),
                  "optimizer: the model has no trainable parameters");
  const auto options = [&](double weight_decay) {
    return std::make_unique<torch::optim::AdamWOptions>(
        torch::optim::AdamWOptions(c.lr).weight_decay(weight_decay));
  };
  std::vector<torch::optim::OptimizerParamGroup> groups;
  if (!no_decay.empty()) groups.emplace_back(no_decay, options(0.0));
  if (!decay.empty()) groups.emplace_back(decay, options(c.weight_decay));
  return std::make_unique<torch::optim::AdamW>(
      std::move(groups), torch::optim::AdamWOptions(c.lr).weight_decay(c.weight_decay));
}

models::TensorMap optimizer_state(const torch::optim::AdamW& optimizer,
                                  const torch::nn::Module& model) {
  models::TensorMap out;
  const auto& states = optimizer.state();
  for (const auto& [name, parameter] : optimized_parameters(optimizer, model)) {
    const auto found = states.find(state_key(parameter));
    if (found == states.end()) continue;  // not stepped yet: nothing to resume
    const auto& s = static_cast<const torch::optim::AdamWParamState&>(*found->second);
    out.emplace(name + ".exp_avg", s.exp_avg().detach().clone());
    out.emplace(name + ".exp_avg_sq", s.exp_avg_sq().detach().clone());
    out.emplace(name + ".step", torch::full({1}, s.step(), torch::kInt64));
  }
  return out;
}

void load_optimizer_state(torch::optim::AdamW& optimizer, const torch::nn::Module& model,
                          const models::TensorMap& state) {
  std::vector<std::string> problems;
  std::set<std::string> used;
  std::vector<std::pair<torch::Tensor, std::unique_ptr<torch::optim::AdamWParamState>>> loaded;
  for (const auto& [name, parameter] : optimized_parameters(optimizer, model)) {
    std::array<const torch::Tensor*, 3> entries{};
    int present = 0;
    for (std::size_t i = 0; i < kSuffixes.size(); ++i) {
      const auto found = state.find(name + std::string(kSuffixes[i]));
      if (found == state.end()) continue;
      entries[i] = &found->second;
      used.insert(found->first);
      ++present;
    }
    if (present == 0) continue;  // this parameter had not been stepped
    if (present < 3) {
      problems.push_back(
          fmt::format("{}: incomplete (needs .exp_avg, .exp_avg_sq and .step)", name));
      continue;
    }
    const torch::Tensor &exp_avg = *entries[0], &exp_avg_sq = *entries[1], &step = *entries[2];
    if (exp_avg.sizes() != parameter.sizes() || exp_avg_sq.sizes() != parameter.sizes() ||
        step.numel() != 1) {
      problems.push_back(fmt::format("{}: moments {} / {} and step {} for a parameter {}", name,
                                     exp_avg.sizes().vec(), exp_avg_sq.sizes().vec(),
                                     step.sizes().vec(), parameter.sizes().vec()));
      continue;
    }
    auto s = std::make_unique<torch::optim::AdamWParamState>();
    s->step(step.to(torch::kInt64).item<std::int64_t>());
    s->exp_avg(exp_avg.to(parameter.options()).clone());
    s->exp_avg_sq(exp_avg_sq.to(parameter.options()).clone());
    loaded.emplace_back(parameter, std::move(s));
  }
  for (const auto& [key, tensor] : state)
    if (!used.contains(key))
      problems.push_back(fmt::format("{}: names no parameter the optimizer updates", key));
  CHORUS_CHECK_AS(ModelError, problems.empty(), "optimizer state does not fit the model: {}",
                  fmt::join(problems, "; "));
  auto& states = optimizer.state();
  states.clear();
  for (auto& [parameter, s] : loaded) states[state_key(parameter)] = std::move(s);
}

}  // namespace chorus::train
