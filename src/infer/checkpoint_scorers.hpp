#pragma once
// Checkpoints compiled for inference in chorus-torch (graph::CompiledModel, through
// infer::CompiledScorer): `chorus predict` and `chorus pseudo` read a checkpoint that stores its
// description without LibTorch (CompiledScorer::from_file, ::members); these take one read by
// models::Checkpoint (`pseudo --oof`, which needs its held-out fold, and checkpoints written
// before chorus stored the description, which are described from their network).

#include <filesystem>
#include <memory>

#include "graph/precision.hpp"
#include "infer/compiled_scorer.hpp"
#include "models/checkpoint.hpp"

namespace chorus::infer {

// A checkpoint read by LibTorch (its weights as tensors), compiled in `precision` from the
// description it stores or, where it stores none, from its network described now. A ConfigError
// for int8 without a calibration.
std::shared_ptr<CompiledScorer> compiled_scorer(const models::Checkpoint& checkpoint,
                                                graph::Precision precision);
// What CompiledScorer::members falls back on in chorus-torch: the checkpoint at `path` read by
// LibTorch (one written before chorus stored its description).
std::shared_ptr<WindowScorer> described_scorer(const std::filesystem::path& path,
                                               graph::Precision precision);

}  // namespace chorus::infer
