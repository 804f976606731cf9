#include "train/training_state.hpp"

#include <cmath>
#include <nlohmann/json.hpp>

#include "core/error.hpp"

namespace chorus::train {
namespace {

constexpr const char* kMetadataKey = "chorus_training_state";
constexpr int kFormat = 1;

void put(models::TensorMap& all, const std::string& prefix, const models::TensorMap& part) {
  for (const auto& [name, tensor] : part) all.emplace(prefix + name, tensor);
}

models::TensorMap take(const models::TensorMap& all, const std::string& prefix) {
  models::TensorMap part;
  for (const auto& [name, tensor] : all)
    if (name.starts_with(prefix)) part.emplace(name.substr(prefix.size()), tensor);
  return part;
}

}  // namespace

void TrainingState::write(const std::filesystem::path& path) const {
  models::TensorMap all;
  put(all, "model.", model);
  put(all, "optimizer.", optimizer);
  put(all, "ema.", ema);
  const nlohmann::json meta = {
      {"format", kFormat},
      {"epochs_done", epochs_done},
      {"step", step},
      {"best_score", std::isnan(best_score) ? nlohmann::json() : nlohmann::json(best_score)},
      {"best_epoch", best_epoch},
      {"config", config}};
  models::write_safetensors(path, all, {{kMetadataKey, meta.dump()}});
}

TrainingState TrainingState::read(const std::filesystem::path& path) {
  models::SafetensorsFile file = models::read_safetensors(path);
  const auto it = file.metadata.find(kMetadataKey);
  CHORUS_CHECK_AS(FormatError, it != file.metadata.end(), "{}: not a chorus training state",
                  path.string());
  TrainingState s;
  try {
    const nlohmann::json meta = nlohmann::json::parse(it->second);
    CHORUS_CHECK_AS(FormatError, meta.at("format").get<int>() == kFormat,
                    "{}: training state format {} (this chorus reads {})", path.string(),
                    meta.at("format").get<int>(), kFormat);
    s.epochs_done = meta.at("epochs_done").get<int>();
    s.step = meta.at("step").get<std::int64_t>();
    const auto& best = meta.at("best_score");
    s.best_score = best.is_null() ? std::nan("") : best.get<double>();
    s.best_epoch = meta.at("best_epoch").get<int>();
    s.config = meta.at("config").get<std::string>();
  } catch (const nlohmann::json::exception& e) {
    throw FormatError(
        fmt::format("{}: damaged training state metadata ({})", path.string(), e.what()));
  }
  s.model = take(file.tensors, "model.");
  s.optimizer = take(file.tensors, "optimizer.");
  s.ema = take(file.tensors, "ema.");
  return s;
}

}  // namespace chorus::train
