#pragma once
// Checkpoints as the Predictor's members (`chorus predict`, `chorus pseudo`): each compiled for
// inference (graph::CompiledModel, through infer::CompiledScorer) from the description it stores
// (models/checkpoint.hpp) on its own weights, without building its LibTorch network; a
// checkpoint written before chorus stored one is described from its network on the spot.

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "graph/precision.hpp"
#include "infer/compiled_scorer.hpp"
#include "models/checkpoint.hpp"

namespace chorus::infer {

// A ConfigError for int8 on a checkpoint without a calibration.
std::shared_ptr<CompiledScorer> compiled_scorer(const models::Checkpoint& checkpoint,
                                                graph::Precision precision);
std::shared_ptr<CompiledScorer> compiled_scorer(const std::filesystem::path& path,
                                                graph::Precision precision);

// Checkpoints as a Predictor's members, each named by its file stem (the names --ensemble
// uses), or "<folder>.<stem>" where several share a stem (run_a/best.ckpt, run_b/best.ckpt:
// run_a.best, run_b.best); two with one name even so are a ConfigError.
std::map<std::string, std::shared_ptr<WindowScorer>> compiled_members(
    const std::vector<std::string>& paths, graph::Precision precision);

}  // namespace chorus::infer
