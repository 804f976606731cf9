#include "cli/pipeline_options.hpp"

#include "core/config_file.hpp"
#include "core/parallel.hpp"

namespace chorus::cli {

PipelineOptions::PipelineOptions() {
  audio.register_fields(audio_fields_);
  features.register_fields(feature_fields_);
}

void PipelineOptions::add_to(CLI::App& command) {
  command.add_option("--threads", threads, "Worker threads (0 = all cores)")->capture_default_str();
  command.add_option("--config", config_file, "TOML configuration file")->check(CLI::ExistingFile);
  command.add_option("--set", overrides, "Override a key: --set features.n_mels=64 (repeatable)");
}

void PipelineOptions::resolve(std::span<core::ConfigFields* const> extra) {
  std::vector<core::ConfigFields*> all{&audio_fields_, &feature_fields_};
  all.insert(all.end(), extra.begin(), extra.end());
  if (!config_file.empty()) core::load_config_file(config_file, all);
  core::apply_overrides(overrides, all);
  audio.validate();
  features.validate(audio.sample_rate);
  threads = core::resolve_threads(threads);
}

}  // namespace chorus::cli
