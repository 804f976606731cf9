#include "cli/pipeline_options.hpp"

#include "cli/config_options.hpp"
#include "cli/threads_option.hpp"
#include "core/parallel.hpp"

namespace chorus::cli {

void PipelineOptions::add_to(CLI::App& command) {
  add_threads_option(command, threads, "Worker threads (0 = all cores)");
  add_config_options(command, config, "[audio] [features]", "features.n_mels=64");
}

void PipelineOptions::resolve(core::ConfigSections& sections) {
  sections.bind(audio).bind(features);
  sections.load(config);
  audio.validate();
  features.validate(audio.sample_rate);
  threads = core::resolve_threads(threads);
}

}  // namespace chorus::cli
