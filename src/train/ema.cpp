#include "train/ema.hpp"

#include "core/error.hpp"
#include "models/state_dict.hpp"

namespace chorus::train {
namespace {

// A ModelError unless `tensors` are exactly the average's names and shapes.
void check_fits(const models::TensorMap& average, const models::TensorMap& tensors,
                std::string_view what) {
  const models::StateDictReport report = models::compare_state_dict(average, tensors);
  CHORUS_CHECK_AS(ModelError, report.fits() && report.unexpected.empty(),
                  "weight EMA: {} does not fit the average: {}", what, report.describe());
}

}  // namespace

ModelEma::ModelEma(const torch::nn::Module& model, double decay) : decay_(decay) {
  CHORUS_CHECK_AS(ConfigError, decay >= 0 && decay < 1,
                  "weight EMA decay {}: expected 0 ≤ decay < 1", decay);
  for (const auto& [name, tensor] : models::state_dict(model))
    average_.emplace(name, tensor.detach().clone());
}

void ModelEma::update(const torch::nn::Module& model) {
  const models::TensorMap current = models::state_dict(model);
  check_fits(average_, current, "the model");
  torch::NoGradGuard no_grad;
  for (const auto& [name, value] : current) {
    torch::Tensor& average = average_.at(name);
    if (average.is_floating_point())
      average.mul_(decay_).add_(value, 1.0 - decay_);
    else
      average.copy_(value);
  }
}

void ModelEma::copy_to(torch::nn::Module& model) const {
  const models::TensorMap target = models::state_dict(model);
  check_fits(average_, target, "the model");
  torch::NoGradGuard no_grad;
  for (const auto& [name, tensor] : target) tensor.copy_(average_.at(name));
}

models::TensorMap ModelEma::state() const {
  models::TensorMap out;
  for (const auto& [name, tensor] : average_) out.emplace(name, tensor.clone());
  return out;
}

void ModelEma::load_state(const models::TensorMap& state) {
  check_fits(average_, state, "the stored state");
  torch::NoGradGuard no_grad;
  for (auto& [name, tensor] : average_) tensor.copy_(state.at(name));
}

}  // namespace chorus::train
