// chorus import --arch A --weights W.safetensors --classes LIST --out M.ckpt: torchvision weights
// (exported to safetensors by scripts/export_torchvision.py) into a chorus checkpoint for
// 1-channel log-mel input: the first convolution summed over RGB, the classifier replaced when
// the class count differs (and said so), the [audio]/[features] settings stored with it. The
// rest of [model] (head, coord_conv, gem_p, dropout) comes from --config/--set; a GeM or SED
// head starts freshly initialised on the imported backbone.

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <array>
#include <fstream>
#include <memory>

#include "cli/commands.hpp"
#include "cli/network_commands.hpp"
#include "cli/pipeline_options.hpp"
#include "core/error.hpp"
#include "formats/class_list.hpp"
#include "formats/species_names.hpp"
#include "models/checkpoint.hpp"
#include "models/model_registry.hpp"
#include "models/network.hpp"
#include "models/pretrained_weights.hpp"
#include "models/state_dict.hpp"

namespace chorus::cli {
namespace {

// Class names: one per line in a .txt, else a taxonomy CSV (primary_label / species_code).
std::vector<std::string> read_classes(const std::string& path) {
  if (!path.ends_with(".txt")) return formats::ClassList::from_taxonomy(path).names();
  std::ifstream in(path);
  CHORUS_CHECK_AS(IoError, in.good(), "{}: cannot open", path);
  std::vector<std::string> names;
  for (std::string line; std::getline(in, line);) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (!line.empty()) names.push_back(line);
  }
  return formats::ClassList(names, path).names();  // validates: no duplicates, no spaces
}

struct ImportOptions {
  std::string arch;
  std::string weights;
  std::string classes;
  std::string out;
  bool strict = false;  // refuse tensors the architecture has no place for
  PipelineOptions pipeline;
};

void run_import(ImportOptions& o) {
  models::Checkpoint c;
  core::ConfigSections sections;
  sections.bind(c.model);
  o.pipeline.resolve(sections);
  c.classes = read_classes(o.classes);
  if (!o.classes.ends_with(".txt"))
    c.names =
        formats::SpeciesNames::from_taxonomy(formats::ClassList(c.classes, o.classes), o.classes);
  c.model.arch = o.arch;
  c.model.in_channels = 1;
  c.model.num_classes = static_cast<int>(c.classes.size());
  c.model.validate();
  c.audio = o.pipeline.audio;
  c.features = o.pipeline.features;
  const auto net = models::create_network(c.model);
  const models::StateDictReport report = models::load_pretrained(
      net->backbone(), c.model, models::read_safetensors(o.weights).tensors);
  // A tensor the model has no place for is most often weights of another architecture or
  // variant: said always, refused with --strict.
  CHORUS_CHECK_AS(ModelError, !o.strict || report.unexpected.empty(),
                  "{}: {} tensors that {} has no place for (--strict): {}", o.weights,
                  report.unexpected.size(), o.arch, fmt::join(report.unexpected, ", "));
  if (!report.unexpected.empty())
    fmt::print(stderr, "warning: {}: {} tensors not used (no place for them in {}): {}\n",
               o.weights, report.unexpected.size(), o.arch, fmt::join(report.unexpected, ", "));
  if (!report.replaced.empty())
    fmt::print(
        "classifier replaced for {} classes (the weights' own classifier, {} tensors, is not "
        "used)\n",
        c.classes.size(), report.replaced.size());
  c.weights = models::state_dict(*net);
  c.write(o.out);
  fmt::print("wrote {}: {} ({} head{}) for {} classes, 1-channel input, {} Hz, {} mels\n", o.out,
             c.model.arch, core::enum_name(c.model.head),
             c.model.coord_conv ? ", frequency coordinate" : "", c.classes.size(),
             c.audio.sample_rate, c.features.n_mels);
}

}  // namespace

void add_import_command(CLI::App& app) {
  auto o = std::make_shared<ImportOptions>();
  auto* command = add_subcommand(app, NetworkCommand::import_weights);
  command->add_option("--arch", o->arch, "Architecture")
      ->required()
      ->check(CLI::IsMember(models::model_names_and_aliases()));
  command->add_option("--weights", o->weights, "torchvision state dict as safetensors")
      ->required()
      ->check(CLI::ExistingFile);
  command
      ->add_option("--classes", o->classes, "Class names: a .txt (one per line) or a taxonomy CSV")
      ->required()
      ->check(CLI::ExistingFile);
  command->add_option("--out", o->out, "Checkpoint to write")->required();
  command->add_flag("--strict", o->strict,
                    "Refuse weights holding tensors the architecture has no place for (they are "
                    "listed in a warning otherwise)");
  o->pipeline.add_to(*command);
  command->callback([o] { run_import(*o); });
}

}  // namespace chorus::cli
