// chorus config: the default configuration as a commented TOML file to start from, or
// (--markdown) the reference table that docs/config.md holds. Both come from the same field
// registry the commands load, so the documentation cannot drift from the code.

#include <fmt/format.h>

#include <memory>
#include <vector>

#include "augment/augment_config.hpp"
#include "cli/commands.hpp"
#include "cli/pipeline_options.hpp"
#include "core/config_fields.hpp"
#include "data/data_config.hpp"
#include "infer/infer_config.hpp"
#include "infer/postprocess.hpp"
#include "models/model_config.hpp"

namespace chorus::cli {
namespace {

std::string type_name(const core::ConfigField& field) {
  switch (field.target.index()) {
    case 0: return "integer";
    case 1: return "float";
    case 2: return "boolean";
    default: return field.choices.empty() ? "string" : fmt::format("{}", fmt::join(field.choices, " \\| "));
  }
}

// Every section chorus has so far, with its defaults.
struct AllSections {
  AllSections() {
    data.register_fields(data_fields);
    model.register_fields(model_fields);
    augment.register_fields(augment_fields);
    infer.register_fields(infer_fields);
    postprocess.register_fields(postprocess_fields);
  }
  PipelineOptions pipeline;
  data::DataConfig data;
  models::ModelConfig model;
  augment::AugmentConfig augment;
  infer::InferConfig infer;
  infer::PostprocessConfig postprocess;
  core::ConfigFields data_fields{"data"}, model_fields{"model"}, augment_fields{"augment"},
      infer_fields{"infer"}, postprocess_fields{"postprocess"};
  std::vector<const core::ConfigFields*> list() {
    const auto pipeline_sections = pipeline.sections();
    std::vector<const core::ConfigFields*> out(pipeline_sections.begin(), pipeline_sections.end());
    for (const core::ConfigFields* s :
         {&data_fields, &model_fields, &augment_fields, &infer_fields, &postprocess_fields})
      out.push_back(s);
    return out;
  }
};

std::string markdown(AllSections& sections) {
  std::string out;
  for (const core::ConfigFields* section : sections.list()) {
    out += fmt::format("\n## [{}]\n\n| key | default | type | meaning |\n| --- | --- | --- | --- |\n",
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
  auto* command = app.add_subcommand("config", "Print the default configuration (TOML) or its reference (--markdown)");
  command->add_flag("--markdown", *markdown_flag, "Print the reference table of docs/config.md");
  command->callback([markdown_flag] {
    AllSections sections;
    fmt::print("{}", *markdown_flag ? markdown(sections) : commented_toml(sections));
  });
}

}  // namespace chorus::cli
