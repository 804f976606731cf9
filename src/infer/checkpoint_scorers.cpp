#include "infer/checkpoint_scorers.hpp"

#include "core/error.hpp"
#include "models/inference_description.hpp"

namespace chorus::infer {

std::shared_ptr<CompiledScorer> compiled_scorer(const models::Checkpoint& checkpoint,
                                                graph::Precision precision) {
  CHORUS_CHECK_AS(ConfigError, precision != graph::Precision::int8 || !checkpoint.int8.empty(),
                  "{}: int8 needs a calibrated model; run chorus calibrate --model {} --data "
                  "<recordings like those it will score> first",
                  checkpoint.file, checkpoint.file);
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

std::shared_ptr<CompiledScorer> compiled_scorer(const std::filesystem::path& path,
                                                graph::Precision precision) {
  return compiled_scorer(models::Checkpoint::read(path), precision);
}

std::map<std::string, std::shared_ptr<WindowScorer>> compiled_members(
    const std::vector<std::string>& paths, graph::Precision precision) {
  std::map<std::string, int> stems;
  for (const std::string& path : paths) ++stems[std::filesystem::path(path).stem().string()];
  std::map<std::string, std::shared_ptr<WindowScorer>> members;
  for (const std::string& path : paths) {
    const std::filesystem::path p(path);
    // Every training run writes best.ckpt: a stem shared by several models is qualified by
    // each one's folder (fold0.best, fold1.best).
    const std::string stem = p.stem().string();
    const std::string name =
        stems[stem] > 1 ? p.parent_path().filename().string() + "." + stem : stem;
    CHORUS_CHECK_AS(ConfigError, !members.contains(name), "two models named '{}' ({})", name, path);
    members.emplace(name, compiled_scorer(p, precision));
  }
  return members;
}

}  // namespace chorus::infer
