// chorus config: the default configuration as a commented TOML file to start from, or
// (--markdown) the reference table that docs/config.md holds. Both come from the same field
// registry the commands load, so the documentation cannot drift from the code.

#include <fmt/format.h>

#include <array>
#include <memory>

#include "cli/commands.hpp"
#include "cli/network_commands.hpp"
#include "core/config_fields.hpp"
#include "train/experiment_config.hpp"

namespace chorus::cli {
namespace {

std::string type_name(const core::ConfigField& field) {
  switch (field.target.index()) {
    case 0:
      return "integer";
    case 1:
      return "float";
    case 2:
      return "boolean";
    default:
      return field.choices.empty() ? "string"
                                   : fmt::format("{}", fmt::join(field.choices, " \\| "));
  }
}

// Every section, with its defaults.
struct AllSections {
  train::ExperimentConfig config;
  train::ExperimentSections sections{config};
  std::array<core::ConfigFields*, 8> list() { return sections.list(); }
};

std::string markdown(AllSections& sections) {
  std::string out;
  for (const core::ConfigFields* section : sections.list()) {
    out +=
        fmt::format("\n## [{}]\n\n| key | default | type | meaning |\n| --- | --- | --- | --- |\n",
                    section->section());
    for (const core::ConfigField& f : section->fields())
      out += fmt::format("| `{}` | `{}` | {} | {} |\n", f.key, core::field_value_text(f),
                         type_name(f), f.doc);
  }
  return out;
}

std::string commented_toml(AllSections& sections) {
  std::string out = "# chorus configuration: every key with its default.\n";
  for (const core::ConfigFields* section : sections.list()) {
    out += fmt::format("\n[{}]\n", section->section());
    for (const core::ConfigField& f : section->fields())
      out += fmt::format("{} = {}  # {}\n", f.key, core::field_value_text(f), f.doc);
  }
  return out;
}

}  // namespace

void add_config_command(CLI::App& app) {
  auto markdown_flag = std::make_shared<bool>(false);
  auto* command = add_subcommand(app, NetworkCommand::config);
  command->add_flag("--markdown", *markdown_flag, "Print the reference table of docs/config.md");
  command->callback([markdown_flag] {
    AllSections sections;
    fmt::print("{}", *markdown_flag ? markdown(sections) : commented_toml(sections));
  });
}

}  // namespace chorus::cli
