#pragma once
// What made a prediction run's scores, kept as <out>/run.json: the chorus version, each model's
// file and content hash, the ensemble expression, and every [infer] and [postprocess] setting
// that changes a score (not the output choices: threshold, top_k, merge_consecutive, species,
// which a resumed run may change because the outputs are rebuilt from the saved scores).
// `chorus predict --resume` compares the manifest of the run it continues with its own and
// refuses one that differs, naming what differs: a part scored by another model must not be
// mixed into the submission.

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "core/config_file.hpp"

namespace chorus::infer {

struct InferConfig;
struct PostprocessConfig;

struct RunManifest {
  struct Model {
    std::string path;  // as given
    std::string hash;  // of the file's bytes (core::hash_file)
  };
  std::string chorus_version;
  std::vector<Model> models;
  std::string ensemble;
  std::map<std::string, std::string> scoring;  // "infer.chunk_seconds" → "5.0"
  std::string scoring_hash;                    // of `scoring`, one line for records
};

// The manifest of a run with these checkpoints and settings (hashes each checkpoint; a priors
// file is recorded by its content too).
RunManifest describe_run(const std::vector<std::string>& models, const std::string& ensemble,
                         const InferConfig& infer, const PostprocessConfig& postprocess);

void write_manifest(const std::filesystem::path& path, const RunManifest& manifest);
// FormatError naming the file for one that is not a manifest.
RunManifest read_manifest(const std::filesystem::path& path);

// What differs between the manifest a run was made with and the one it is continued with, one
// line each ("infer.chunk_seconds: 5.0 before, 3.0 now"); empty when they would score alike. The
// chorus version is not compared: a newer chorus scores alike; a setting an earlier chorus did not
// record is compared as its default.
std::vector<std::string> manifest_differences(const RunManifest& before, const RunManifest& now);

}  // namespace chorus::infer
