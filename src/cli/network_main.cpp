// chorus-torch: the complete command-line program, LibTorch linked: every command runs here.
// Users run `chorus`, which hands the commands that need LibTorch to this program (`predict`
// only for a checkpoint written before chorus stored its description).

#include "cli/command_line.hpp"
#include "cli/commands.hpp"
#include "infer/checkpoint_scorers.hpp"

namespace chorus::cli {
namespace {

class LinkedNetworkCommands final : public NetworkCommands {
 public:
  void add(CLI::App& app, NetworkCommand command) const override {
    switch (command) {
      case NetworkCommand::import_weights:
        return add_import_command(app);
      case NetworkCommand::forward:
        return add_forward_command(app);
      case NetworkCommand::train:
        return add_train_command(app);
      case NetworkCommand::predict:
        return add_predict_command(app, infer::described_scorer);
      case NetworkCommand::pseudo:
        return add_pseudo_command(app);
      case NetworkCommand::selftrain:
        return add_selftrain_command(app);
      case NetworkCommand::calibrate:
        return add_calibrate_command(app);
      case NetworkCommand::config:
        return add_config_command(app);
    }
  }
  std::string describe_model(const std::string& name_or_checkpoint,
                             const core::ConfigSource& config) const override {
    return cli::describe_model(name_or_checkpoint, config);
  }
};

}  // namespace
}  // namespace chorus::cli

int main(int argc, char** argv) {
  const chorus::cli::LinkedNetworkCommands network;
  chorus::cli::exit_skipping_library_teardown(chorus::cli::run_command_line(argc, argv, network));
}
