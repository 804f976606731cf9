#include "infer/run_manifest.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "core/atomic_file.hpp"
#include "core/content_hash.hpp"
#include "core/error.hpp"
#include "core/version.hpp"
#include "infer/infer_config.hpp"
#include "infer/postprocess.hpp"

namespace chorus::infer {
namespace {

// Settings that only choose what the outputs show, rebuilt from the saved scores on every run.
const std::set<std::string, std::less<>> kOutputOnly = {
    "postprocess.threshold", "postprocess.top_k", "postprocess.merge_consecutive",
    "postprocess.species", "postprocess.taxonomy",
    // How many windows go through the network at once changes the speed, not the scores.
    "infer.batch_size"};

template <typename Config>
void add_section(Config& config, std::map<std::string, std::string>& scoring) {
  core::ConfigFields fields{std::string(Config::kSection)};
  config.register_fields(fields);
  for (const core::ConfigField& field : fields.fields()) {
    const std::string key = fmt::format("{}.{}", fields.section(), field.key);
    if (!kOutputOnly.contains(key)) scoring[key] = core::field_value_text(field);
  }
}

// Every scoring setting of a default configuration. A key that an earlier chorus did not record
// stands for its default: keys are added with the default that keeps the earlier behaviour
// (infer.precision = fp32 is what chorus did before it had the key).
const std::map<std::string, std::string>& default_scoring() {
  static const std::map<std::string, std::string> defaults = [] {
    std::map<std::string, std::string> scoring;
    InferConfig infer;
    PostprocessConfig postprocess;
    add_section(infer, scoring);
    add_section(postprocess, scoring);
    return scoring;
  }();
  return defaults;
}

std::string model_list(const std::vector<RunManifest::Model>& models) {
  std::vector<std::string> names;
  for (const auto& m : models) names.push_back(fmt::format("{} ({})", m.path, m.hash.substr(0, 8)));
  return names.empty() ? "none" : fmt::format("{}", fmt::join(names, ", "));
}

}  // namespace

RunManifest describe_run(const std::vector<std::string>& models, const std::string& ensemble,
                         const InferConfig& infer, const PostprocessConfig& postprocess) {
  RunManifest m;
  m.chorus_version = kVersion;
  for (const std::string& path : models) m.models.push_back({path, core::hash_file(path)});
  m.ensemble = ensemble;
  InferConfig i = infer;
  PostprocessConfig p = postprocess;
  add_section(i, m.scoring);
  add_section(p, m.scoring);
  if (!postprocess.priors.empty())
    m.scoring["postprocess.priors content"] = core::hash_file(postprocess.priors);
  std::string text;
  for (const auto& [key, value] : m.scoring) text += key + "=" + value + "\n";
  m.scoring_hash = core::hash_text(text);
  return m;
}

void write_manifest(const std::filesystem::path& path, const RunManifest& m) {
  nlohmann::json j;
  j["chorus_version"] = m.chorus_version;
  j["models"] = nlohmann::json::array();
  for (const auto& model : m.models)
    j["models"].push_back({{"path", model.path}, {"hash", model.hash}});
  j["ensemble"] = m.ensemble;
  j["scoring"] = m.scoring;
  j["scoring_hash"] = m.scoring_hash;
  core::write_file_atomically(path, j.dump(2) + "\n");
}

RunManifest read_manifest(const std::filesystem::path& path) {
  std::ifstream in(path);
  CHORUS_CHECK_AS(IoError, in.good(), "{}: cannot open", path.string());
  RunManifest m;
  try {
    const nlohmann::json j = nlohmann::json::parse(in);
    m.chorus_version = j.at("chorus_version");
    for (const auto& model : j.at("models"))
      m.models.push_back({model.at("path"), model.at("hash")});
    m.ensemble = j.at("ensemble");
    m.scoring = j.at("scoring").get<std::map<std::string, std::string>>();
    m.scoring_hash = j.at("scoring_hash");
  } catch (const nlohmann::json::exception& e) {
    throw FormatError(fmt::format("{}: not a chorus run manifest ({})", path.string(), e.what()));
  }
  return m;
}

std::vector<std::string> manifest_differences(const RunManifest& before, const RunManifest& now) {
  std::vector<std::string> lines;
  // The same checkpoints, whatever their order or where they were copied to.
  const auto hashes = [](const RunManifest& m) {
    std::multiset<std::string> h;
    for (const auto& model : m.models) h.insert(model.hash);
    return h;
  };
  if (hashes(before) != hashes(now))
    lines.push_back(fmt::format("models: {} before, {} now", model_list(before.models),
                                model_list(now.models)));
  if (before.ensemble != now.ensemble)
    lines.push_back(
        fmt::format("ensemble: \"{}\" before, \"{}\" now", before.ensemble, now.ensemble));
  std::set<std::string> keys;
  for (const auto& [key, value] : before.scoring) keys.insert(key);
  for (const auto& [key, value] : now.scoring) keys.insert(key);
  for (const std::string& key : keys) {
    const auto a = before.scoring.find(key), b = now.scoring.find(key);
    const auto earlier_default = default_scoring().find(key);
    const std::string was = a != before.scoring.end()                    ? a->second
                            : earlier_default != default_scoring().end() ? earlier_default->second
                                                                         : "(unset)";
    const std::string is = b == now.scoring.end() ? "(unset)" : b->second;
    if (was != is) lines.push_back(fmt::format("{}: {} before, {} now", key, was, is));
  }
  return lines;
}

}  // namespace chorus::infer
