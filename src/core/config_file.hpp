#pragma once
// The one way every command loads its configuration: the config sections it reads, bound to its
// config structs, filled from a TOML file and then `--set section.key=value` overrides (or from
// a checkpoint's stored TOML), and printed back as TOML. Unknown sections and keys are errors,
// not silently ignored: a typo in a key must not train a model with the default instead.

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/config_fields.hpp"

namespace chorus::core {

// Where a command's configuration comes from: --config FILE and --set overrides.
struct ConfigSource {
  std::string file;                    // empty: defaults
  std::vector<std::string> overrides;  // "section.key=value", the value in TOML or bare syntax

  // The same file with only the overrides of `sections`: what a command that reads those
  // sections takes from a recipe whose --set also addresses others (a --set for a section a
  // command does not read is an error there).
  ConfigSource restricted_to(std::span<const std::string_view> sections) const;
};

class ConfigSections {
 public:
  ConfigSections() = default;
  ConfigSections(const ConfigSections&) = delete;  // the sections point into the structs
  ConfigSections& operator=(const ConfigSections&) = delete;

  // Adds `config`'s section (Config::kSection) bound to its members; `config` must outlive this.
  template <typename Config>
  ConfigSections& bind(Config& config) {
    sections_.push_back(std::make_unique<ConfigFields>(std::string(Config::kSection)));
    config.register_fields(*sections_.back());
    return *this;
  }

  // The file's keys, then the overrides. Sections of the file this command does not read are
  // accepted (one file serves train and predict); unknown keys of a section it reads are errors
  // naming the file, line and key. An override of a section it does not read is an error.
  void load(const ConfigSource& source) const;
  // The same for TOML text (a checkpoint's stored configuration); `origin` names it in errors.
  void load_text(const std::string& text, const std::string& origin) const;
  // Every bound section as a TOML document.
  std::string to_toml() const;
  std::vector<ConfigFields*> list() const;

 private:
  std::vector<std::unique_ptr<ConfigFields>> sections_;
};

}  // namespace chorus::core
