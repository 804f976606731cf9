#include "train/train_log.hpp"

#include <fmt/format.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/atomic_file.hpp"
#include "core/error.hpp"

namespace chorus::train {
namespace {

// JSON has no NaN: an undefined metric is null.
nlohmann::json number(double value) {
  return std::isfinite(value) ? nlohmann::json(value) : nlohmann::json();
}
double number(const nlohmann::json& value) {
  return value.is_null() ? std::nan("") : value.get<double>();
}

nlohmann::json to_json(const ValidationMetrics& m) {
  return {{"roc_auc", number(m.roc_auc)}, {"cmap", number(m.cmap)},
          {"lwlrap", number(m.lwlrap)},   {"accuracy", number(m.accuracy)},
          {"recordings", m.recordings},   {"failed", m.failures.size()},
          {"seconds", m.seconds}};
}

ValidationMetrics metrics_from_json(const nlohmann::json& j) {
  ValidationMetrics m;
  m.roc_auc = number(j.at("roc_auc"));
  m.cmap = number(j.at("cmap"));
  m.lwlrap = number(j.at("lwlrap"));
  m.accuracy = number(j.at("accuracy"));
  m.recordings = j.at("recordings").get<std::size_t>();
  m.seconds = j.at("seconds").get<double>();
  return m;
}

nlohmann::json to_json(const EpochRecord& r) {
  nlohmann::json j = {{"epoch", r.epoch},
                      {"step", r.step},
                      {"lr", r.learning_rate},
                      {"train_loss", number(r.train_loss)},
                      {"seconds", r.seconds},
                      {"data_wait_seconds", r.data_wait_seconds},
                      {"samples_per_second", r.samples_per_second},
                      {"best", r.best}};
  if (r.validation) j["validation"] = to_json(*r.validation);
  if (r.validation_ema) j["validation_ema"] = to_json(*r.validation_ema);
  return j;
}

EpochRecord record_from_json(const nlohmann::json& j) {
  EpochRecord r;
  r.epoch = j.at("epoch").get<int>();
  r.step = j.at("step").get<std::int64_t>();
  r.learning_rate = j.at("lr").get<double>();
  r.train_loss = number(j.at("train_loss"));
  r.seconds = j.at("seconds").get<double>();
  r.data_wait_seconds = j.at("data_wait_seconds").get<double>();
  r.samples_per_second = j.at("samples_per_second").get<double>();
  r.best = j.at("best").get<bool>();
  if (j.contains("validation")) r.validation = metrics_from_json(j["validation"]);
  if (j.contains("validation_ema")) r.validation_ema = metrics_from_json(j["validation_ema"]);
  return r;
}

std::string describe(const ValidationMetrics& m) {
  // Padded cmAP says so: its padding rows lift it far above ROC-AUC on a model that knows
  // nothing (0.87 against 0.50), so a bare "cmap" misleads.
  return fmt::format("roc_auc {:.4f} padded_cmap {:.4f} lwlrap {:.4f} accuracy {:.4f}", m.roc_auc,
                     m.cmap, m.lwlrap, m.accuracy);
}

}  // namespace

std::string describe(const EpochRecord& r, int epochs) {
  std::string line = fmt::format("epoch {}/{} loss {:.4f}", r.epoch, epochs, r.train_loss);
  if (r.validation) line += " | val " + describe(*r.validation);
  if (r.validation_ema) line += " | ema " + describe(*r.validation_ema);
  line += fmt::format(" | {:.1f} s, {:.1f} samples/s, data wait {:.1f} s", r.seconds,
                      r.samples_per_second, r.data_wait_seconds);
  if (r.best) line += " *";
  return line;
}

TrainLog::TrainLog(std::filesystem::path path, bool resume, int keep_epochs)
    : path_(std::move(path)) {
  if (!resume || !std::filesystem::exists(path_)) return;
  std::ifstream in(path_);
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.empty()) continue;
    try {
      EpochRecord r = record_from_json(nlohmann::json::parse(line));
      if (r.epoch <= keep_epochs) records_.push_back(std::move(r));
    } catch (const nlohmann::json::exception& e) {
      throw FormatError(
          fmt::format("{}:{}: not a training log line ({})", path_.string(), number, e.what()));
    }
  }
}

void TrainLog::append(const EpochRecord& record) {
  records_.push_back(record);
  write();
}

void TrainLog::write() const {
  std::string text;
  for (const EpochRecord& r : records_) text += to_json(r).dump() + "\n";
  core::write_file_atomically(path_, text);
}

}  // namespace chorus::train
