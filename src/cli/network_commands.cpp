#include "cli/network_commands.hpp"

#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "cli/commands.hpp"
#include "core/error.hpp"

namespace chorus::cli {
namespace {

struct CommandText {
  NetworkCommand command;
  std::string_view name, description;
};

constexpr std::array<CommandText, 8> kNetworkCommands{{
    {NetworkCommand::import_weights, "import",
     "Turn torchvision weights (safetensors) into a chorus checkpoint"},
    {NetworkCommand::forward, "forward", "Run a checkpoint on an input batch saved as .npy"},
    {NetworkCommand::train, "train", "Train a model on labelled recordings"},
    {NetworkCommand::predict, "predict",
     "Scan recordings for species with one model or an ensemble"},
    {NetworkCommand::pseudo, "pseudo",
     "Label recordings with a model or an ensemble for self-training (a pseudo-label table)"},
    {NetworkCommand::selftrain, "selftrain",
     "Self-training rounds: train, label unlabelled recordings, train students on the labels"},
    {NetworkCommand::calibrate, "calibrate",
     "Measure a model's activation ranges on recordings for int8 prediction"},
    {NetworkCommand::config, "config",
     "Print the default configuration (TOML) or its reference (--markdown)"},
}};

const CommandText& text_of(NetworkCommand command) {
  for (const CommandText& t : kNetworkCommands)
    if (t.command == command) return t;
  CHORUS_DCHECK(false);
  return kNetworkCommands.front();
}

constexpr const char* kNetworkProgram = "chorus-torch";

}  // namespace

CLI::App* add_subcommand(CLI::App& app, NetworkCommand command) {
  const CommandText& text = text_of(command);
  return app.add_subcommand(std::string(text.name), std::string(text.description));
}

void HandedOverNetworkCommands::add(CLI::App& app, NetworkCommand command) const {
  // A compiled network needs no LibTorch: predict runs here, unless a checkpoint stores no
  // description of its network (written before chorus stored it), which chorus-torch describes.
  if (command == NetworkCommand::predict)
    return add_predict_command(
        app,
        [this](const std::filesystem::path&,
               graph::Precision) -> std::shared_ptr<infer::WindowScorer> { hand_over(); });
  CLI::App* stand_in = add_subcommand(app, command);
  // Nothing is parsed here, not even --help: chorus-torch reads the arguments and says what is
  // wrong.
  stand_in->set_help_flag();
  stand_in->prefix_command();
  stand_in->callback([this] { hand_over(); });
}

std::string HandedOverNetworkCommands::describe_model(const std::string&,
                                                      const core::ConfigSource&) const {
  hand_over();
}

void HandedOverNetworkCommands::hand_over() const {
  namespace fs = std::filesystem;
  std::error_code error;
  const fs::path self = fs::read_symlink("/proc/self/exe", error);
  CHORUS_CHECK(!error, "cannot find where chorus is installed (/proc/self/exe: {})",
               error.message());
  const fs::path program = self.parent_path() / kNetworkProgram;
  std::vector<char*> argv(argv_, argv_ + argc_);
  std::string program_text = program.string();
  argv.at(0) = program_text.data();
  argv.push_back(nullptr);
  std::fflush(stdout);
  std::fflush(stderr);
  execv(program_text.c_str(), argv.data());
  throw Error(
      fmt::format("{}: cannot start it ({}); the commands that run a network live in this program, "
                  "installed beside chorus",
                  program_text, std::strerror(errno)));
}

}  // namespace chorus::cli
