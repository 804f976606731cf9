#include "cli/config_options.hpp"

#include <fmt/format.h>

namespace chorus::cli {

void add_config_options(CLI::App& command, core::ConfigSource& source, const std::string& sections,
                        const std::string& example) {
  command.add_option("--config", source.file, fmt::format("TOML configuration: {}", sections))
      ->check(CLI::ExistingFile);
  command.add_option("--set", source.overrides,
                     fmt::format("Override a key: --set {} (repeatable)", example));
}

}  // namespace chorus::cli
