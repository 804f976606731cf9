#include "infer/checkpoint_scorers.hpp"

#include "core/error.hpp"
#include "models/inference_description.hpp"

namespace chorus::infer {

std::shared_ptr<CompiledScorer> compiled_scorer(const models::Checkpoint& checkpoint,
                                                graph::Precision precision) {
  CompiledScorer::check_precision(precision, checkpoint.int8, checkpoint.file);
  std::shared_ptr<models::NetworkTensors> tensors;
  graph::NetworkDescription description;
  if (checkpoint.inference) {
    tensors = std::make_shared<models::NetworkTensors>(checkpoint.weights, checkpoint.file);
    description = *checkpoint.inference;
  } else {
    const std::shared_ptr<models::NetworkImpl> network = checkpoint.instantiate();
    tensors = std::make_shared<models::NetworkTensors>(network);
    description = models::describe_for_inference(*network, *tensors);
  }
  auto model = std::make_shared<graph::CompiledModel>(std::move(description), std::move(tensors), 1,
                                                      precision, checkpoint.int8);
  return std::make_shared<CompiledScorer>(
      std::move(model),
      CompiledScorer::Metadata{checkpoint.file, checkpoint.audio, checkpoint.features,
                               checkpoint.classes, checkpoint.names});
}

std::shared_ptr<WindowScorer> described_scorer(const std::filesystem::path& path,
                                               graph::Precision precision) {
  return compiled_scorer(models::Checkpoint::read(path), precision);
}

}  // namespace chorus::infer
