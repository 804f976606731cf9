#include "core/config_file.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <fstream>
#include <span>
#include <sstream>

#include "core/error.hpp"

namespace chorus::core {
namespace {

// Sections every chorus command knows of; a section outside this list is a typo.
constexpr std::string_view kKnownSections[] = {"audio",  "features", "data",   "model",
                                               "train",  "augment",  "infer",  "postprocess",
                                               "pseudo", "ensemble", "metrics"};

ConfigFields* find_section(std::span<ConfigFields* const> sections, std::string_view name) {
  for (ConfigFields* s : sections)
    if (s->section() == name) return s;
  return nullptr;
}

std::string node_text(const toml::node& node) {
  if (auto s = node.as_string()) return s->get();
  if (auto b = node.as_boolean()) return b->get() ? "true" : "false";
  if (auto i = node.as_integer()) return std::to_string(i->get());
  if (auto f = node.as_floating_point()) return fmt::format("{}", f->get());
  return {};
}

void load_config_text(const std::string& text, const std::string& path,
                      std::span<ConfigFields* const> sections) {
  toml::table root;
  try {
    root = toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    const auto& where = e.source().begin;
    throw ConfigError(
        fmt::format("{}:{}:{}: invalid TOML: {}", path, where.line, where.column, e.description()));
  }
  for (auto&& [section_key, section_node] : root) {
    const std::string section_name(section_key.str());
    const auto line = section_node.source().begin.line;
    CHORUS_CHECK_AS(ConfigError,
                    std::find(std::begin(kKnownSections), std::end(kKnownSections), section_name) !=
                        std::end(kKnownSections),
                    "{}:{}: unknown section [{}]", path, line, section_name);
    const toml::table* table = section_node.as_table();
    CHORUS_CHECK_AS(ConfigError, table != nullptr, "{}:{}: '{}' must be a [section]", path, line,
                    section_name);
    ConfigFields* section = find_section(sections, section_name);
    if (section == nullptr) continue;  // a section for another command
    for (auto&& [key, value] : *table) {
      const std::string origin = fmt::format("{}:{}", path, value.source().begin.line);
      const std::string text = node_text(value);
      CHORUS_CHECK_AS(ConfigError, !text.empty() || value.is_string(),
                      "{}: {}.{} must be a number, boolean or string", origin, section_name,
                      key.str());
      section->set(key.str(), text, origin);
    }
  }
}

void load_config_file(const std::string& path, std::span<ConfigFields* const> sections) {
  std::ifstream in(path, std::ios::binary);
  CHORUS_CHECK_AS(IoError, in.good(), "{}: cannot open", path);
  std::stringstream text;
  text << in.rdbuf();
  load_config_text(text.str(), path, sections);
}

void apply_overrides(const std::vector<std::string>& overrides,
                     std::span<ConfigFields* const> sections) {
  for (const std::string& item : overrides) {
    const auto eq = item.find('=');
    const auto dot = item.find('.');
    CHORUS_CHECK_AS(ConfigError, eq != std::string::npos && dot != std::string::npos && dot < eq,
                    "--set '{}': expected section.key=value", item);
    const std::string section_name = item.substr(0, dot);
    const std::string key = item.substr(dot + 1, eq - dot - 1);
    ConfigFields* section = find_section(sections, section_name);
    CHORUS_CHECK_AS(ConfigError, section != nullptr, "--set '{}': this command has no section [{}]",
                    item, section_name);
    section->set(key, std::string_view(item).substr(eq + 1), "--set");
  }
}

}  // namespace

std::vector<ConfigFields*> ConfigSections::list() const {
  std::vector<ConfigFields*> out;
  for (const auto& s : sections_) out.push_back(s.get());
  return out;
}

void ConfigSections::load(const ConfigSource& source) const {
  if (!source.file.empty()) load_config_file(source.file, list());
  apply_overrides(source.overrides, list());
}

void ConfigSections::load_text(const std::string& text, const std::string& origin) const {
  load_config_text(text, origin, list());
}

std::string ConfigSections::to_toml() const {
  std::string out;
  for (const auto& s : sections_) out += (out.empty() ? "" : "\n") + s->to_toml();
  return out;
}

ConfigSource ConfigSource::restricted_to(std::span<const std::string_view> sections) const {
  ConfigSource kept{file, {}};
  for (const std::string& o : overrides)
    for (std::string_view section : sections)
      if (o.size() > section.size() && o.starts_with(section) && o[section.size()] == '.')
        kept.overrides.push_back(o);
  return kept;
}

}  // namespace chorus::core
