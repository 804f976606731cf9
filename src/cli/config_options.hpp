#pragma once
// --config FILE and --set section.key=value, added the same way to every command that reads a
// configuration; core::ConfigSections loads what they name.

#include <CLI/CLI.hpp>
#include <string>

#include "core/config_file.hpp"

namespace chorus::cli {

// `sections` names what the file may set ("[infer] and [postprocess]"); `example` is one
// override ("postprocess.threshold=0.3").
void add_config_options(CLI::App& command, core::ConfigSource& source, const std::string& sections,
                        const std::string& example);

}  // namespace chorus::cli
