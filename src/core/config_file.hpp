#pragma once
// Loading a TOML configuration file and `--set section.key=value` overrides into the config
// sections a command uses. Unknown sections and keys are errors, not silently ignored: a typo
// in a key must not train a model with the default instead.

#include <span>
#include <string>
#include <vector>

#include "core/config_fields.hpp"

namespace chorus::core {

// Applies every key of the TOML file at `path` to the matching section. Sections the command
// does not use are accepted (one file serves train and predict), unknown keys of a used
// section are errors naming the file, line and key.
void load_config_file(const std::string& path, std::span<ConfigFields* const> sections);

// The same for TOML text (a checkpoint's stored configuration); `source` names it in errors.
void load_config_text(const std::string& text, const std::string& source,
                      std::span<ConfigFields* const> sections);

// Applies overrides of the form "section.key=value" (the value in TOML or bare syntax).
void apply_overrides(const std::vector<std::string>& overrides,
                     std::span<ConfigFields* const> sections);

// The resolved configuration of all sections, as a TOML document.
std::string config_to_toml(std::span<ConfigFields* const> sections);

}  // namespace chorus::core
