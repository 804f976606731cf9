// chorus config: the default configuration as a commented TOML file to start from, or
// (--markdown) the reference table that docs/config.md holds. Both come from the same field
// registry the commands load, so the documentation cannot drift from the code.

#include <fmt/format.h>

#include <memory>

#include "cli/commands.hpp"
#include "cli/network_commands.hpp"
#include "core/config_fields.hpp"
#include "train/experiment_config.hpp"

namespace chorus::cli {
namespace {

// What a field takes, from its declaration: "integer 1..64", "float > 0 s", "float (dB)",
// "boolean", "linear | gem | sed".
std::string values_text(const core::ConfigField& field, std::string_view separator) {
  if (!field.choices.empty()) return fmt::format("{}", fmt::join(field.choices, separator));
  std::string text;
  switch (field.target.index()) {
    case 0:
      text = "integer";
      break;
    case 1:
      text = "float";
      break;
    case 2:
      return "boolean";
    default:
      return "string";
  }
  const std::string accepted = field.accepted();
  if (!accepted.empty()) return text + " " + accepted;
  return field.unit.empty() ? text : fmt::format("{} ({})", text, field.unit);
}

std::string markdown(const core::ConfigSections& sections) {
  std::string out;
  for (const core::ConfigFields* section : sections.list()) {
    out += fmt::format(
        "\n## [{}]\n\n| key | default | values | meaning |\n| --- | --- | --- | --- |\n",
        section->section());
    for (const core::ConfigField& f : section->fields())
      out += fmt::format("| `{}` | `{}` | {} | {} |\n", f.key, core::field_value_text(f),
                         values_text(f, " \\| "), f.doc);
  }
  return out;
}

std::string commented_toml(const core::ConfigSections& sections) {
  std::string out = "# chorus configuration: every key with its default.\n";
  for (const core::ConfigFields* section : sections.list()) {
    out += fmt::format("\n[{}]\n", section->section());
    for (const core::ConfigField& f : section->fields())
      out += fmt::format("{} = {}  # {} [{}]\n", f.key, core::field_value_text(f), f.doc,
                         values_text(f, " | "));
  }
  return out;
}

}  // namespace

void add_config_command(CLI::App& app) {
  auto markdown_flag = std::make_shared<bool>(false);
  auto* command = add_subcommand(app, NetworkCommand::config);
  command->add_flag("--markdown", *markdown_flag, "Print the reference table of docs/config.md");
  command->callback([markdown_flag] {
    train::ExperimentConfig defaults;
    core::ConfigSections sections;
    defaults.bind(sections);
    fmt::print("{}", *markdown_flag ? markdown(sections) : commented_toml(sections));
  });
}

}  // namespace chorus::cli
